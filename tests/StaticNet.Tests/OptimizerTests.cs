using StaticNet;
using StaticNet.Kernels;
using Xunit;

namespace StaticNet.Tests;

public class OptimizerTests
{
    private const int Steps = 6;

    public static IEnumerable<object[]> AdamSettings() =>
    [
        [0.001f, 0.9f, 0.999f, 1e-8f, 0f, false, false],
        [0.05f, 0.8f, 0.99f, 1e-6f, 0f, false, false],
        [0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, false, false],
        [0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, true, false],
        [0.05f, 0.8f, 0.9f, 1e-6f, 0f, false, true],
        [0.01f, 0.9f, 0.99f, 1e-8f, 0.1f, true, true],
    ];

    [Theory]
    [MemberData(nameof(AdamSettings))]
    public void Adam_and_AdamW_steps_equal_PyTorchs_formulas(float lr, float beta1, float beta2, float eps, float decay, bool decoupled, bool amsgrad)
    {
        var network = new TinyNet(seed: 1);
        Adam adam = decoupled ? new AdamW(lr, beta1, beta2, eps, decay, amsgrad) : new Adam(lr, beta1, beta2, eps, decay, amsgrad);
        double[] p = network.Parameters.ToArray().Select(v => (double)v).ToArray();
        double[] m = new double[p.Length], v = new double[p.Length], vMax = new double[p.Length];
        var random = new Random(5);

        for (int t = 1; t <= Steps; t++)
        {
            float[] gradients = Gradients(random, TinyNet.ParameterCount);
            adam.Step(network, gradients);

            // torch.optim.Adam / AdamW, single-tensor path, written out per element.
            for (int i = 0; i < p.Length; i++)
            {
                double g = gradients[i];
                if (decoupled)
                {
                    p[i] *= 1 - (lr * decay);
                }
                else
                {
                    g += decay * p[i];
                }

                m[i] = (beta1 * m[i]) + ((1 - beta1) * g);
                v[i] = (beta2 * v[i]) + ((1 - beta2) * g * g);
                vMax[i] = Math.Max(vMax[i], v[i]);
                double stepSize = lr / (1 - Math.Pow(beta1, t));
                double denominator = (Math.Sqrt(amsgrad ? vMax[i] : v[i]) / Math.Sqrt(1 - Math.Pow(beta2, t))) + eps;
                p[i] -= stepSize * m[i] / denominator;
            }

            AssertParameters(p, network.Parameters, $"step {t}");
        }

        Assert.Equal(Steps, adam.Steps);
    }

    public static IEnumerable<object[]> SgdSettings() =>
    [
        [0.1f, 0f, false, 0f],
        [0.05f, 0.9f, false, 0f],
        [0.05f, 0.9f, true, 0f],
        [0.05f, 0.5f, true, 0.01f],
    ];

    [Theory]
    [MemberData(nameof(SgdSettings))]
    public void Sgd_steps_equal_PyTorchs_formulas(float lr, float momentum, bool nesterov, float decay)
    {
        var network = new TinyNet(seed: 2);
        var sgd = new Sgd(lr, momentum, nesterov, decay);
        double[] p = network.Parameters.ToArray().Select(v => (double)v).ToArray();
        double[] buffer = new double[p.Length];
        var random = new Random(6);

        for (int t = 1; t <= Steps; t++)
        {
            float[] gradients = Gradients(random, TinyNet.ParameterCount);
            sgd.Step(network, gradients);

            // torch.optim.SGD with dampening 0, written out per element.
            for (int i = 0; i < p.Length; i++)
            {
                double g = gradients[i] + (decay * p[i]);
                if (momentum != 0)
                {
                    buffer[i] = t == 1 ? g : (momentum * buffer[i]) + g;
                    g = nesterov ? g + (momentum * buffer[i]) : buffer[i];
                }

                p[i] -= lr * g;
            }

            AssertParameters(p, network.Parameters, $"step {t}");
        }
    }

    public static TheoryData<float, float, float, bool, float> RMSpropSettings() => new()
    {
        { 0.01f, 0.99f, 0f, false, 0f },
        { 0.005f, 0.9f, 0.9f, false, 0f },
        { 0.005f, 0.95f, 0f, true, 0.01f },
        { 0.002f, 0.9f, 0.5f, true, 0f },
    };

    [Theory]
    [MemberData(nameof(RMSpropSettings))]
    public void RMSprop_steps_equal_PyTorchs_formulas(float lr, float alpha, float momentum, bool centered, float decay)
    {
        var network = new TinyNet(seed: 2);
        var rmsprop = new RMSprop(lr, alpha, 1e-8f, momentum, centered, decay);
        double[] p = network.Parameters.ToArray().Select(v => (double)v).ToArray();
        double[] square = new double[p.Length], average = new double[p.Length], buffer = new double[p.Length];
        var random = new Random(6);

        for (int t = 1; t <= Steps; t++)
        {
            float[] gradients = Gradients(random, TinyNet.ParameterCount);
            rmsprop.Step(network, gradients);

            // torch.optim.RMSprop, single-tensor path, written out per element.
            for (int i = 0; i < p.Length; i++)
            {
                double g = gradients[i] + (decay * p[i]);
                square[i] = (alpha * square[i]) + ((1 - alpha) * g * g);
                double denominator;
                if (centered)
                {
                    average[i] = (alpha * average[i]) + ((1 - alpha) * g);
                    denominator = Math.Sqrt(square[i] - (average[i] * average[i])) + 1e-8;
                }
                else
                {
                    denominator = Math.Sqrt(square[i]) + 1e-8;
                }

                if (momentum > 0)
                {
                    buffer[i] = (momentum * buffer[i]) + (g / denominator);
                    p[i] -= lr * buffer[i];
                }
                else
                {
                    p[i] -= lr * g / denominator;
                }
            }

            AssertParameters(p, network.Parameters, $"step {t}");
        }
    }

    public static TheoryData<float, float, float, float, float> NAdamSettings() => new()
    {
        { 0.002f, 0.9f, 0.999f, 0f, 0.004f },
        { 0.01f, 0.8f, 0.99f, 0.05f, 0.004f },
        { 0.005f, 0.9f, 0.999f, 0f, 0.1f },
    };

    [Theory]
    [MemberData(nameof(NAdamSettings))]
    public void NAdam_steps_equal_PyTorchs_formulas(float lr, float beta1, float beta2, float decay, float momentumDecay)
    {
        var network = new TinyNet(seed: 3);
        var nadam = new NAdam(lr, beta1, beta2, 1e-8f, decay, momentumDecay);
        double[] p = network.Parameters.ToArray().Select(v => (double)v).ToArray();
        double[] m = new double[p.Length], v = new double[p.Length];
        double product = 1;
        var random = new Random(7);

        for (int t = 1; t <= Steps; t++)
        {
            float[] gradients = Gradients(random, TinyNet.ParameterCount);
            nadam.Step(network, gradients);

            // torch.optim.NAdam (1.13), single-tensor path, written out per element.
            double mu = beta1 * (1 - (0.5 * Math.Pow(0.96, t * (double)momentumDecay)));
            double muNext = beta1 * (1 - (0.5 * Math.Pow(0.96, (t + 1) * (double)momentumDecay)));
            product *= mu;
            for (int i = 0; i < p.Length; i++)
            {
                double g = gradients[i] + (decay * p[i]);
                m[i] = (beta1 * m[i]) + ((1 - beta1) * g);
                v[i] = (beta2 * v[i]) + ((1 - beta2) * g * g);
                double denominator = Math.Sqrt(v[i] / (1 - Math.Pow(beta2, t))) + 1e-8;
                p[i] -= lr * (1 - mu) / (1 - product) * g / denominator;
                p[i] -= lr * muNext / (1 - (product * muNext)) * m[i] / denominator;
            }

            AssertParameters(p, network.Parameters, $"step {t}");
        }
    }

    public static TheoryData<float, float, float, float> AdagradSettings() => new()
    {
        { 0.01f, 0f, 0f, 0f },
        { 0.05f, 0.1f, 0.01f, 0.1f },
        { 0.02f, 0f, 0f, 0.5f },
    };

    [Theory]
    [MemberData(nameof(AdagradSettings))]
    public void Adagrad_steps_equal_PyTorchs_formulas(float lr, float lrDecay, float decay, float initial)
    {
        var network = new TinyNet(seed: 4);
        var adagrad = new Adagrad(lr, lrDecay, decay, initial);
        double[] p = network.Parameters.ToArray().Select(v => (double)v).ToArray();
        double[] sum = [.. p.Select(_ => (double)initial)];
        var random = new Random(8);

        for (int t = 1; t <= Steps; t++)
        {
            float[] gradients = Gradients(random, TinyNet.ParameterCount);
            adagrad.Step(network, gradients);

            // torch.optim.Adagrad (1.13), single-tensor path, written out per element.
            double rate = lr / (1 + ((t - 1) * lrDecay));
            for (int i = 0; i < p.Length; i++)
            {
                double g = gradients[i] + (decay * p[i]);
                sum[i] += g * g;
                p[i] -= rate * g / (Math.Sqrt(sum[i]) + 1e-10);
            }

            AssertParameters(p, network.Parameters, $"step {t}");
        }
    }

    [Fact]
    public void NAdam_rewound_to_an_earlier_step_takes_that_steps_momentum_product_again()
    {
        var once = new TinyNet(seed: 5);
        var rewound = new TinyNet(seed: 5);
        NAdam straight = new(0.01f), again = new(0.01f);
        var random = new Random(3);
        float[][] gradients = [.. Enumerable.Range(0, 4).Select(_ => Gradients(random, TinyNet.ParameterCount))];
        straight.Step(once, gradients[0]);
        straight.Step(once, gradients[1]);
        again.Step(rewound, gradients[0]);
        float[] parameters = rewound.Parameters.ToArray();
        float[] state = again.State.ToArray();
        again.Step(rewound, gradients[2]);
        again.Step(rewound, gradients[3]);

        again.Restore(state, 1);
        parameters.CopyTo(rewound.Parameters);
        again.Step(rewound, gradients[1]);

        Assert.Equal(once.Parameters.ToArray(), rewound.Parameters.ToArray());
    }

    [Fact]
    public void A_step_applied_in_ranges_equals_one_applied_whole()
    {
        var whole = new TinyNet(seed: 4);
        var ranged = new TinyNet(seed: 4);
        Adam first = new(0.01f), second = new(0.01f);
        var random = new Random(9);
        for (int t = 0; t < 3; t++)
        {
            float[] gradients = Gradients(random, TinyNet.ParameterCount);
            first.Step(whole, gradients);

            int storage = second.BeginStep(ranged);
            second.ApplyRange(ranged, gradients, 0, 1024);
            second.ApplyRange(ranged, gradients, 1024, storage - 1024);
        }

        Assert.Equal(whole.Parameters.ToArray(), ranged.Parameters.ToArray());
    }

    [Fact]
    public void Ranges_that_are_not_whole_vectors_inside_the_storage_are_rejected()
    {
        var network = new TinyNet(seed: 1);
        var adam = new Adam();
        float[] gradients = new float[ParameterStorage.Length(TinyNet.ParameterCount)];
        int storage = adam.BeginStep(network);
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.ApplyRange(network, gradients, 8, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.ApplyRange(network, gradients, 0, 24));
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.ApplyRange(network, gradients, storage - 16, 32));
    }

    [Fact]
    public void An_optimizer_refuses_a_second_network()
    {
        var adam = new Adam();
        adam.Step(new SeedNet(seed: 1), new float[ParameterStorage.Length(SeedNet.ParameterCount)]);
        var error = Assert.Throws<InvalidOperationException>(
            () => adam.Step(new SeedNet(seed: 2), new float[ParameterStorage.Length(SeedNet.ParameterCount)]));
        Assert.Contains("one optimizer per network", error.Message);
    }

    public static IEnumerable<object[]> SettingsOutOfRange() =>
    [
        [() => new Adam(learningRate: 0), "learningRate", 0f],
        [() => new Adam(learningRate: -0.001f), "learningRate", -0.001f],
        [() => new Adam(learningRate: float.NaN), "learningRate", float.NaN],
        [() => new Sgd(learningRate: float.PositiveInfinity), "learningRate", float.PositiveInfinity],
        [(Func<object>)(() => new Adam().LearningRate = float.NegativeInfinity), "LearningRate", float.NegativeInfinity],
        [() => new Adam(epsilon: 0), "epsilon", 0f],
        [() => new Adam(epsilon: -1e-8f), "epsilon", -1e-8f],
        [() => new AdamW(epsilon: float.PositiveInfinity), "epsilon", float.PositiveInfinity],
        [() => new Adam(beta1: 1), "beta1", 1f],
        [() => new Adam(beta1: -0.1f), "beta1", -0.1f],
        [() => new AdamW(beta2: float.NaN), "beta2", float.NaN],
        [() => new Adam(weightDecay: -0.01f), "weightDecay", -0.01f],
        [() => new AdamW(weightDecay: float.PositiveInfinity), "weightDecay", float.PositiveInfinity],
        [() => new Sgd(weightDecay: float.NaN), "weightDecay", float.NaN],
        [() => new Sgd(momentum: -0.1f), "momentum", -0.1f],
        [() => new Sgd(momentum: 1), "momentum", 1f],
        [() => new RMSprop(alpha: 1), "alpha", 1f],
        [() => new RMSprop(epsilon: 0), "epsilon", 0f],
        [() => new RMSprop(momentum: float.NaN), "momentum", float.NaN],
        [() => new RMSprop(weightDecay: -1), "weightDecay", -1f],
        [() => new NAdam(beta1: 1), "beta1", 1f],
        [() => new NAdam(momentumDecay: -0.1f), "momentumDecay", -0.1f],
        [() => new Adagrad(epsilon: 0), "epsilon", 0f],
        [() => new Adagrad(initialAccumulatorValue: float.NaN), "initialAccumulatorValue", float.NaN],
        [() => new Adagrad(learningRateDecay: -1), "learningRateDecay", -1f],
    ];

    [Theory]
    [MemberData(nameof(SettingsOutOfRange))]
    public void Each_setting_out_of_range_is_refused_naming_the_parameter_and_the_value(Func<object> create, string parameter, float value)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(create);
        Assert.Equal(parameter, error.ParamName);
        Assert.Equal(value, error.ActualValue);
        Assert.Contains(parameter, error.Message);
    }

    [Fact]
    public void Nesterov_momentum_without_momentum_is_refused()
    {
        Assert.Equal("nesterov", Assert.Throws<ArgumentException>(() => new Sgd(nesterov: true)).ParamName);
    }

    private static float[] Gradients(Random random, int count)
    {
        // The padding beyond the parameters is zero, as the backward pass leaves it.
        float[] gradients = new float[ParameterStorage.Length(count)];
        RandomData.Uniform(random, count).CopyTo(gradients, 0);
        return gradients;
    }

    private static void AssertParameters(double[] expected, ReadOnlySpan<float> actual, string where)
    {
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.True(
                Math.Abs(actual[i] - expected[i]) <= 1e-6 * Math.Max(1, Math.Abs(expected[i])),
                $"{where}, parameter {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
