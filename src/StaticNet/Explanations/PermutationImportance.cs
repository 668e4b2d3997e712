using System;
using System.Linq;

namespace StaticNet;

/// <summary>
/// Permutation feature importance (Breiman, 2001; scikit-learn's <c>permutation_importance</c>): a global view of how much
/// a network relies on each feature over a dataset, measured as how much its score worsens when that feature's column
/// is shuffled across the rows, which breaks its link to the targets and keeps its distribution.
/// </summary>
public static class PermutationImportance
{
    /// <summary>
    /// Scores the network on <paramref name="data"/>, then, for each feature (or group of features, shuffled by one
    /// permutation), <paramref name="repeats"/> times with the column shuffled; a feature's importance is the mean
    /// worsening of the score over the repeats, positive when shuffling hurts. The score is the metric where one is
    /// given (its direction as <see cref="MonitorMode.Auto"/> reads its name) and the loss otherwise; sample weights
    /// count as <see cref="NetworkTraining.Evaluate(INetwork, Dataset, Loss, Metric[])"/> counts them. The data is not changed.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="data">The data to score on, usually held out from training.</param>
    /// <param name="loss">The loss that scores the network, or reported beside the metric.</param>
    /// <param name="metric">The metric that scores the network, or null to score by the loss.</param>
    /// <param name="repeats">How many shuffles per feature; at least 1.</param>
    /// <param name="seed">The seed of the shuffles.</param>
    /// <param name="groups">Features shuffled together, such as <see cref="FeatureSpace.ColumnGroups"/>, or null for each feature on its own named by <see cref="Dataset.FeatureNames"/>.</param>
    /// <returns>The importances, with their standard deviations over the repeats and the unshuffled score as the base value.</returns>
    /// <exception cref="ArgumentException">The data's widths do not match the network, or the groups do not cover its features.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="repeats"/> is below 1.</exception>
    public static Explanation Compute(INetwork network, Dataset data, Loss loss, Metric? metric = null, int repeats = 5, int seed = 0, FeatureGroups? groups = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        groups ??= FeatureGroups.Each(data.FeatureCount, data.FeatureNames);
        groups.Require(data.FeatureCount, nameof(groups));
        bool higherIsBetter = metric is not null && MonitorModes.HigherIsBetter(MonitorMode.Auto, metric.Name);
        Metric[] metrics = metric is null ? [] : [metric];
        double Score(Dataset rows)
        {
            Evaluation evaluation = network.Evaluate(rows, loss, metrics);
            return metric is null ? evaluation.Loss : evaluation[metric];
        }

        double baseline = Score(data);
        int width = data.FeatureCount, count = data.Count;
        float[] original = data.Features.ToArray(), shuffled = data.Features.ToArray(), targets = data.Targets.ToArray();
        float[]? weights = data.SampleWeights.IsEmpty ? null : data.SampleWeights.ToArray();
        int[] order = new int[count];
        var random = new SeededRandom(seed);
        float[] importances = new float[groups.Count], deviations = new float[groups.Count];
        double[] drops = new double[repeats];
        for (int group = 0; group < groups.Count; group++)
        {
            ReadOnlySpan<int> members = groups.Members(group);
            for (int repeat = 0; repeat < repeats; repeat++)
            {
                for (int i = 0; i < count; i++)
                {
                    order[i] = i;
                }

                random.Shuffle(order.AsSpan());
                foreach (int feature in members)
                {
                    for (int row = 0; row < count; row++)
                    {
                        shuffled[(row * width) + feature] = original[(order[row] * width) + feature];
                    }
                }

                var rows = new Dataset(shuffled, width, targets, data.TargetCount);
                double score = Score(weights is null ? rows : rows.WithSampleWeights(weights));
                drops[repeat] = higherIsBetter ? baseline - score : score - baseline;
            }

            foreach (int feature in members)
            {
                for (int row = 0; row < count; row++)
                {
                    shuffled[(row * width) + feature] = original[(row * width) + feature];
                }
            }

            double mean = drops.Average();
            importances[group] = (float)mean;
            deviations[group] = (float)Math.Sqrt(drops.Sum(d => (d - mean) * (d - mean)) / repeats);
        }

        return new Explanation(importances, groups.Names)
        {
            Method = $"Permutation importance ({metric?.Name ?? "loss"})",
            BaseValue = baseline,
            StandardDeviations = deviations,
        };
    }
}
