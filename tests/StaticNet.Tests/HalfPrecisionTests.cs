using System.Numerics;
using System.Runtime.Intrinsics;
using StaticNet;
using StaticNet.Kernels;
using Xunit;

namespace StaticNet.Tests;

/// <summary>One layer, so that a one-hot input reads back the stored weights of one input.</summary>
[Network(Inputs = 3)]
[Dense(2, Activation.Linear, UseBias = false)]
public partial class ProbeNet;

public class HalfPrecisionTests
{
    public static IEnumerable<object[]> Networks => TestNetworks.Names();

    [Theory]
    [MemberData(nameof(Networks))]
    public void Predictions_are_the_double_precision_network_over_the_weights_rounded_to_half(string name)
    {
        (IGeneratedNetwork network, HalfPrecisionPredictor predictor, double[] rounded) = RandomizedHalves(name, seed: 6);
        NetworkShape shape = network.Shape;
        var reference = new ReferenceNetwork(shape);
        var random = new Random(61);
        float[] output = new float[shape.Outputs];

        // Dense inputs read every weight row; mostly-zero ones take the listed rows where the layer skips zeros.
        foreach (float[] input in new[] { RandomData.Uniform(random, shape.Inputs, 2f), RandomData.MostlyZero(random, shape.Inputs, 0.7, 2f), new float[shape.Inputs] })
        {
            predictor.Predict(input, output);
            AssertClose(reference.Forward(rounded, input), output, name);
        }
    }

    [Fact]
    public void Every_way_of_reading_halves_gives_each_weight_times_two_to_the_minus_112()
    {
        // Normal halves of both signs and every exponent, zeros of both signs, and the largest half.
        var random = new Random(62);
        short[] bits = new short[64];
        for (int i = 0; i < bits.Length; i++)
        {
            bits[i] = (short)((random.Next(2) << 15) | (random.Next(1, 31) << 10) | random.Next(1024));
        }

        bits[3] = 0;
        bits[5] = unchecked((short)0x8000);
        bits[7] = BitConverter.HalfToInt16Bits(Half.MaxValue);
        float Expected(short b) => MathF.ScaleB((float)BitConverter.Int16BitsToHalf(b), -112);

        int width = Vector<float>.Count;
        Vector<float> single = ScaledHalfWeights.Load(ref bits[0], 8);
        Vector<float> low = ScaledHalfWeights.LoadLow(ref bits[0], 16), high = ScaledHalfWeights.LoadHigh(ref bits[0], 16);
        for (int lane = 0; lane < width; lane++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(Expected(bits[8 + lane])), BitConverter.SingleToInt32Bits(single[lane]));
            Assert.Equal(BitConverter.SingleToInt32Bits(Expected(bits[16 + ScaledHalfWeights.PairPosition(lane, width)])), BitConverter.SingleToInt32Bits(low[lane]));
            Assert.Equal(BitConverter.SingleToInt32Bits(Expected(bits[16 + ScaledHalfWeights.PairPosition(width + lane, width)])), BitConverter.SingleToInt32Bits(high[lane]));
        }

        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> low512 = ScaledHalfWeights.LoadLow512(ref bits[0], 32), high512 = ScaledHalfWeights.LoadHigh512(ref bits[0], 32);
            for (int lane = 0; lane < 16; lane++)
            {
                Assert.Equal(Expected(bits[32 + ScaledHalfWeights.PairPosition(lane, 16)]), low512[lane]);
                Assert.Equal(Expected(bits[32 + ScaledHalfWeights.PairPosition(16 + lane, 16)]), high512[lane]);
            }
        }
    }

    [Fact]
    public void Inputs_too_large_to_scale_are_scaled_less_and_give_the_same_outputs()
    {
        INetwork network = new WideNet(seed: 3);
        HalfPrecisionPredictor predictor = network.ToHalfPrecision();
        var reference = new ReferenceNetwork(network.Shape);
        double[] rounded = RoundedWeights(network);
        var random = new Random(9);
        float[] output = new float[network.Shape.Outputs];
        foreach (float largest in new[] { 65536f, 3e5f, 1e20f })
        {
            float[] input = RandomData.Uniform(random, network.Shape.Inputs);
            input[5] = largest;
            input[7] = -largest / 3;

            predictor.Predict(input, output);

            AssertClose(reference.Forward(rounded, input), output, $"an input of {largest}");
        }
    }

    [Fact]
    public void Weights_round_to_the_nearest_half_and_the_subnormal_ones_to_zero_or_the_smallest_normal()
    {
        var network = new ProbeNet(seed: 1);
        float smallestNormal = MathF.ScaleB(1f, -14);
        float[] weights = [1f / 3, -1e-5f, 4e-5f, -3.5e-5f, 1e-9f, -60000f];
        network.CopyParametersFrom(weights);
        float[] expected = [(float)(Half)(1f / 3), -0f, smallestNormal, -smallestNormal, 0f, -60000f];

        HalfPrecisionPredictor predictor = network.ToHalfPrecision();

        float[] output = new float[2];
        for (int input = 0; input < 3; input++)
        {
            float[] oneHot = new float[3];
            oneHot[input] = 1f;
            predictor.Predict(oneHot, output);
            Assert.Equal(expected[input], output[0]);
            Assert.Equal(expected[3 + input], output[1]);
        }

        Assert.Equal(expected.Zip(weights, (e, w) => MathF.Abs(e - w)).Max(), predictor.LargestWeightChange);
        // Its 2 units stored as a whole panel of 32.
        Assert.Equal(3 * 32 * sizeof(short), predictor.WeightBytes);
        float[] kept = new float[weights.Length];
        network.CopyParametersTo(kept);
        Assert.Equal(weights, kept);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "infinite")]
    [InlineData(70000f, "70000")]
    public void A_weight_half_precision_cannot_hold_is_refused_naming_where_it_is(float weight, string said)
    {
        var network = new ProbeNet(seed: 1);
        float[] weights = [0.5f, 0.25f, 0.125f, 1f, weight, 2f];
        network.CopyParametersFrom(weights);

        var error = Assert.Throws<ArgumentException>(() => network.ToHalfPrecision());

        Assert.Contains("ProbeNet", error.Message);
        Assert.Contains("unit 1 from input 1", error.Message);
        Assert.Contains(said, error.Message);
    }

    [Fact]
    public void The_copy_is_taken_when_made_and_the_network_keeps_its_float32_weights()
    {
        var network = new TinyNet(seed: 2);
        float[] before = network.Parameters.ToArray();
        HalfPrecisionPredictor predictor = network.ToHalfPrecision();
        float[] input = RandomData.Uniform(new Random(3), TinyNet.InputSize);
        float[] first = new float[TinyNet.OutputSize];
        predictor.Predict(input, first);

        network.Parameters.Clear();

        float[] second = new float[TinyNet.OutputSize];
        predictor.Predict(input, second);
        Assert.Equal(first, second);
        Assert.Equal(((16 * 64) + (64 * 64) + (64 * 32)) * sizeof(short), predictor.WeightBytes);
        Assert.NotEqual(before, network.Parameters.ToArray());
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_batch_of_16_rows_or_more_is_the_batched_kernels_over_the_weights_rounded_to_half(string name)
    {
        (IGeneratedNetwork network, HalfPrecisionPredictor predictor, double[] weights) = RandomizedHalves(name, seed: 7);
        IGeneratedNetwork rounded = TestNetworks.Create(name, seed: 7);
        rounded.CopyParametersFrom(Array.ConvertAll(weights, value => (float)value));
        NetworkShape shape = network.Shape;
        var reference = new ReferenceNetwork(shape);
        var random = new Random(71);

        foreach (int rows in new[] { 16, 37 })
        {
            float[] inputs = RandomData.MostlyZero(random, rows * shape.Inputs, 0.5, 2f);
            float[] expected = new float[rows * shape.Outputs];
            float[] actual = new float[rows * shape.Outputs];
            rounded.Layout.PredictBatch(rounded.ParameterStorage, inputs, expected, rows);

            predictor.PredictBatch(inputs, actual);

            Assert.Equal(expected, actual);
            for (int r = 0; r < rows; r++)
            {
                AssertClose(reference.Forward(weights, inputs.AsSpan(r * shape.Inputs, shape.Inputs).ToArray()), actual.AsSpan(r * shape.Outputs, shape.Outputs).ToArray(), $"{name}, row {r} of {rows}");
            }
        }
    }

    [Fact]
    public void A_batch_of_fewer_than_16_rows_is_its_rows_predicted_one_at_a_time_and_callers_may_share_the_predictor()
    {
        var network = new FmnistNet(seed: 4);
        HalfPrecisionPredictor predictor = network.ToHalfPrecision();
        const int rows = 9;
        float[] inputs = RandomData.MostlyZero(new Random(5), rows * FmnistNet.InputSize, 0.5);
        float[] outputs = new float[rows * FmnistNet.OutputSize];
        predictor.PredictBatch(inputs, outputs);

        Parallel.For(0, 4, caller =>
        {
            float[] output = new float[FmnistNet.OutputSize];
            for (int round = 0; round < 50; round++)
            {
                int row = (caller + round) % rows;
                predictor.Predict(inputs.AsSpan(row * FmnistNet.InputSize, FmnistNet.InputSize), output);
                Assert.Equal(outputs.AsSpan(row * FmnistNet.OutputSize, FmnistNet.OutputSize).ToArray(), output);
            }
        });
    }

    [Fact]
    public void Predict_and_PredictBatch_allocate_nothing()
    {
        HalfPrecisionPredictor predictor = new FmnistNet(seed: 1).ToHalfPrecision();
        float[] inputs = RandomData.Uniform(new Random(1), 20 * FmnistNet.InputSize);
        float[] outputs = new float[20 * FmnistNet.OutputSize];

        Assert.Equal(0, Allocations.SteadyStateBytes(() => predictor.Predict(inputs.AsSpan(0, FmnistNet.InputSize), outputs.AsSpan(0, FmnistNet.OutputSize))));
        Assert.Equal(0, Allocations.SteadyStateBytes(() => predictor.PredictBatch(inputs.AsSpan(0, 4 * FmnistNet.InputSize), outputs.AsSpan(0, 4 * FmnistNet.OutputSize))));
        Assert.Equal(0, Allocations.SteadyStateBytes(() => predictor.PredictBatch(inputs, outputs), callsPerWindow: 10));
    }

    [Fact]
    public void Wrong_widths_are_refused_naming_the_network()
    {
        HalfPrecisionPredictor predictor = new FmnistNet(seed: 1).ToHalfPrecision();

        var error = Assert.Throws<ArgumentException>(() => predictor.Predict(new float[783], new float[10]));
        Assert.Contains("FmnistNet", error.Message);
        Assert.Contains("783", error.Message);
        Assert.Throws<ArgumentException>(() => predictor.Predict(new float[784], new float[9]));
        Assert.Throws<ArgumentException>(() => predictor.PredictBatch(new float[784 * 2], new float[10 * 3]));
    }

    [Fact]
    public void The_input_scale_is_two_to_the_112()
    {
        Assert.Equal(ScaledHalfWeights.InputScale, MathF.ScaleB(1f, 112));
        Assert.Equal(ScaledHalfWeights.MaxInput, MathF.ScaleB(1f, 16));
    }

    /// <summary>The canonical parameters with every weight rounded as the predictor rounds it, and the biases as they are.</summary>
    /// <summary>A test network with random weights, its half-precision predictor, and its parameters with the weights rounded as the predictor rounds them.</summary>
    private static (IGeneratedNetwork Network, HalfPrecisionPredictor Predictor, double[] Rounded) RandomizedHalves(string name, int seed)
    {
        IGeneratedNetwork network = TestNetworks.Create(name, seed);
        TestParameters.Randomize(network, new Random(seed * 10));
        return (network, network.ToHalfPrecision(), RoundedWeights(network));
    }

    private static double[] RoundedWeights(INetwork network)
    {
        double[] parameters = ReferenceNetwork.CanonicalParameters(network);
        int offset = 0;
        foreach (DenseLayer layer in network.Shape.Layers)
        {
            for (int i = offset; i < offset + (layer.Inputs * layer.Units); i++)
            {
                Half half = (Half)(float)parameters[i];
                parameters[i] = Half.IsSubnormal(half) ? Math.CopySign(Math.Abs(parameters[i]) < Math.ScaleB(1, -15) ? 0 : Math.ScaleB(1, -14), parameters[i]) : (double)half;
            }

            offset += layer.ParameterCount;
        }

        return parameters;
    }

    private static void AssertClose(double[] expected, float[] actual, string what)
    {
        double scale = expected.Max(Math.Abs);
        for (int o = 0; o < expected.Length; o++)
        {
            Assert.True(Math.Abs(expected[o] - actual[o]) <= (2e-5 * Math.Max(1, scale)) + (1e-5 * Math.Abs(expected[o])), $"{what}, output {o}: {actual[o]} against {expected[o]}");
        }
    }
}
