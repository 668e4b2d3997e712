using System.Globalization;
using Xunit;

namespace StaticNet.Tests;

/// <summary>
/// Lion (Chen et al., 2023), written as a user writes an optimizer of their own: <c>u = sign(β1·m + (1 - β1)·g)</c>,
/// <c>p = p·(1 - lr·λ) - lr·u</c>, <c>m = β2·m + (1 - β2)·g</c>, as lion-pytorch defines it.
/// </summary>
public sealed class Lion(float learningRate = 1e-4f, float beta1 = 0.9f, float beta2 = 0.99f, float weightDecay = 0f)
    : ElementwiseOptimizer(learningRate, "exp_avg")
{
    public float Beta1 { get; } = beta1;

    public float Beta2 { get; } = beta2;

    public float WeightDecay { get; } = weightDecay;

    protected override IEnumerable<KeyValuePair<string, string>> RecordedSettings =>
    [
        new("beta1", Beta1.ToString("R", CultureInfo.InvariantCulture)),
        new("beta2", Beta2.ToString("R", CultureInfo.InvariantCulture)),
        new("weight_decay", WeightDecay.ToString("R", CultureInfo.InvariantCulture)),
    ];

    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, OptimizerState state, float learningRate, long step)
    {
        Span<float> m = state[0];
        for (int i = 0; i < parameters.Length; i++)
        {
            float direction = MathF.Sign((Beta1 * m[i]) + ((1 - Beta1) * gradients[i]));
            parameters[i] = (parameters[i] * (1 - (learningRate * WeightDecay))) - (learningRate * direction);
            m[i] = (Beta2 * m[i]) + ((1 - Beta2) * gradients[i]);
        }
    }

    protected override ElementwiseOptimizer CreateFresh() => new Lion(LearningRate, Beta1, Beta2, WeightDecay);
}

/// <summary>An optimizer of the user's own, through every path the built-in ones take.</summary>
public class CustomOptimizerTests
{
    [Fact]
    public void A_user_optimizer_steps_by_its_own_formula()
    {
        var network = new TinyNet(seed: 2);
        var lion = new Lion(0.01f, weightDecay: 0.1f);
        double[] p = [.. network.Parameters.ToArray().Select(v => (double)v)];
        double[] m = new double[p.Length];
        var random = new Random(3);

        for (int t = 1; t <= 4; t++)
        {
            float[] gradients = new float[StaticNet.Kernels.ParameterStorage.Length(TinyNet.ParameterCount)];
            for (int i = 0; i < TinyNet.ParameterCount; i++)
            {
                gradients[i] = (random.NextSingle() - 0.5f) * 2;
            }

            lion.Step(network, gradients);
            for (int i = 0; i < p.Length; i++)
            {
                double direction = Math.Sign((0.9 * m[i]) + (0.1 * gradients[i]));
                p[i] = (p[i] * (1 - (0.01 * 0.1))) - (0.01 * direction);
                m[i] = (0.99 * m[i]) + (0.01 * gradients[i]);
            }

            for (int i = 0; i < p.Length; i++)
            {
                Assert.True(Math.Abs(network.Parameters[i] - p[i]) <= 1e-5, $"step {t}, parameter {i}: {network.Parameters[i]} against {p[i]}");
            }
        }

        Assert.Equal(4, lion.Steps);
    }

    [Fact]
    public void Fit_with_a_user_optimizer_on_two_threads_learns_and_resumes_bit_for_bit_from_a_model_file()
    {
        var random = new Random(8);
        var data = new Dataset(RandomData.Uniform(random, 96 * 16), 16, RandomData.Uniform(random, 96 * 4), 4);
        var options = new FitOptions { Epochs = 4, BatchSize = 16, Seed = 5, Threads = 2, Loss = Loss.MeanSquaredError, Verbose = Verbosity.Silent };
        var straight = new TinyNet(seed: 1);
        History history = straight.Fit(data, options with { Optimizer = new Lion(3e-4f) });

        var resumed = new TinyNet(seed: 1);
        var lion = new Lion(3e-4f);
        resumed.Fit(data, options with { Optimizer = lion, Epochs = 2 });
        using var directory = new TemporaryDirectory();
        string path = Path.Combine(directory.Path, "lion.safetensors");
        resumed.Save(path, optimizer: lion);
        var loaded = new TinyNet(seed: 9);
        var restored = new Lion(3e-4f);
        ModelFile.LoadInto(loaded, path, restored);
        loaded.Fit(data, options with { Optimizer = restored, InitialEpoch = 2 });

        Assert.True(history.Epochs[^1].Values["loss"] < history.Epochs[0].Values["loss"]);
        Assert.Equal(straight.Parameters.ToArray(), loaded.Parameters.ToArray());
        Assert.Equal(24, restored.Steps);
    }

    [Fact]
    public void A_user_optimizers_file_refuses_other_settings_naming_them()
    {
        var network = new TinyNet(seed: 1);
        var lion = new Lion(1e-3f, beta1: 0.8f);
        lion.Step(network, new float[StaticNet.Kernels.ParameterStorage.Length(TinyNet.ParameterCount)]);
        using var directory = new TemporaryDirectory();
        string path = Path.Combine(directory.Path, "lion.safetensors");
        network.Save(path, optimizer: lion);

        var error = Assert.Throws<ModelFileException>(() => ModelFile.LoadInto(new TinyNet(seed: 2), path, new Lion(1e-3f)));

        Assert.Contains("beta1", error.Message);
    }
}
