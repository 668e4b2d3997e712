using System;
using System.Collections.Generic;
using System.Linq;
using StaticNet.Training.Metrics;

namespace StaticNet;

/// <summary>
/// k-fold cross-validation, as scikit-learn's <c>cross_validate</c> with <c>KFold</c> or <c>StratifiedKFold</c>:
/// the rows are dealt into folds, and for each fold a fresh network is trained on the others and scored on it.
/// </summary>
public static class CrossValidation
{
    /// <summary>Trains and scores a fresh network per fold.</summary>
    /// <param name="createNetwork">Makes the fresh, initialised network each fold trains.</param>
    /// <param name="data">The rows to deal into folds.</param>
    /// <param name="options">How each fold trains; each fold gets a fresh optimizer of the same kind and settings.</param>
    /// <param name="folds">The number of folds, at least 2.</param>
    /// <param name="stratified">Whether each fold gets each class (the largest target of a row) in the same share, as <c>StratifiedKFold</c>.</param>
    /// <param name="seed">The seed of the shuffle before the rows are dealt.</param>
    /// <param name="metrics">The metrics to score each fold with, besides the loss.</param>
    /// <returns>Each fold's scores, and their means.</returns>
    /// <exception cref="ArgumentOutOfRangeException">There are fewer than two folds, or more folds than rows.</exception>
    public static CrossValidationResult Run(Func<INetwork> createNetwork, Dataset data, FitOptions options, int folds = 5, bool stratified = false, int seed = 0, params Metric[] metrics)
    {
        ArgumentNullException.ThrowIfNull(createNetwork);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(folds, data.Count);
        int[] foldOf = Deal(data, folds, stratified, seed);
        var scores = new List<Evaluation>(folds);
        for (int fold = 0; fold < folds; fold++)
        {
            int[] train = [.. Enumerable.Range(0, data.Count).Where(row => foldOf[row] != fold)];
            int[] test = [.. Enumerable.Range(0, data.Count).Where(row => foldOf[row] == fold)];
            INetwork network = createNetwork();
            network.Fit(data.Gather(train), options with { Optimizer = options.Optimizer.Fresh() });
            scores.Add(network.Evaluate(data.Gather(test), options.Loss, metrics));
        }

        return new CrossValidationResult(scores, metrics);
    }

    /// <summary>
    /// Each row's fold: the rows shuffled, then dealt in turn, class by class when stratified, so the folds' sizes
    /// differ by at most one and, stratified, each class's share of a fold differs from its share of the data by
    /// less than one row.
    /// </summary>
    internal static int[] Deal(Dataset data, int folds, bool stratified, int seed)
    {
        int[] order = [.. Enumerable.Range(0, data.Count)];
        new SeededRandom(seed).Shuffle(order.AsSpan());
        IEnumerable<int> dealt = stratified ? order.GroupBy(row => StratumOf(data.TargetRow(row))).OrderBy(g => g.Key).SelectMany(g => g) : order;
        int[] foldOf = new int[data.Count];
        int turn = 0;
        foreach (int row in dealt)
        {
            foldOf[row] = turn++ % folds;
        }

        return foldOf;
    }

    /// <summary>
    /// The stratum of a row: its largest target among several, or its one target's value, which keeps 0/1 labels and
    /// class indices apart alike; a fractional target falls on the side of 0.5 it is on.
    /// </summary>
    private static float StratumOf(ReadOnlySpan<float> targets) =>
        targets.Length > 1 ? ClassIndex.ArgMax(targets) : targets[0] == MathF.Floor(targets[0]) ? targets[0] : targets[0] > 0.5f ? 1 : 0;
}

/// <summary>The scores of a <see cref="CrossValidation"/> run: each fold's, and their means and spreads.</summary>
public sealed class CrossValidationResult
{
    private readonly Metric[] _metrics;

    internal CrossValidationResult(IReadOnlyList<Evaluation> folds, Metric[] metrics)
    {
        Folds = folds;
        _metrics = metrics;
    }

    /// <summary>Each fold's loss and metrics, scored on the fold after training on the others.</summary>
    public IReadOnlyList<Evaluation> Folds { get; }

    /// <summary>The mean of the folds' losses.</summary>
    public double Loss => Folds.Average(f => f.Loss);

    /// <summary>The mean of a metric over the folds.</summary>
    /// <exception cref="KeyNotFoundException">The metric was not requested.</exception>
    public double this[Metric metric] => Folds.Average(f => f[Checked(metric)]);

    /// <summary>The population standard deviation of a metric over the folds, as scikit-learn users report <c>scores.std()</c>.</summary>
    /// <exception cref="KeyNotFoundException">The metric was not requested.</exception>
    public double StandardDeviation(Metric metric)
    {
        double mean = this[metric];
        return Math.Sqrt(Folds.Average(f => (f[metric] - mean) * (f[metric] - mean)));
    }

    private Metric Checked(Metric metric) =>
        _metrics.Contains(metric) ? metric : throw new KeyNotFoundException($"{metric} was not requested; the run scored {string.Join(", ", _metrics)}.");
}
