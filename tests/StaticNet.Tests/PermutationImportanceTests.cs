using Xunit;

namespace StaticNet.Tests;

/// <summary>
/// Permutation importance: nothing for a feature the network ignores, a worsening for one it relies on by loss and by
/// metric, groups shuffled together, repeatable for a seed, and the data left as it was.
/// </summary>
public class PermutationImportanceTests
{
    [Fact]
    public void A_feature_the_network_ignores_scores_exactly_zero_and_one_it_relies_on_scores_a_worsening()
    {
        (LogisticNet network, Dataset data) = TwoFeatureClassifier();

        Explanation byLoss = PermutationImportance.Compute(network, data, Loss.BinaryCrossEntropy, repeats: 3, seed: 1);
        Explanation byAccuracy = PermutationImportance.Compute(network, data, Loss.BinaryCrossEntropy, Metric.BinaryAccuracy, repeats: 3, seed: 1);

        foreach (Explanation importance in new[] { byLoss, byAccuracy })
        {
            Assert.True(importance.Values[0] > 0.05 && importance.Values[1] > 0.02, $"{importance.Values[0]}, {importance.Values[1]}");
            Assert.All(Enumerable.Range(2, 7), i => Assert.Equal(0f, importance.Values[i]));
            Assert.All(Enumerable.Range(2, 7), i => Assert.Equal(0f, importance.StandardDeviations![i]));
            Assert.Equal(["strong", "weak"], importance.Ranked().Take(2).Select(c => c.Name));
        }

        Assert.Equal(1.0, byAccuracy.BaseValue!.Value);
        Assert.Equal(network.Evaluate(data, Loss.BinaryCrossEntropy).Loss, byLoss.BaseValue!.Value);
        Assert.Equal("Permutation importance (binary_accuracy)", byAccuracy.Method);
    }

    [Fact]
    public void A_seed_repeats_the_importances_and_the_data_is_left_as_it_was()
    {
        (LogisticNet network, Dataset data) = TwoFeatureClassifier();
        float[] before = data.Features.ToArray();

        Explanation first = PermutationImportance.Compute(network, data, Loss.BinaryCrossEntropy, repeats: 4, seed: 7);
        Explanation again = PermutationImportance.Compute(network, data, Loss.BinaryCrossEntropy, repeats: 4, seed: 7);
        Explanation other = PermutationImportance.Compute(network, data, Loss.BinaryCrossEntropy, repeats: 4, seed: 8);

        Assert.Equal(first.Values, again.Values);
        Assert.NotEqual(first.Values, other.Values);
        Assert.True(first.StandardDeviations![0] > 0);
        Assert.Equal(before, data.Features.ToArray());
    }

    [Fact]
    public void A_group_is_shuffled_as_one_so_two_features_that_cancel_apart_matter_together()
    {
        // The network sees x0 - x1, and x0 = x1 on every row: shuffling either alone breaks the pair, shuffling both
        // together by one permutation keeps x0 - x1 at 0 and changes nothing.
        var network = new LogisticNet(seed: 1);
        float[] parameters = new float[10];
        (parameters[0], parameters[1]) = (3, -3);
        network.CopyParametersFrom(parameters);
        var random = new Random(5);
        float[] x = new float[200 * 9];
        float[] y = new float[200];
        for (int row = 0; row < 200; row++)
        {
            x[row * 9] = x[(row * 9) + 1] = (float)random.NextDouble();
            y[row] = 0.5f;
        }

        var data = new Dataset(x, 9, y, 1);
        var groups = new FeatureGroups([0, 0, 1, 2, 3, 4, 5, 6, 7]);

        Explanation apart = PermutationImportance.Compute(network, data, Loss.MeanSquaredError, repeats: 2);
        Explanation together = PermutationImportance.Compute(network, data, Loss.MeanSquaredError, repeats: 2, groups: groups);

        Assert.True(apart.Values[0] > 1e-3 && apart.Values[1] > 1e-3);
        Assert.Equal(0f, together.Values[0]);
        Assert.Equal("g0", together.FeatureNames[0]);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        (LogisticNet network, Dataset data) = TwoFeatureClassifier();

        Assert.Throws<ArgumentOutOfRangeException>(() => PermutationImportance.Compute(network, data, Loss.BinaryCrossEntropy, repeats: 0));
        Assert.Throws<ArgumentException>(() => PermutationImportance.Compute(network, data, Loss.BinaryCrossEntropy, groups: FeatureGroups.Each(3)));
    }

    /// <summary>A logistic network on nine features of which it uses two, strongly and weakly, and labels it gets all right.</summary>
    private static (LogisticNet Network, Dataset Data) TwoFeatureClassifier()
    {
        var network = new LogisticNet(seed: 1);
        float[] parameters = new float[10];
        (parameters[0], parameters[1]) = (4, 1.5f);
        network.CopyParametersFrom(parameters);
        var random = new Random(3);
        const int Rows = 300;
        float[] x = RandomData.Uniform(random, Rows * 9);
        float[] y = new float[Rows];
        float[] output = new float[1];
        for (int row = 0; row < Rows; row++)
        {
            network.Predict(x.AsSpan(row * 9, 9), output);
            y[row] = output[0] > 0.5f ? 1 : 0;
        }

        string[] names = ["strong", "weak", .. Enumerable.Range(2, 7).Select(i => $"noise{i}")];
        return (network, new Dataset(x, 9, y, 1) { FeatureNames = names });
    }
}
