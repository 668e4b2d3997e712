using Xunit;

namespace StaticNet.Tests;

/// <summary>A network whose logit is its output, for the cross-entropies on logits.</summary>
[Network(Inputs = 2)]
[Dense(8, Activation.Tanh)]
[Dense(1, Activation.Linear)]
public partial class XorLogitNet;

/// <summary>
/// The cross-entropies on logits, label smoothing and log-cosh: values and gradients against PyTorch's (computed
/// once in float64 by Data/pytorch/loss_values.py and written here), agreement with the losses on probabilities,
/// stability at extreme logits, and the checks before training.
/// </summary>
public class LogitLossTests
{
    private static readonly float[] BinaryLogits = [-30f, -2.5f, -0.3f, 0f, 0.7f, 3f, 40f];
    private static readonly float[] BinaryLabels = [0f, 1f, 0.3f, 1f, 0f, 1f, 0f];
    private static readonly float[] CategoricalLogits = [2f, -1f, 0.5f, 60f, -3f, 0f, 1.5f, 0.2f, 0.1f, 0.2f, -0.3f, -50f];
    private static readonly float[] CategoricalLabels = [0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0];

    public static TheoryData<string, double, double[]> PyTorchValues() => new()
    {
        { "binary 0", 6.438309365682903, [1.336803281262757e-14, -0.1320202599969652, 0.017936783312620146, -0.07142857142857142, 0.09545539602402374, -0.006775124739652376, 0.14285714285714285] },
        { "binary 0.1", 6.366309365682903, [-0.007142857142843775, -0.12487740285410807, 0.015079640455477288, -0.0642857142857143, 0.0883125388811666, 0.00036773240320475686, 0.1357142857142857] },
        { "categorical 0", 0.476932190916822, [2.1567449752151533e-26, 1.0737800953308385e-27, 4.8123485171907845e-27, 0.0, 0.0024575724975101276, 0.04936166314015018, -0.11210970714441293, 0.060290471506752624, -0.21323446158648662, 0.132729780348312, 0.08050468123817461, 2.0959715536643547e-23] },
        { "categorical 0.2", 4.413598857583488, [-0.016666666666666666, -0.016666666666666666, -0.016666666666666666, 0.04999999999999999, -0.01420909416915654, 0.03269499647348352, -0.06210970714441293, 0.043623804840085954, -0.16323446158648663, 0.11606311368164533, 0.06383801457150795, -0.016666666666666666] },
        { "log-cosh", 8.184086457535702, [0.11552928931500242, -0.24876368842168262, 0.25, 0.002499916669999852] },
    };

    [Theory]
    [MemberData(nameof(PyTorchValues))]
    public void The_loss_and_its_gradient_are_PyTorchs(string @case, double expectedLoss, double[] expectedGradient)
    {
        (Loss loss, float[] outputs, float[] targets, int width) = @case switch
        {
            "binary 0" => (Loss.BinaryCrossEntropyWith(fromLogits: true), BinaryLogits, BinaryLabels, 1),
            "binary 0.1" => (Loss.BinaryCrossEntropyWith(fromLogits: true, labelSmoothing: 0.1f), BinaryLogits, BinaryLabels, 1),
            "categorical 0" => (Loss.CategoricalCrossEntropyWith(fromLogits: true), CategoricalLogits, CategoricalLabels, 4),
            "categorical 0.2" => (Loss.CategoricalCrossEntropyWith(fromLogits: true, labelSmoothing: 0.2f), CategoricalLogits, CategoricalLabels, 4),
            _ => (Loss.LogCosh, new[] { 0.5f, -2f, 30f, 0.01f }, new[] { 0f, 1f, -1f, 0f }, 1),
        };
        float[] gradient = new float[outputs.Length];

        double value = loss.Compute(outputs, targets, width, Activation.Linear, gradient, out _);

        // The inputs are the float32 nearest PyTorch's float64 ones, hence the tolerances.
        Assert.Equal(expectedLoss, value, 1e-6 * Math.Max(1, Math.Abs(expectedLoss)));
        for (int i = 0; i < gradient.Length; i++)
        {
            Assert.True(Math.Abs(expectedGradient[i] - gradient[i]) <= 1e-6, $"{@case} gradient {i}: PyTorch {expectedGradient[i]}, StaticNet {gradient[i]}");
        }
    }

    [Fact]
    public void On_logits_the_cross_entropies_are_those_of_the_squashed_outputs()
    {
        float[] logits = [-4f, -1.5f, -0.2f, 0.3f, 1.1f, 2.5f, 3.9f, -0.7f];
        float[] binaryTargets = [0f, 1f, 1f, 0f, 0.5f, 1f, 0f, 0.2f];
        float[] sigmoid = [.. logits.Select(z => 1f / (1f + MathF.Exp(-z)))];
        float[] categoricalTargets = [0, 1, 0, 0, 0.25f, 0.25f, 0.5f, 0];
        float[] softmax = [.. Softmax(logits[..4]), .. Softmax(logits[4..])];
        float[] onLogits = new float[8], onProbabilities = new float[8];

        foreach (float smoothing in new[] { 0f, 0.3f })
        {
            double binary = Loss.BinaryCrossEntropyWith(true, smoothing).Compute(logits, binaryTargets, 1, Activation.Linear, onLogits, out _);
            double binaryReference = Loss.BinaryCrossEntropyWith(false, smoothing).Compute(sigmoid, binaryTargets, 1, Activation.Sigmoid, onProbabilities, out bool fused);
            Assert.True(fused);
            Assert.Equal(binaryReference, binary, 1e-6);
            AssertClose(onProbabilities, onLogits);

            double categorical = Loss.CategoricalCrossEntropyWith(true, smoothing).Compute(logits, categoricalTargets, 4, Activation.Linear, onLogits, out _);
            double categoricalReference = Loss.CategoricalCrossEntropyWith(false, smoothing).Compute(softmax, categoricalTargets, 4, Activation.Softmax, onProbabilities, out fused);
            Assert.True(fused);
            Assert.Equal(categoricalReference, categorical, 1e-6);
            AssertClose(onProbabilities, onLogits);
        }
    }

    [Fact]
    public void Extreme_logits_give_finite_losses_and_gradients()
    {
        float[] logits = [-1000f, 1000f, 88f, -88f];
        float[] gradient = new float[4];

        double binary = Loss.BinaryCrossEntropyWith(fromLogits: true).Compute(logits, [1f, 0f, 1f, 0f], 1, Activation.Linear, gradient, out _);
        Assert.Equal(500, binary, 1e-9);
        Assert.All(gradient, g => Assert.True(float.IsFinite(g)));

        double categorical = Loss.CategoricalCrossEntropyWith(fromLogits: true).Compute(logits, [1f, 0f, 0f, 0f], 4, Activation.Linear, gradient, out _);
        Assert.Equal(2000, categorical, 1e-9);
        Assert.Equal([-1f, 1f, 0f, 0f], gradient);

        double logCosh = Loss.LogCosh.Compute([1e6f, -1e6f], [0f, 0f], 1, Activation.Linear, gradient.AsSpan(0, 2), out _);
        Assert.Equal(1e6 - Math.Log(2), logCosh, 1e-6);
    }

    [Fact]
    public void A_loss_on_logits_refuses_a_squashing_last_layer_before_training()
    {
        var network = new XorNet(seed: 1);
        float[] before = network.Parameters.ToArray();
        float[,] x = { { 0, 1 } }, y = { { 1 } };
        var options = new FitOptions { Loss = Loss.BinaryCrossEntropyWith(fromLogits: true), Optimizer = new Adam(), Epochs = 1, BatchSize = 1, Verbose = Verbosity.Silent };

        var error = Assert.Throws<ArgumentException>(() => network.Fit(x, y, options));

        Assert.Contains("the last layer of XorNet is Sigmoid", error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
        Assert.Throws<ArgumentException>(() => new TrainingSession(network, Loss.CategoricalCrossEntropyWith(fromLogits: true), new Adam(), maxBatchSize: 4));
    }

    [Fact]
    public void A_network_trained_on_logits_learns_xor()
    {
        var network = new XorLogitNet(seed: 3);
        float[,] x = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
        float[,] y = { { 0 }, { 1 }, { 1 }, { 0 } };
        History history = network.Fit(x, y, new FitOptions
        {
            Loss = Loss.BinaryCrossEntropyWith(fromLogits: true),
            Optimizer = new Adam(0.05f),
            Epochs = 300,
            BatchSize = 4,
            Seed = 1,
            Verbose = Verbosity.Silent,
        });

        Assert.True(history.Epochs[^1].Loss < 0.05, $"final loss {history.Epochs[^1].Loss}");
        float[] logit = new float[1];
        network.Predict([1f, 0f], logit);
        Assert.True(logit[0] > 2);
        network.Predict([1f, 1f], logit);
        Assert.True(logit[0] < -2);
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void Label_smoothing_outside_zero_to_one_is_refused(float smoothing)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Loss.BinaryCrossEntropyWith(labelSmoothing: smoothing));
        Assert.Throws<ArgumentOutOfRangeException>(() => Loss.CategoricalCrossEntropyWith(labelSmoothing: smoothing));
    }

    private static float[] Softmax(float[] z)
    {
        float max = z.Max();
        float[] e = [.. z.Select(v => MathF.Exp(v - max))];
        float sum = e.Sum();
        return [.. e.Select(v => v / sum)];
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6, $"gradient {i}: {expected[i]} against {actual[i]}");
        }
    }
}
