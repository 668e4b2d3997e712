using StaticNet.Training;
using Xunit;

namespace StaticNet.Tests;

/// <summary>
/// Class-index targets and sample and class weights: the losses against PyTorch's (computed once in float64 by
/// Data/pytorch/loss_values.py and written here), and what Fit, TrainingSession and Evaluate do with them.
/// </summary>
public class WeightedLossTests
{
    private static readonly float[] Logits = [2f, -1f, 0.5f, 60f, -3f, 0f, 1.5f, 0.2f, 0.1f, 0.2f, -0.3f, -50f];
    private static readonly float[] Probabilities = [0.1f, 0.2f, 0.3f, 0.4f, 0.7f, 0.1f, 0.1f, 0.1f, 0.25f, 0.25f, 0.45f, 0.05f];
    private static readonly float[] Classes = [3, 2, 0];
    private static readonly float[] SampleWeights = [0.5f, 2.0f, 1.25f];
    private static readonly float[] ClassWeights = [1.0f, 0.5f, 3.0f, 2.0f];

    public static TheoryData<string, double, double[]> PyTorchValues() => new()
    {
        { "sparse from logits", 0.476932190916822, [2.1567449752151533e-26, 1.0737800953308385e-27, 4.8123485171907845e-27, 0.0, 0.0024575724975101276, 0.04936166314015018, -0.11210970714441293, 0.060290471506752624, -0.21323446158648662, 0.132729780348312, 0.08050468123817461, 2.0959715536643547e-23] },
        { "sparse from logits, smoothing 0.2", 4.413598857583489, [-0.016666666666666666, -0.016666666666666666, -0.016666666666666666, 0.04999999999999999, -0.01420909416915654, 0.03269499647348352, -0.06210970714441293, 0.043623804840085954, -0.16323446158648663, 0.11606311368164533, 0.06383801457150795, -0.016666666666666666] },
        { "sparse from probabilities", 1.535056728662697, [0.0, 0.0, 0.0, -0.8333333333333333, 0.0, 0.0, -3.333333333333333, 0.0, -1.3333333333333333, 0.0, 0.0, 0.0] },
        { "sample-weighted sparse from logits", 0.6986574679453291, [1.0783724876075766e-26, 5.368900476654193e-28, 2.4061742585953923e-27, 0.0, 0.004915144995020255, 0.09872332628030037, -0.22421941428882586, 0.12058094301350525, -0.26654307698310825, 0.16591222543539, 0.10063085154771827, 2.6199644420804435e-23] },
        { "class-weighted sparse from logits", 0.7502448023816264, [4.3134899504303066e-26, 2.147560190661677e-27, 9.624697034381569e-27, 0.0, 0.007372717492530383, 0.14808498942045056, -0.3363291214332388, 0.18087141452025787, -0.21323446158648662, 0.132729780348312, 0.08050468123817461, 2.0959715536643547e-23] },
        { "sample-weighted mse", 0.5960416666666668, [0.008333333333333333, -0.06666666666666667, -0.016666666666666666, 0.11666666666666665, -0.43333333333333335, 0.03333333333333333, 0.03333333333333333, -0.3, 0.05208333333333333, 0.05208333333333333, -0.11458333333333333, -0.09375] },
    };

    [Theory]
    [MemberData(nameof(PyTorchValues))]
    public void Losses_on_class_indices_and_with_weights_match_PyTorch_and_their_gradients(string name, double expectedLoss, double[] expectedGradient)
    {
        (Loss loss, float[] outputs, float[] targets, float[] weights) = name switch
        {
            "sparse from logits" => (Loss.SparseCategoricalCrossEntropyWith(fromLogits: true), Logits, Classes, Array.Empty<float>()),
            "sparse from logits, smoothing 0.2" => (Loss.SparseCategoricalCrossEntropyWith(fromLogits: true, labelSmoothing: 0.2f), Logits, Classes, []),
            "sparse from probabilities" => (Loss.SparseCategoricalCrossEntropy, Probabilities, Classes, []),
            "sample-weighted sparse from logits" => (Loss.SparseCategoricalCrossEntropyWith(fromLogits: true), Logits, Classes, SampleWeights),
            "class-weighted sparse from logits" => (Loss.SparseCategoricalCrossEntropyWith(fromLogits: true), Logits, Classes, [.. Classes.Select(c => ClassWeights[(int)c])]),
            _ => (Loss.MeanSquaredError, Probabilities, [0f, 1f, 0.5f, -1f, 2f, 0f, 0f, 1f, 0f, 0f, 1f, 0.5f], SampleWeights),
        };
        float[] gradient = new float[outputs.Length];

        double value = loss.ComputeWeighted(outputs, targets, weights, 4, Activation.Linear, gradient, out bool fused);

        Assert.False(fused);
        Assert.Equal(expectedLoss, value, 1e-6 * Math.Max(1, expectedLoss));
        for (int i = 0; i < gradient.Length; i++)
        {
            Assert.True(Math.Abs(gradient[i] - expectedGradient[i]) <= 1e-6 * Math.Max(1, Math.Abs(expectedGradient[i])), $"gradient {i}: {gradient[i]} against {expectedGradient[i]}");
        }
    }

    [Fact]
    public void Fit_on_class_indices_equals_Fit_on_the_one_hot_rows_bit_for_bit()
    {
        var random = new Random(4);
        float[] features = RandomData.Uniform(random, 40 * 7);
        float[] labels = [.. Enumerable.Range(0, 40).Select(_ => (float)random.Next(5))];
        var sparse = new SoftmaxNet(seed: 3);
        var dense = new SoftmaxNet(seed: 3);
        var options = new FitOptions { Epochs = 3, BatchSize = 8, Seed = 1, Verbose = Verbosity.Silent, Metrics = [Metric.Accuracy] };

        History sparseHistory = sparse.Fit(new Dataset(features, 7, labels, 1), options with { Loss = Loss.SparseCategoricalCrossEntropy });
        History denseHistory = dense.Fit(new Dataset(features, 7, OneHot(labels, 5), 5), options with { Loss = Loss.CategoricalCrossEntropy, Optimizer = new Adam() });

        Assert.Equal(dense.Parameters.ToArray(), sparse.Parameters.ToArray());
        Assert.Equal(denseHistory.Epochs[^1].Values["accuracy"], sparseHistory.Epochs[^1].Values["accuracy"]);
        Assert.Equal(denseHistory.Epochs[^1].Values["loss"], sparseHistory.Epochs[^1].Values["loss"]);
    }

    [Theory]
    [InlineData(5f, 0)]
    [InlineData(-1f, 2)]
    [InlineData(1.5f, 1)]
    public void A_class_index_that_is_not_a_class_is_refused_before_training_naming_its_row(float label, int row)
    {
        var network = new SoftmaxNet(seed: 3);
        float[] before = network.Parameters.ToArray();
        float[] labels = [0, 1, 2, 3];
        labels[row] = label;

        var error = Assert.Throws<ArgumentException>(() => network.Fit(new Dataset(new float[28], 7, labels, 1), new FitOptions { Loss = Loss.SparseCategoricalCrossEntropy, Verbose = Verbosity.Silent }));

        Assert.StartsWith($"Sparse categorical cross-entropy takes each row's class index, a whole number from 0 to 4, but row {row} of the targets is {label}", error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void One_target_column_for_several_outputs_with_a_dense_loss_points_to_the_sparse_loss()
    {
        var error = Assert.Throws<ArgumentException>(() => new SoftmaxNet(seed: 3).Evaluate(new Dataset(new float[28], 7, [0, 1, 2, 3], 1), Loss.CategoricalCrossEntropy));

        Assert.Contains("for a column of class indices, use Loss.SparseCategoricalCrossEntropy", error.Message);
    }

    [Fact]
    public void Doubling_every_sample_weight_doubles_the_gradient_as_a_doubled_SGD_rate_does()
    {
        var random = new Random(6);
        float[] features = RandomData.Uniform(random, 12 * 16);
        float[] targets = RandomData.Uniform(random, 12 * 4);
        var weighted = new TinyNet(seed: 5);
        var faster = new TinyNet(seed: 5);
        using var weightedSession = new TrainingSession(weighted, Loss.MeanSquaredError, new Sgd(0.05f), 12);
        using var fasterSession = new TrainingSession(faster, Loss.MeanSquaredError, new Sgd(0.1f), 12);

        double weightedLoss = weightedSession.Step(features, targets, Enumerable.Repeat(2f, 12).ToArray());
        double plainLoss = fasterSession.Step(features, targets);

        Assert.Equal(2 * plainLoss, weightedLoss, 1e-6);
        AssertClose(faster.Parameters, weighted.Parameters, 1e-6f);
    }

    [Fact]
    public void Rows_of_weight_zero_drop_out_of_the_step_and_the_rest_are_divided_by_the_whole_batch()
    {
        var random = new Random(7);
        float[] features = RandomData.Uniform(random, 8 * 16);
        float[] targets = RandomData.Uniform(random, 8 * 4);
        float[] weights = [1, 0, 1, 0, 1, 0, 1, 0];
        float[] keptFeatures = [.. Enumerable.Range(0, 8).Where(r => r % 2 == 0).SelectMany(r => features.Skip(r * 16).Take(16))];
        float[] keptTargets = [.. Enumerable.Range(0, 8).Where(r => r % 2 == 0).SelectMany(r => targets.Skip(r * 4).Take(4))];
        var weighted = new TinyNet(seed: 5);
        var kept = new TinyNet(seed: 5);
        using var weightedSession = new TrainingSession(weighted, Loss.MeanSquaredError, new Sgd(0.1f), 8, threads: 2);
        using var keptSession = new TrainingSession(kept, Loss.MeanSquaredError, new Sgd(0.05f), 4);

        double weightedLoss = weightedSession.Step(features, targets, weights);
        double keptLoss = keptSession.Step(keptFeatures, keptTargets);

        Assert.Equal(keptLoss / 2, weightedLoss, 1e-6);
        AssertClose(kept.Parameters, weighted.Parameters, 1e-6f);
    }

    [Fact]
    public void Class_weights_train_as_the_sample_weights_of_each_rows_class_bit_for_bit()
    {
        var random = new Random(9);
        float[] features = RandomData.Uniform(random, 30 * 7);
        float[] labels = [.. Enumerable.Range(0, 30).Select(_ => (float)random.Next(5))];
        float[] classWeights = [1f, 2f, 0.5f, 3f, 1.5f];
        var byClass = new SoftmaxNet(seed: 3);
        var bySample = new SoftmaxNet(seed: 3);
        var options = new FitOptions { Epochs = 2, BatchSize = 7, Seed = 2, Verbose = Verbosity.Silent, Loss = Loss.SparseCategoricalCrossEntropy };
        var data = new Dataset(features, 7, labels, 1);

        byClass.Fit(data, options with { ClassWeights = classWeights });
        bySample.Fit(data.WithSampleWeights([.. labels.Select(c => classWeights[(int)c])]), options with { Optimizer = new Adam() });

        Assert.Equal(bySample.Parameters.ToArray(), byClass.Parameters.ToArray());
    }

    [Fact]
    public void Class_weights_of_one_output_weigh_rows_by_their_side_of_one_half()
    {
        float[] y = [0, 1, 1, 0];
        var byClass = new SeedNet(seed: 1);
        var bySample = new SeedNet(seed: 1);
        var options = new FitOptions { Epochs = 3, BatchSize = 2, Seed = 2, Verbose = Verbosity.Silent, Loss = Loss.BinaryCrossEntropy };

        byClass.Fit(new Dataset([0, 0, 0, 1, 1, 0, 1, 1], 2, y, 1), options with { ClassWeights = [0.25f, 4f] });
        bySample.Fit(new Dataset([0, 0, 0, 1, 1, 0, 1, 1], 2, y, 1).WithSampleWeights([0.25f, 4f, 4f, 0.25f]), options with { Optimizer = new Adam() });

        Assert.Equal(bySample.Parameters.ToArray(), byClass.Parameters.ToArray());
    }

    [Fact]
    public void Evaluate_weights_the_loss_by_the_sample_weights_and_only_the_weighted_metrics()
    {
        var network = new SoftmaxNet(seed: 3);
        var random = new Random(2);
        float[] features = RandomData.Uniform(random, 6 * 7);
        float[] labels = [0, 1, 2, 3, 4, 0];
        float[] weights = [0.5f, 2f, 0f, 1f, 3f, 1.5f];
        var data = new Dataset(features, 7, labels, 1).WithSampleWeights(weights);
        Loss loss = Loss.SparseCategoricalCrossEntropy;
        double expected = Enumerable.Range(0, 6).Sum(r => weights[r] * network.Evaluate(new Dataset(features[(r * 7)..((r + 1) * 7)], 7, [labels[r]], 1), loss).Loss) / 6;
        float[,] outputs = network.Predict(To2D(features, 7));
        int[] correct = [.. Enumerable.Range(0, 6).Select(r => ArgMax(outputs, r) == (int)labels[r] ? 1 : 0)];

        Evaluation score = network.Evaluate(data, loss, Metric.Accuracy, Metric.Accuracy.Weighted());

        Assert.Equal(expected, score.Loss, 1e-6);
        Assert.Equal(correct.Average(), score[Metric.Accuracy], 1e-12);
        Assert.Equal(Enumerable.Range(0, 6).Sum(r => weights[r] * correct[r]) / weights.Sum(), score[Metric.Accuracy.Weighted()], 1e-6);
    }

    [Fact]
    public void Splits_slices_and_shuffles_keep_each_rows_weight_with_it()
    {
        float[] features = [.. Enumerable.Range(0, 10).Select(i => (float)i)];
        float[] weights = [.. Enumerable.Range(0, 10).Select(i => i / 10f)];
        var data = new Dataset(features, 1, features, 1).WithSampleWeights(weights);

        (Dataset first, Dataset second) = data.Shuffle(3).Split(0.6);

        foreach (Dataset part in new[] { first, second, data.Slice(2, 5) })
        {
            for (int row = 0; row < part.Count; row++)
            {
                Assert.Equal(part.FeatureRow(row)[0] / 10f, part.SampleWeights[row]);
            }
        }
    }

    [Theory]
    [InlineData(new float[] { 1, 1 }, "There are 2 sample weights for 3 samples")]
    [InlineData(new float[] { 1, -1, 1 }, "The sample weight of row 1 is -1")]
    [InlineData(new float[] { 1, 1, float.NaN }, "The sample weight of row 2 is NaN")]
    public void Bad_sample_weights_are_refused_saying_which(float[] weights, string message)
    {
        var data = new Dataset(new float[3], 1, new float[3], 1);

        var error = Assert.Throws<ArgumentException>(() => data.WithSampleWeights(weights));

        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void A_weighted_training_step_allocates_nothing()
    {
        var random = new Random(3);
        float[] features = RandomData.Uniform(random, 16 * 16);
        float[] targets = RandomData.Uniform(random, 16 * 4);
        float[] weights = RandomData.Uniform(random, 16).Select(Math.Abs).ToArray();
        using var session = new TrainingSession(new TinyNet(seed: 1), Loss.MeanSquaredError, new Adam(1e-4f), 16);

        Assert.Equal(0, Allocations.SteadyStateBytes(() => session.Step(features, targets, weights)));
    }

    [Fact]
    public void A_classification_report_reads_class_index_targets_as_their_one_hot_rows()
    {
        var network = new SoftmaxNet(seed: 3);
        var random = new Random(1);
        float[] features = RandomData.Uniform(random, 50 * 7);
        float[] labels = [.. Enumerable.Range(0, 50).Select(_ => (float)random.Next(5))];

        ClassificationReport sparse = ClassificationReport.Of(network, new Dataset(features, 7, labels, 1));
        ClassificationReport dense = ClassificationReport.Of(network, new Dataset(features, 7, OneHot(labels, 5), 5));

        Assert.Equal(dense.ToString(), sparse.ToString());
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"parameter {i}: {actual[i]} against {expected[i]}");
        }
    }

    private static float[] OneHot(float[] labels, int classes)
    {
        float[] oneHot = new float[labels.Length * classes];
        for (int row = 0; row < labels.Length; row++)
        {
            oneHot[(row * classes) + (int)labels[row]] = 1;
        }

        return oneHot;
    }

    private static float[,] To2D(float[] values, int columns)
    {
        var matrix = new float[values.Length / columns, columns];
        Buffer.BlockCopy(values, 0, matrix, 0, values.Length * sizeof(float));
        return matrix;
    }

    private static int ArgMax(float[,] outputs, int row) =>
        Enumerable.Range(0, outputs.GetLength(1)).MaxBy(c => outputs[row, c]);
}
