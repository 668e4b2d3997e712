using StaticNet.Kernels;
using StaticNet.Training;
using Xunit;

namespace StaticNet.Tests;

/// <summary>Dropout on the inputs, after a Sigmoid (whose derivative reads its activations), and before a unit-major Softmax layer.</summary>
[Network(Inputs = 9)]
[Dropout(0.3)]
[Dense(17, Activation.Sigmoid)]
[Dropout(0.5)]
[Dense(40, Activation.ReLU)]
[Dropout(0.25)]
[Dense(3, Activation.Softmax)]
public partial class DropoutNet;

/// <summary><see cref="DropoutNet"/> without its dropout: the same parameters, the same predictions.</summary>
[Network(Inputs = 9)]
[Dense(17, Activation.Sigmoid)]
[Dense(40, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class UndroppedNet;

/// <summary>
/// Dropout in training steps: gradients against finite differences of the double-precision reference with the
/// step's masks, the masks' rate and scale, reproducible runs on one and two threads, and prediction untouched.
/// </summary>
public class DropoutTests
{
    private const int Rows = 6;

    [Fact]
    public void The_gradient_with_dropout_is_the_reference_networks_with_the_same_masks()
    {
        var random = new Random(12);
        var network = new DropoutNet(seed: 3);
        TestParameters.Randomize(network, random);
        IGeneratedNetwork kernels = network;
        NetworkShape shape = DropoutNet.Shape;
        float[] features = RandomData.Uniform(random, Rows * shape.Inputs, 2f);
        float[] targets = RandomData.Targets(random, "categorical_crossentropy", Rows, shape.Outputs);
        var buffers = new TrainingBuffers(shape, 8, kernels.Layout) { DropoutKey = 77 };

        kernels.Forward(features, Rows, buffers);
        double value = Loss.CategoricalCrossEntropy.Compute(buffers.Outputs(Rows), targets, shape.Outputs, shape.OutputActivation, buffers.OutputGradient(Rows), out bool fused);
        buffers.OutputGradientIsPreActivation = fused;
        kernels.Backward(features, Rows, buffers);
        float[] gradient = new float[shape.ParameterCount];
        kernels.CopyToCanonicalLayout(buffers.Gradients, gradient);

        var reference = new ReferenceNetwork(shape)
        {
            DropoutScales = [buffers.InputDropoutScales(Rows).ToArray(), buffers.DropoutScales(0, Rows).ToArray(), buffers.DropoutScales(1, Rows).ToArray(), null],
        };
        double[] parameters = ReferenceNetwork.CanonicalParameters(network);
        Assert.Equal(reference.Loss("categorical_crossentropy", parameters, features, targets), value, 1e-5);
        double[] numerical = reference.NumericalGradient("categorical_crossentropy", parameters, features, targets, [.. Enumerable.Range(0, shape.ParameterCount)]);
        double scale = Math.Max(numerical.Max(Math.Abs), 1e-3);
        for (int k = 0; k < numerical.Length; k++)
        {
            Assert.True(Math.Abs(gradient[k] - numerical[k]) <= (2e-3 * Math.Abs(numerical[k])) + (1e-4 * scale), $"parameter {k}: backward gives {gradient[k]:R}, finite differences {numerical[k]:R}");
        }

        Assert.Contains(0f, buffers.DropoutScales(1, Rows).ToArray());
    }

    [Theory]
    [InlineData(0.2f)]
    [InlineData(0.5f)]
    [InlineData(0.9f)]
    public void A_share_rate_of_values_is_dropped_and_the_rest_scaled_by_one_over_one_minus_rate(float rate)
    {
        const int Count = 200_003;
        float[] values = [.. Enumerable.Range(0, Count).Select(i => 1f + (i % 7))];
        float[] dropped = new float[Count], scales = new float[Count];

        DropoutMasks.Apply(values, dropped, scales, DropoutMasks.SiteKey(DropoutMasks.StepKey(5, 1), 2), 0, rate);

        double share = scales.Count(s => s == 0) / (double)Count;
        Assert.True(Math.Abs(share - rate) < 4 * Math.Sqrt(rate * (1 - rate) / Count), $"dropped {share} for a rate of {rate}");
        Assert.All(scales, s => Assert.True(s == 0 || s == 1f / (1f - rate)));
        for (int i = 0; i < Count; i++)
        {
            Assert.Equal(values[i] * scales[i], dropped[i]);
        }
    }

    [Fact]
    public void Masks_differ_between_steps_and_sites_and_a_vector_draws_what_the_scalar_tail_draws()
    {
        float[] ones = [.. Enumerable.Repeat(1f, 1000)];
        float[] Mask(uint key, int first, int length)
        {
            float[] scales = new float[length];
            DropoutMasks.Apply(ones.AsSpan(0, length), new float[length], scales, key, first, 0.5f);
            return scales;
        }

        uint step1 = DropoutMasks.StepKey(5, 1), step2 = DropoutMasks.StepKey(5, 2);
        float[] whole = Mask(DropoutMasks.SiteKey(step1, 1), 0, 1000);

        Assert.NotEqual(whole, Mask(DropoutMasks.SiteKey(step2, 1), 0, 1000));
        Assert.NotEqual(whole, Mask(DropoutMasks.SiteKey(step1, 2), 0, 1000));
        for (int first = 0; first < 20; first++)
        {
            Assert.Equal(whole.AsSpan(first, 3).ToArray(), Mask(DropoutMasks.SiteKey(step1, 1), first, 3));
        }
    }

    [Fact]
    public void Prediction_and_evaluation_ignore_dropout()
    {
        var dropped = new DropoutNet(seed: 4);
        var plain = new UndroppedNet(seed: 4);
        var random = new Random(3);
        float[,] x = new float[20, 9];
        foreach (int i in Enumerable.Range(0, 180))
        {
            x[i / 9, i % 9] = random.NextSingle();
        }

        Assert.Equal(plain.Parameters.ToArray(), dropped.Parameters.ToArray());
        Assert.Equal(plain.Predict(x), dropped.Predict(x));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Fit_with_dropout_and_a_seed_trains_the_same_network_every_run(int threads)
    {
        Dataset data = Data(64);
        var options = new FitOptions { Epochs = 3, BatchSize = 16, Seed = 9, Threads = threads, Loss = Loss.CategoricalCrossEntropy, Verbose = Verbosity.Silent };
        var first = new DropoutNet(seed: 2);
        var second = new DropoutNet(seed: 2);
        var other = new DropoutNet(seed: 2);

        first.Fit(data, options);
        second.Fit(data, options with { Optimizer = new Adam() });
        other.Fit(data, options with { Optimizer = new Adam(), Seed = 10 });

        Assert.Equal(first.Parameters.ToArray(), second.Parameters.ToArray());
        Assert.NotEqual(first.Parameters.ToArray(), other.Parameters.ToArray());
    }

    [Fact]
    public void Two_threads_draw_the_masks_one_thread_draws()
    {
        Dataset data = Data(32);
        var one = new DropoutNet(seed: 2);
        var two = new DropoutNet(seed: 2);
        using var single = new TrainingSession(one, Loss.CategoricalCrossEntropy, new Sgd(0.1f), 32, threads: 1) { Seed = 4 };
        using var parallel = new TrainingSession(two, Loss.CategoricalCrossEntropy, new Sgd(0.1f), 32, threads: 2) { Seed = 4 };

        for (int step = 0; step < 3; step++)
        {
            single.Step(data.Features, data.Targets);
            parallel.Step(data.Features, data.Targets);
            Assert.Equal(single.Buffers.DropoutScales(1, 32).ToArray(), parallel.Buffers.DropoutScales(1, 32).ToArray());
            Assert.Equal(single.Buffers.InputDropoutScales(32).ToArray(), parallel.Buffers.InputDropoutScales(32).ToArray());
        }

        for (int i = 0; i < one.Parameters.Length; i++)
        {
            Assert.True(Math.Abs(one.Parameters[i] - two.Parameters[i]) <= 1e-5f * Math.Max(1, Math.Abs(one.Parameters[i])), $"parameter {i}");
        }
    }

    [Fact]
    public void Buffers_made_without_room_for_dropout_are_refused_by_a_network_with_dropout()
    {
        IGeneratedNetwork network = new DropoutNet(seed: 1);

        var error = Assert.Throws<ArgumentException>(() => network.Forward(new float[2 * 9], 2, new TrainingBuffers(network.Shape, 2)));

        Assert.Contains("without room for it", error.Message);
    }

    [Fact]
    public void A_training_step_with_dropout_allocates_nothing_on_one_or_two_threads()
    {
        Dataset data = Data(32);
        foreach (int threads in new[] { 1, 2 })
        {
            using var session = new TrainingSession(new DropoutNet(seed: 1), Loss.CategoricalCrossEntropy, new Adam(1e-4f), 32, threads);
            long bytes = Allocations.SteadyStateBytes(() => session.Step(data.Features, data.Targets), () => GC.GetAllocatedBytesForCurrentThread() + session.WorkerAllocatedBytes);
            Assert.Equal(0, bytes);
        }
    }

    private static Dataset Data(int rows)
    {
        var random = new Random(rows);
        return new Dataset(RandomData.Uniform(random, rows * 9), 9, RandomData.Targets(random, "categorical_crossentropy", rows, 3), 3);
    }
}
