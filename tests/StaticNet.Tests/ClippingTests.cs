using StaticNet.Kernels;
using StaticNet.Training;
using Xunit;

namespace StaticNet.Tests;

/// <summary>
/// Keras' gradient clipping: each setting's step against SGD on the clipped gradients computed in double precision
/// per tensor (a layer's weights, its biases), through Optimizer.Step and through a training session on one and two
/// threads, and the settings' checks.
/// </summary>
public class ClippingTests
{
    public static TheoryData<string> Settings() => ["value", "norm", "global norm"];

    [Theory]
    [MemberData(nameof(Settings))]
    public void A_clipped_step_is_SGD_on_the_gradients_clipped_as_Keras_clips_them(string setting)
    {
        var network = new TinyNet(seed: 3);
        IGeneratedNetwork kernels = network;
        var random = new Random(4);
        float[] canonical = [.. Enumerable.Range(0, TinyNet.ParameterCount).Select(_ => (random.NextSingle() - 0.5f) * 4)];
        float[] storage = new float[ParameterStorage.Length(TinyNet.ParameterCount)];
        kernels.CopyFromCanonicalLayout(canonical, storage);
        double[] before = ReferenceNetwork.CanonicalParameters(network);
        const float Rate = 0.1f;
        Sgd sgd = Create(setting, Rate);

        sgd.Step(network, storage);

        double[] clipped = Clip(setting, canonical);
        double[] after = ReferenceNetwork.CanonicalParameters(network);
        for (int i = 0; i < before.Length; i++)
        {
            Assert.True(Math.Abs(after[i] - (before[i] - (Rate * clipped[i]))) <= 1e-6 * Math.Max(1, Math.Abs(after[i])), $"parameter {i}: {after[i]} against {before[i] - (Rate * clipped[i])}");
        }

        Assert.NotEqual(canonical.Select(g => (double)g), clipped);
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void Two_threads_clip_as_one_thread_does(string setting)
    {
        var random = new Random(6);
        float[] features = RandomData.Uniform(random, 24 * 16, 3f);
        float[] targets = RandomData.Uniform(random, 24 * 4, 5f);
        var one = new TinyNet(seed: 1);
        var two = new TinyNet(seed: 1);
        using var single = new TrainingSession(one, Loss.MeanSquaredError, Create(setting, 0.05f), 24, threads: 1);
        using var parallel = new TrainingSession(two, Loss.MeanSquaredError, Create(setting, 0.05f), 24, threads: 2);
        double[] start = ReferenceNetwork.CanonicalParameters(one);

        for (int step = 0; step < 3; step++)
        {
            single.Step(features, targets);
            parallel.Step(features, targets);
        }

        for (int i = 0; i < one.Parameters.Length; i++)
        {
            Assert.True(Math.Abs(one.Parameters[i] - two.Parameters[i]) <= 1e-5f * Math.Max(1, Math.Abs(one.Parameters[i])), $"parameter {i}");
        }

        if (setting == "global norm")
        {
            // Three SGD steps of gradients of norm at most 0.5 move the parameters by at most 3 · 0.05 · 0.5.
            double moved = Math.Sqrt(ReferenceNetwork.CanonicalParameters(one).Zip(start, (a, b) => (a - b) * (a - b)).Sum());
            Assert.True(moved <= (3 * 0.05 * 0.5) + 1e-6, $"moved {moved}");
        }
    }

    [Fact]
    public void A_clipped_training_step_allocates_nothing_on_one_or_two_threads()
    {
        var random = new Random(2);
        float[] features = RandomData.Uniform(random, 16 * 16);
        float[] targets = RandomData.Uniform(random, 16 * 4);
        foreach (int threads in new[] { 1, 2 })
        {
            using var session = new TrainingSession(new TinyNet(seed: 1), Loss.MeanSquaredError, new Adam(1e-4f) { GlobalClipNorm = 1f }, 16, threads);
            Assert.Equal(0, Allocations.SteadyStateBytes(() => session.Step(features, targets), () => GC.GetAllocatedBytesForCurrentThread() + session.WorkerAllocatedBytes));
        }
    }

    [Fact]
    public void Only_one_clipping_may_be_set_and_each_is_positive_and_finite()
    {
        Assert.Equal("ClipNorm", Assert.Throws<ArgumentException>(() => new Adam { ClipValue = 1, ClipNorm = 1 }).ParamName);
        Assert.Equal("ClipValue", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam { ClipValue = 0 }).ParamName);
        Assert.Equal("GlobalClipNorm", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd { GlobalClipNorm = float.PositiveInfinity }).ParamName);
    }

    [Fact]
    public void A_fresh_optimizer_for_another_network_keeps_the_clipping()
    {
        Optimizer fresh = new RMSprop { ClipNorm = 2.5f }.Fresh();

        Assert.Equal(2.5f, fresh.ClipNorm);
        Assert.Null(fresh.ClipValue);
    }

    private static Sgd Create(string setting, float rate) => setting switch
    {
        "value" => new Sgd(rate) { ClipValue = 0.5f },
        "norm" => new Sgd(rate) { ClipNorm = 0.5f },
        _ => new Sgd(rate) { GlobalClipNorm = 0.5f },
    };

    /// <summary>The gradients in PyTorch's layout clipped as Keras clips them, in double precision.</summary>
    private static double[] Clip(string setting, float[] gradients)
    {
        double[] g = [.. gradients.Select(v => (double)v)];
        if (setting == "value")
        {
            return [.. g.Select(v => Math.Clamp(v, -0.5, 0.5))];
        }

        var tensors = new List<(int Start, int Length)>();
        int offset = 0;
        foreach (DenseLayer layer in TinyNet.Shape.Layers)
        {
            tensors.Add((offset, layer.Inputs * layer.Units));
            tensors.Add((offset + (layer.Inputs * layer.Units), layer.Units));
            offset += layer.ParameterCount;
        }

        double Norm(IEnumerable<(int Start, int Length)> parts) => Math.Sqrt(parts.Sum(t => g.Skip(t.Start).Take(t.Length).Sum(v => v * v)));
        double global = Norm(tensors);
        foreach ((int start, int length) in tensors)
        {
            double factor = setting == "norm" ? 0.5 / Math.Max(Norm([(start, length)]), 0.5) : 0.5 / Math.Max(global, 0.5);
            for (int i = start; i < start + length; i++)
            {
                g[i] *= factor;
            }
        }

        return g;
    }
}
