using StaticNet.Kernels;
using StaticNet.Training;
using Xunit;

namespace StaticNet.Tests;

/// <summary>L1 and L2 on a panel layer, a unit-major one and a layer without, with initializers other than the default.</summary>
[Network(Inputs = 5)]
[Dense(40, Activation.Tanh, L1 = 0.003, L2 = 0.02, Initializer = Initializer.HeNormal)]
[Dense(9, Activation.ReLU)]
[Dense(3, Activation.Linear, L2 = 0.5, Initializer = Initializer.LeCunUniform)]
public partial class PenalizedNet;

/// <summary>
/// Keras' weight regularisers and initialisers: the penalised gradient against finite differences of the reference
/// loss plus the penalty, the penalty in the reported and evaluated loss, biases left alone, and each initialiser's
/// distribution.
/// </summary>
public class RegularizationTests
{
    private static readonly (int Layer, float L1, float L2)[] Penalties = [(0, 0.003f, 0.02f), (2, 0f, 0.5f)];

    [Fact]
    public void The_penalised_gradient_is_that_of_the_loss_plus_the_penalty_by_finite_differences()
    {
        var random = new Random(3);
        var network = new PenalizedNet(seed: 1);
        TestParameters.Randomize(network, random);
        IGeneratedNetwork kernels = network;
        const int Rows = 7;
        float[] features = RandomData.Uniform(random, Rows * 5, 2f);
        float[] targets = RandomData.Uniform(random, Rows * 3);
        using var session = new TrainingSession(network, Loss.MeanSquaredError, new Sgd(1e-30f), Rows);
        var reference = new ReferenceNetwork(PenalizedNet.Shape);
        double[] parameters = ReferenceNetwork.CanonicalParameters(network);
        double Objective(double[] p) => reference.Loss("mse", p, features, targets) + Penalty(p);

        double loss = session.Step(features, targets);
        float[] gradient = new float[PenalizedNet.ParameterCount];
        kernels.CopyToCanonicalLayout(session.Buffers.Gradients, gradient);

        Assert.Equal(Objective(parameters), loss, 1e-5);
        for (int k = 0; k < parameters.Length; k++)
        {
            double numerical = ReferenceNetwork.CentralDifference(Objective, parameters, k);
            Assert.True(Math.Abs(gradient[k] - numerical) <= (2e-3 * Math.Abs(numerical)) + 1e-4, $"parameter {k}: {gradient[k]:R} against {numerical:R}");
        }
    }

    [Fact]
    public void Evaluate_reports_the_loss_with_the_penalty_as_Keras_does()
    {
        var random = new Random(4);
        var network = new PenalizedNet(seed: 2);
        float[] features = RandomData.Uniform(random, 10 * 5);
        float[] targets = RandomData.Uniform(random, 10 * 3);
        var reference = new ReferenceNetwork(PenalizedNet.Shape);
        double[] parameters = ReferenceNetwork.CanonicalParameters(network);

        double loss = network.Evaluate(new Dataset(features, 5, targets, 3), Loss.MeanSquaredError).Loss;

        Assert.Equal(reference.Loss("mse", parameters, features, targets) + Penalty(parameters), loss, 1e-5);
        Assert.True(Penalty(parameters) > 0.01);
    }

    [Fact]
    public void Two_threads_penalise_their_own_slices_as_one_thread_does()
    {
        var random = new Random(5);
        float[] features = RandomData.Uniform(random, 16 * 5);
        float[] targets = RandomData.Uniform(random, 16 * 3);
        var one = new PenalizedNet(seed: 3);
        var two = new PenalizedNet(seed: 3);
        using var single = new TrainingSession(one, Loss.MeanSquaredError, new Sgd(0.05f), 16, threads: 1);
        using var parallel = new TrainingSession(two, Loss.MeanSquaredError, new Sgd(0.05f), 16, threads: 2);

        for (int step = 0; step < 3; step++)
        {
            Assert.Equal(single.Step(features, targets), parallel.Step(features, targets), 1e-5);
        }

        for (int i = 0; i < one.Parameters.Length; i++)
        {
            Assert.True(Math.Abs(one.Parameters[i] - two.Parameters[i]) <= 1e-5f * Math.Max(1, Math.Abs(one.Parameters[i])), $"parameter {i}");
        }
    }

    public static TheoryData<Initializer, double, bool> Distributions() => new()
    {
        { Initializer.GlorotUniform, 2.0 / (400 + 300), false },
        { Initializer.GlorotNormal, 2.0 / (400 + 300), true },
        { Initializer.HeUniform, 2.0 / 400, false },
        { Initializer.HeNormal, 2.0 / 400, true },
        { Initializer.LeCunUniform, 1.0 / 400, false },
        { Initializer.LeCunNormal, 1.0 / 400, true },
    };

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Each_initializer_draws_Keras_variance_within_its_bounds(Initializer initializer, double variance, bool normal)
    {
        float[] weights = new float[400 * 300];

        Initializers.Draw(initializer, weights, 400, 300, new SeededRandom(7));

        double mean = weights.Average(w => (double)w);
        double sampleVariance = weights.Average(w => (w - mean) * (w - mean));
        Assert.True(Math.Abs(mean) < 4 * Math.Sqrt(variance / weights.Length), $"mean {mean}");
        Assert.True(Math.Abs((sampleVariance / variance) - 1) < 0.02, $"variance {sampleVariance} against {variance}");
        double bound = normal ? 2 * Math.Sqrt(variance) / 0.87962566103423978 : Math.Sqrt(3 * variance);
        Assert.True(weights.Max(Math.Abs) <= bound * (1 + 1e-6), $"largest {weights.Max(Math.Abs)} against {bound}");
        Assert.True(weights.Max(Math.Abs) > 0.95 * bound, "the draws reach close to the bound");
    }

    [Fact]
    public void A_declared_initializer_draws_its_layers_weights()
    {
        var declared = new PenalizedNet(seed: 11);
        double[] canonical = ReferenceNetwork.CanonicalParameters(declared);
        double[] first = canonical[..(5 * 40)];
        double variance = first.Average(w => w * w);

        Assert.True(Math.Abs((variance / (2.0 / 5)) - 1) < 0.25, $"He normal's variance {variance} against {2.0 / 5}");
        Assert.True(first.Max(Math.Abs) <= 2 * Math.Sqrt(2.0 / 5) / 0.87962566103423978 * (1 + 1e-6));
    }

    /// <summary>The penalty of <see cref="PenalizedNet"/>'s weights in PyTorch's layout: Σ L1·|w| + L2·w² over each penalised layer's weights.</summary>
    private static double Penalty(double[] parameters)
    {
        double penalty = 0;
        int offset = 0;
        for (int layer = 0; layer < PenalizedNet.Shape.Layers.Count; layer++)
        {
            DenseLayer dense = PenalizedNet.Shape.Layers[layer];
            foreach ((int which, float l1, float l2) in Penalties)
            {
                if (which == layer)
                {
                    for (int k = offset; k < offset + (dense.Inputs * dense.Units); k++)
                    {
                        penalty += (l1 * Math.Abs(parameters[k])) + (l2 * parameters[k] * parameters[k]);
                    }
                }
            }

            offset += dense.ParameterCount;
        }

        return penalty;
    }
}
