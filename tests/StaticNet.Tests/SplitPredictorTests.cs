using StaticNet;
using Xunit;
using StaticNet.Kernels;

namespace StaticNet.Tests;

public class SplitPredictorTests
{
    public static IEnumerable<object[]> Networks => TestNetworks.Names();

    [Theory]
    [MemberData(nameof(Networks))]
    public void Layers_computed_in_parts_give_Predict_outputs(string name)
    {
        IGeneratedNetwork network = TestNetworks.Create(name, seed: 4);
        NetworkShape shape = network.Shape;
        float[] input = RandomData.Uniform(new Random(8), shape.Inputs);
        float[] expected = new float[shape.Outputs];
        network.Predict(input, expected);

        foreach (int parts in new[] { 1, 2, 3, 7 })
        {
            float[] x = input;
            for (int layer = 0; layer < shape.Layers.Count; layer++)
            {
                float[] z = new float[shape.Layers[layer].Units];
                z.AsSpan().Fill(float.NaN);
                for (int part = parts - 1; part >= 0; part--)
                {
                    network.InferPart(layer, part, parts, x, z);
                }

                x = z;
            }

            // Small networks predict with straight-line code that sums in another order.
            for (int o = 0; o < expected.Length; o++)
            {
                Assert.True(Math.Abs(expected[o] - x[o]) <= 1e-5 * Math.Max(1, Math.Abs(expected[o])), $"{parts} parts, output {o}: {expected[o]} and {x[o]}");
            }
        }
    }

    [Theory]
    [InlineData("FmnistNet", 2)]
    [InlineData("FmnistNet", 3)]
    [InlineData("WideNet", 2)]
    [InlineData("WideNet", 4)]
    public void A_split_prediction_equals_Predict_exactly(string name, int threads)
    {
        INetwork network = TestNetworks.Create(name, seed: 5);
        using var predictor = new SplitPredictor(network, threads);
        Assert.True(predictor.Threads > 1);
        AssertSameAsPredict(network, predictor, calls: 300, seed: 11);
    }

    [Fact]
    public void Helpers_that_went_to_sleep_are_woken_or_stood_in_for()
    {
        var network = new FmnistNet(seed: 2);
        using var predictor = new SplitPredictor(network, threads: 2, spinTime: TimeSpan.Zero);
        for (int round = 0; round < 5; round++)
        {
            AssertSameAsPredict(network, predictor, calls: 20, seed: round);
            Thread.Sleep(2);
        }
    }

    [Fact]
    public void Concurrent_callers_each_get_their_own_sample_outputs()
    {
        var network = new WideNet(seed: 3);
        using var predictor = new SplitPredictor(network, threads: 2);
        Parallel.For(0, 4, caller => AssertSameAsPredict(network, predictor, calls: 100, seed: 100 + caller));
    }

    [Fact]
    public void A_network_with_no_layer_worth_splitting_runs_on_the_calling_thread()
    {
        var network = new TinyNet(seed: 1);
        using var predictor = new SplitPredictor(network, threads: 2);
        Assert.Equal(1, predictor.Threads);
        AssertSameAsPredict(network, predictor, calls: 10, seed: 1);
    }

    [Fact]
    public void A_split_prediction_allocates_nothing_on_any_of_its_threads()
    {
        var network = new FmnistNet(seed: 1);
        float[] input = new float[FmnistNet.InputSize];
        float[] output = new float[FmnistNet.OutputSize];
        using var predictor = new SplitPredictor(network, threads: 2);

        Assert.Equal(0, Allocations.SteadyStateBytes(() => predictor.Predict(input, output)));
        Assert.Equal(0, Allocations.SteadyStateBytes(() => predictor.Predict(input, output), () => predictor.HelperAllocatedBytes));
    }

    [Fact]
    public void Wrong_widths_parts_and_layers_are_rejected()
    {
        var network = new FmnistNet(seed: 1);
        using (var predictor = new SplitPredictor(network, threads: 2))
        {
            var error = Assert.Throws<ArgumentException>(() => predictor.Predict(new float[783], new float[10]));
            Assert.Contains("783", error.Message);
            Assert.Contains("784", error.Message);
            Assert.Throws<ArgumentException>(() => predictor.Predict(new float[784], new float[9]));
        }

        IGeneratedNetwork untyped = network;
        Assert.Throws<ArgumentOutOfRangeException>(() => untyped.InferPart(3, 0, 1, new float[128], new float[10]));
        Assert.Throws<ArgumentOutOfRangeException>(() => untyped.InferPart(0, 2, 2, new float[784], new float[256]));
        Assert.Throws<ArgumentOutOfRangeException>(() => untyped.InferPart(0, -1, 2, new float[784], new float[256]));
        Assert.Throws<ArgumentOutOfRangeException>(() => untyped.InferPart(0, 0, 0, new float[784], new float[256]));
        Assert.Throws<ArgumentOutOfRangeException>(() => untyped.InferPart(0, -3, -2, new float[784], new float[256]));
        Assert.Throws<ArgumentException>(() => untyped.InferPart(1, 0, 2, new float[784], new float[128]));
        Assert.Throws<ArgumentException>(() => untyped.InferPart(1, 0, 2, new float[256], new float[127]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SplitPredictor(network, threads: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SplitPredictor(network, spinTime: TimeSpan.FromTicks(-1)));
    }

    [Fact]
    public void A_layer_is_never_cut_into_more_parts_than_it_has_slices()
    {
        // 80,000 multiply-adds would be worth two threads, but four units are a single slice.
        using var predictor = new SplitPredictor(new OneSliceNet(seed: 1), threads: 2);
        Assert.Equal(1, predictor.Threads);
        AssertSameAsPredict(new OneSliceNet(seed: 1), predictor, calls: 3, seed: 2);
    }

    [Fact]
    public void A_disposed_predictor_refuses_calls()
    {
        var predictor = new SplitPredictor(new FmnistNet(seed: 1), threads: 2);
        predictor.Dispose();
        predictor.Dispose();
        Assert.Throws<ObjectDisposedException>(() => predictor.Predict(new float[784], new float[10]));
    }

    private static void AssertSameAsPredict(INetwork network, SplitPredictor predictor, int calls, int seed)
    {
        var random = new Random(seed);
        float[] expected = new float[network.Shape.Outputs];
        float[] actual = new float[network.Shape.Outputs];
        for (int call = 0; call < calls; call++)
        {
            // Every other sample mostly zero, whose zeros the parts skip as Predict does.
            float[] input = call % 2 == 0 ? RandomData.Uniform(random, network.Shape.Inputs) : RandomData.MostlyZero(random, network.Shape.Inputs);
            network.Predict(input, expected);
            predictor.Predict(input, actual);
            Assert.Equal(expected, actual);
        }
    }
}

/// <summary>One wide, narrow layer: many multiply-adds, one slice of units.</summary>
[Network(Inputs = 20000)]
[Dense(4, Activation.Sigmoid)]
public partial class OneSliceNet;
