using StaticNet;
using Xunit;

namespace StaticNet.Tests;

/// <summary>Loads Fashion-MNIST once, from Debian's dataset-fashion-mnist package (or FASHION_MNIST_DIR).</summary>
public sealed class FashionMnistData
{
    public FashionMnistData()
    {
        string directory = Environment.GetEnvironmentVariable("FASHION_MNIST_DIR") ?? "/usr/share/datasets/fashion-mnist";
        string File(string name) => Path.Combine(directory, name);
        if (!System.IO.File.Exists(File("train-images-idx3-ubyte.gz")))
        {
            throw new InvalidOperationException(
                $"Fashion-MNIST is not in {directory}: install Debian's dataset-fashion-mnist package (.ci/run does) or set FASHION_MNIST_DIR.");
        }

        Train = Idx.Load(File("train-images-idx3-ubyte.gz"), File("train-labels-idx1-ubyte.gz"));
        Test = Idx.Load(File("t10k-images-idx3-ubyte.gz"), File("t10k-labels-idx1-ubyte.gz"));
    }

    public Dataset Train { get; }

    public Dataset Test { get; }
}

public sealed class FashionMnistTests(FashionMnistData data) : IClassFixture<FashionMnistData>
{
    [Fact]
    public void The_loader_finds_the_published_image_sizes_and_label_counts()
    {
        Assert.Equal(784, data.Train.FeatureCount);
        Assert.Equal(10, data.Train.TargetCount);
        Assert.Equal(Enumerable.Repeat(6000, 10), ClassCounts(data.Train));
        Assert.Equal(Enumerable.Repeat(1000, 10), ClassCounts(data.Test));
        Assert.Equal(0f, data.Train.Features.ToArray().Min());
        Assert.Equal(1f, data.Train.Features.ToArray().Max());
        Assert.Equal(9, data.Train.TargetRow(0).IndexOf(1f));
        Assert.Equal(9, data.Test.TargetRow(0).IndexOf(1f));
    }

    [Fact]
    public void A_short_training_run_on_a_slice_beats_80_percent_test_accuracy()
    {
        FmnistNet network = TrainOnASlice();

        double accuracy = network.Evaluate(data.Test, Loss.CategoricalCrossEntropy, Metric.Accuracy).Accuracy;
        Assert.True(accuracy > 0.80, $"test accuracy {accuracy:0.0000}");
    }

    [Fact]
    public void Half_precision_weights_keep_the_test_accuracy_within_a_fifth_of_a_percent()
    {
        FmnistNet network = TrainOnASlice();
        HalfPrecisionPredictor half = network.ToHalfPrecision();

        float[] outputs = new float[data.Test.Count * 10];
        network.PredictBatch(data.Test.Features, outputs);
        float[] output = new float[10];
        int floatCorrect = 0;
        int halfCorrect = 0;
        float largestDifference = 0f;
        for (int i = 0; i < data.Test.Count; i++)
        {
            half.Predict(data.Test.FeatureRow(i), output);
            ReadOnlySpan<float> expected = outputs.AsSpan(i * 10, 10);
            for (int k = 0; k < 10; k++)
            {
                largestDifference = Math.Max(largestDifference, Math.Abs(output[k] - expected[k]));
            }

            int label = data.Test.TargetRow(i).IndexOf(1f);
            floatCorrect += ArgMax(expected) == label ? 1 : 0;
            halfCorrect += ArgMax(output) == label ? 1 : 0;
        }

        double floatAccuracy = (double)floatCorrect / data.Test.Count;
        double halfAccuracy = (double)halfCorrect / data.Test.Count;
        Assert.True(
            Math.Abs(halfAccuracy - floatAccuracy) <= 0.002,
            $"float accuracy {floatAccuracy:0.0000}, half {halfAccuracy:0.0000}, largest probability difference {largestDifference:G3}");
        Assert.True(largestDifference < 0.01f, $"largest probability difference {largestDifference:G3}");
    }

    private FmnistNet TrainOnASlice()
    {
        var network = new FmnistNet(seed: 42);
        network.Fit(data.Train.Slice(0, 12_000), new FitOptions
        {
            Loss = Loss.CategoricalCrossEntropy,
            Optimizer = new Adam(0.001f),
            Epochs = 2,
            BatchSize = 64,
            Seed = 42,
            Verbose = Verbosity.Silent,
        });
        return network;
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }

    private static int[] ClassCounts(Dataset dataset)
    {
        int[] counts = new int[dataset.TargetCount];
        for (int i = 0; i < dataset.Count; i++)
        {
            counts[dataset.TargetRow(i).IndexOf(1f)]++;
        }

        return counts;
    }
}
