using StaticNet;
using StaticNet.Training;
using Xunit;
using StaticNet.Kernels;

namespace StaticNet.Tests;

public class ForwardPassTests
{
    public static IEnumerable<object[]> Networks => TestNetworks.Names();

    [Theory]
    [MemberData(nameof(Networks))]
    public void Predict_matches_the_double_precision_reference(string name)
    {
        var random = new Random(11);
        INetwork network = TestNetworks.Create(name, seed: 3);
        TestParameters.Randomize(network, random);
        var reference = new ReferenceNetwork(network.Shape);
        double[] parameters = ReferenceNetwork.CanonicalParameters(network);
        float[] output = new float[network.Shape.Outputs];

        for (int sample = 0; sample < 20; sample++)
        {
            float[] input = RandomData.Uniform(random, network.Shape.Inputs);
            network.Predict(input, output);
            AssertClose(reference.Forward(parameters, input), output, $"sample {sample}");
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Predict_of_inputs_that_are_mostly_zero_matches_the_reference(string name)
    {
        // Wide first layers and layers after a ReLU skip the weight rows of zero inputs.
        var random = new Random(14);
        INetwork network = TestNetworks.Create(name, seed: 6);
        TestParameters.Randomize(network, random);
        var reference = new ReferenceNetwork(network.Shape);
        double[] parameters = ReferenceNetwork.CanonicalParameters(network);
        float[] output = new float[network.Shape.Outputs];

        for (int sample = 0; sample < 20; sample++)
        {
            float[] input = sample == 0 ? new float[network.Shape.Inputs] : RandomData.MostlyZero(random, network.Shape.Inputs, zeroShare: sample / 20.0);
            network.Predict(input, output);
            AssertClose(reference.Forward(parameters, input), output, $"sample {sample}");
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void PredictBatch_over_several_chunks_matches_the_reference_row_by_row(string name)
    {
        var random = new Random(12);
        INetwork network = TestNetworks.Create(name, seed: 4);
        TestParameters.Randomize(network, random);
        var reference = new ReferenceNetwork(network.Shape);
        double[] parameters = ReferenceNetwork.CanonicalParameters(network);
        int inputs = network.Shape.Inputs, outputs = network.Shape.Outputs;

        // 300 rows cross the chunk boundary of every test network (at most 256 rows a chunk).
        const int Rows = 300;
        float[] x = RandomData.Uniform(random, Rows * inputs);
        float[] y = new float[Rows * outputs];
        network.PredictBatch(x, y);

        for (int r = 0; r < Rows; r++)
        {
            AssertClose(reference.Forward(parameters, x.AsSpan(r * inputs, inputs)), y.AsSpan(r * outputs, outputs), $"row {r}");
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Training_forward_pass_computes_the_same_outputs_as_Predict(string name)
    {
        var random = new Random(13);
        IGeneratedNetwork network = TestNetworks.Create(name, seed: 5);
        TestParameters.Randomize(network, random);
        const int Rows = 9;
        float[] x = RandomData.Uniform(random, Rows * network.Shape.Inputs);
        float[] predicted = new float[Rows * network.Shape.Outputs];
        network.PredictBatch(x, predicted);

        var buffers = new TrainingBuffers(network.Shape, maxRows: 16);
        network.Forward(x, Rows, buffers);

        // Prediction may take other kernels (straight-line ones for tiny layers) that round differently.
        AssertClose(predicted.Select(v => (double)v).ToArray(), buffers.Outputs(Rows), "training forward pass");
    }

    [Fact]
    public void A_straight_line_network_predicts_a_batch_bit_for_bit_as_its_samples()
    {
        // LogisticNet sums its 9 inputs in four accumulators, LanesNet each layer's few in one: the batch's
        // lane-per-sample code and the one-sample code must sum in the same order either way.
        foreach (IGeneratedNetwork network in new IGeneratedNetwork[] { new LogisticNet(seed: 3), new LanesNet(seed: 3) })
        {
            TestParameters.Randomize(network, new Random(30));
            NetworkShape shape = network.Shape;
            const int rows = 37;
            float[] inputs = RandomData.Uniform(new Random(31), rows * shape.Inputs, 2f);
            float[] batch = new float[rows * shape.Outputs];
            float[] sample = new float[shape.Outputs];

            network.PredictBatch(inputs, batch);

            for (int r = 0; r < rows; r++)
            {
                network.Predict(inputs.AsSpan(r * shape.Inputs, shape.Inputs), sample);
                Assert.Equal(batch.AsSpan(r * shape.Outputs, shape.Outputs).ToArray(), sample);
            }
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_initial_parameters_and_another_seed_different_ones()
    {
        Assert.Equal(new TinyNet(seed: 9).Parameters.ToArray(), new TinyNet(seed: 9).Parameters.ToArray());
        Assert.NotEqual(new TinyNet(seed: 9).Parameters.ToArray(), new TinyNet(seed: 10).Parameters.ToArray());
    }

    [Fact]
    public void Initial_weights_follow_Glorot_uniform_and_biases_are_zero()
    {
        INetwork network = new FmnistNet(seed: 1);
        double[] canonical = ReferenceNetwork.CanonicalParameters(network);
        int offset = 0;
        foreach (DenseLayer layer in network.Shape.Layers)
        {
            double limit = Math.Sqrt(6.0 / (layer.Inputs + layer.Units));
            double[] weights = canonical.AsSpan(offset, layer.Inputs * layer.Units).ToArray();
            double[] biases = canonical.AsSpan(offset + weights.Length, layer.Units).ToArray();
            Assert.All(weights, w => Assert.InRange(Math.Abs(w), 0, limit));
            Assert.All(biases, b => Assert.Equal(0, b));

            // Uniform on [-l, l] has variance l²/3; with this many draws the sample is within 5%.
            double variance = weights.Select(w => w * w).Average();
            Assert.InRange(variance / (limit * limit / 3), 0.95, 1.05);
            offset += layer.ParameterCount;
        }
    }

    [Fact]
    public void Canonical_layout_round_trips_and_stores_weights_as_units_by_inputs()
    {
        var network = new SeedNet(seed: 2);
        float[] canonical = new float[SeedNet.ParameterCount];
        network.CopyParametersTo(canonical);

        // Only weight [0, 1] (unit 0, input 1) set: the output of unit 0 must follow input 1.
        float[] single = new float[SeedNet.ParameterCount];
        single[1] = 1;
        network.CopyParametersFrom(single);
        var reference = new ReferenceNetwork(SeedNet.Shape);
        float[] output = new float[1];
        network.Predict([0.25f, 0.75f], output);
        AssertClose(reference.Forward(single.Select(v => (double)v).ToArray(), [0.25f, 0.75f]), output, "one weight");

        network.CopyParametersFrom(canonical);
        float[] again = new float[SeedNet.ParameterCount];
        network.CopyParametersTo(again);
        Assert.Equal(canonical, again);
    }

    internal static void AssertClose(double[] expected, ReadOnlySpan<float> actual, string where)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int j = 0; j < expected.Length; j++)
        {
            double tolerance = 1e-5 * Math.Max(1, Math.Abs(expected[j]));
            Assert.True(
                Math.Abs(actual[j] - expected[j]) <= tolerance,
                $"{where}, output {j}: expected {expected[j]:R}, got {actual[j]:R} (tolerance {tolerance:E1})");
        }
    }
}
