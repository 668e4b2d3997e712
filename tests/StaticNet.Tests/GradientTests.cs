using StaticNet;
using StaticNet.Training;
using Xunit;
using StaticNet.Kernels;

namespace StaticNet.Tests;

public class GradientTests
{
    private static readonly string[] ElementwiseNetworks =
        ["LinearNet", "ReLUNet", "LeakyReLUNet", "SigmoidNet", "TanhNet", "ELUNet", "SiLUNet", "GELUNet", "SoftplusNet", "SoftmaxNet", "TinyNet", "SeedNet", "LogisticNet"];

    /// <summary>
    /// Every activation with every regression loss; each cross-entropy both fused with its
    /// activation (Sigmoid + BCE, Softmax + CCE) and unfused (BCE after Softmax, CCE after Sigmoid).
    /// </summary>
    public static IEnumerable<object[]> Cases()
    {
        foreach (string network in ElementwiseNetworks)
        {
            foreach (string loss in new[] { "mse", "mae", "huber" })
            {
                yield return [network, loss];
            }
        }

        yield return ["SigmoidNet", "binary_crossentropy"];
        yield return ["LogisticNet", "binary_crossentropy"];
        yield return ["SeedNet", "binary_crossentropy"];
        yield return ["SoftmaxNet", "binary_crossentropy"];
        yield return ["SoftmaxNet", "categorical_crossentropy"];
        yield return ["FmnistNet", "categorical_crossentropy"];
        yield return ["NoBiasNet", "categorical_crossentropy"];
        yield return ["NoBiasRegisterNet", "mse"];
        yield return ["SigmoidNet", "categorical_crossentropy"];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_matches_finite_differences_of_the_double_precision_reference(string networkName, string lossName)
    {
        string? mismatch = FirstMismatch(networkName, lossName, new Random(StableSeed(networkName, lossName)));
        Assert.True(mismatch is null, mismatch);
    }

    /// <summary>
    /// How far every ReLU pre-activation (and, under MAE, every output from its target) must lie from the kink for a
    /// batch to be compared: 100 times float32's rounding error over a few hundred terms, so both precisions take the
    /// same side, and a draw is rarely refused (a sample of FMNIST's 384 hidden units lands closer about once in four).
    /// </summary>
    private const double KinkMargin = 1e-4;

    /// <summary>
    /// Runs one batch of random parameters and data through the network's backward pass and compares the gradients with
    /// the reference's finite differences; returns the first parameter that disagrees, or null. Batches that come
    /// within <see cref="KinkMargin"/> of a kink are drawn again.
    /// </summary>
    private static string? FirstMismatch(string networkName, string lossName, Random random)
    {
        IGeneratedNetwork network = TestNetworks.Create(networkName, seed: 21);
        TestParameters.Randomize(network, random);
        NetworkShape shape = network.Shape;
        Loss loss = LossNamed(lossName);
        var reference = new ReferenceNetwork(shape);
        double[] parameters = ReferenceNetwork.CanonicalParameters(network);

        const int Rows = 5;
        float[] features, targets;
        do
        {
            features = RandomData.Uniform(random, Rows * shape.Inputs, 2f);
            targets = RandomData.Targets(random, lossName, Rows, shape.Outputs);
        }
        while (reference.NearestKink(lossName, parameters, features, targets) < KinkMargin);

        var buffers = new TrainingBuffers(shape, maxRows: 8);
        network.Forward(features, Rows, buffers);
        double value = loss.Compute(buffers.Outputs(Rows), targets, shape.Outputs, shape.OutputActivation, buffers.OutputGradient(Rows), out bool fused);
        buffers.OutputGradientIsPreActivation = fused;
        network.Backward(features, Rows, buffers);
        float[] gradient = new float[shape.ParameterCount];
        network.CopyToCanonicalLayout(buffers.Gradients, gradient);

        double expectedValue = reference.Loss(lossName, parameters, features, targets);
        if (Math.Abs(value - expectedValue) > 1e-5 * Math.Max(1, Math.Abs(expectedValue)))
        {
            return $"loss {value:R}, reference {expectedValue:R}";
        }

        int[] indices = ChooseParameters(random, shape);
        double[] numerical = reference.NumericalGradient(lossName, parameters, features, targets, indices);
        double scale = Math.Max(numerical.Max(Math.Abs), 1e-3);
        for (int k = 0; k < indices.Length; k++)
        {
            double analytic = gradient[indices[k]];
            double tolerance = (2e-3 * Math.Abs(numerical[k])) + (1e-4 * scale);
            if (Math.Abs(analytic - numerical[k]) > tolerance)
            {
                return $"parameter {indices[k]}: backward gives {analytic:R}, finite differences {numerical[k]:R}";
            }
        }

        return null;
    }

    /// <summary>A seed that is the same in every process, unlike <see cref="HashCode"/>'s, so a failure can be re-run.</summary>
    private static int StableSeed(string networkName, string lossName)
    {
        int seed = 17;
        foreach (char c in networkName + "/" + lossName)
        {
            seed = unchecked((seed * 31) + c);
        }

        return seed;
    }

    [Fact]
    public void Padding_beyond_the_parameters_keeps_a_zero_gradient()
    {
        var network = new SeedNet(seed: 1);
        var buffers = new TrainingBuffers(SeedNet.Shape, maxRows: 4);
        float[] x = [0.1f, 0.2f, 0.3f, 0.4f];
        ((IGeneratedNetwork)network).Forward(x, 2, buffers);
        buffers.OutputGradient(2).Fill(1);
        ((IGeneratedNetwork)network).Backward(x, 2, buffers);
        Assert.All(buffers.Gradients[SeedNet.ParameterCount..].ToArray(), g => Assert.Equal(0, g));
    }

    internal static Loss LossNamed(string name) => name switch
    {
        "mse" => Loss.MeanSquaredError,
        "mae" => Loss.MeanAbsoluteError,
        "huber" => Loss.Huber,
        "binary_crossentropy" => Loss.BinaryCrossEntropy,
        "categorical_crossentropy" => Loss.CategoricalCrossEntropy,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>Every parameter of a small network; for a large one every bias of the last layer plus a random sample.</summary>
    private static int[] ChooseParameters(Random random, NetworkShape shape)
    {
        if (shape.ParameterCount <= 1500)
        {
            return Enumerable.Range(0, shape.ParameterCount).ToArray();
        }

        var chosen = new SortedSet<int>(Enumerable.Range(shape.ParameterCount - shape.Outputs, shape.Outputs));
        while (chosen.Count < shape.Outputs + 60)
        {
            chosen.Add(random.Next(shape.ParameterCount));
        }

        return [.. chosen];
    }
}
