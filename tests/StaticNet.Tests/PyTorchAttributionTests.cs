using System.Text.Json;
using Xunit;

namespace StaticNet.Tests;

/// <summary>
/// Input gradients and attributions against PyTorch's autograd: Data/pytorch/attributions.json, written by
/// attributions.py with PyTorch 1.13 in float64 from the same float32 parameters and inputs, one network per activation.
/// StaticNet computes in float32, so each value must come within float32's error of PyTorch's.
/// </summary>
public class PyTorchAttributionTests
{
    private static readonly Lazy<JsonElement> Fixture = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "pytorch", "attributions.json"))).RootElement);

    public static IEnumerable<object[]> Networks() =>
        Fixture.Value.GetProperty("networks").EnumerateArray().Select(n => new object[] { n.GetProperty("name").GetString()! });

    [Theory]
    [MemberData(nameof(Networks))]
    public void Batched_input_gradients_of_a_weighted_sum_of_outputs_match_autograd(string name)
    {
        (INetwork network, JsonElement fixture) = Load(name);
        float[] inputs = Floats(fixture, "inputs");
        float[] gradients = new float[inputs.Length];

        new InputGradients(network, maxRows: 16).Compute(inputs, Floats(fixture, "outputWeights"), gradients);

        AssertClose(Doubles(fixture, "gradients"), gradients, $"{name}, the gradients of 11 rows");
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Saliency_and_gradient_times_input_match_autograd(string name)
    {
        (INetwork network, JsonElement fixture) = Load(name);
        var explainer = new InputGradients(network);
        foreach ((float[] x, int output, JsonElement expected) in Explained(fixture))
        {
            float[] attributions = new float[x.Length];

            explainer.Saliency(x, output, attributions);
            AssertClose(Doubles(expected, "saliency"), attributions, $"{name}, saliency of output {output}");

            explainer.GradientTimesInput(x, output, attributions);
            AssertClose(Doubles(expected, "gradientTimesInput"), attributions, $"{name}, gradient × input of output {output}");
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Integrated_gradients_match_Captums_points_and_weights_computed_by_autograd_for_every_rule(string name)
    {
        (INetwork network, JsonElement fixture) = Load(name);
        float[] background = Floats(fixture, "background");
        float[] mean = new float[network.Shape.Inputs];
        for (int i = 0; i < background.Length; i++)
        {
            mean[i % mean.Length] += background[i] / (background.Length / mean.Length);
        }

        var explainer = new InputGradients(network, maxRows: 8);
        foreach ((float[] x, int output, JsonElement expected) in Explained(fixture))
        {
            foreach (JsonElement integral in expected.GetProperty("integratedGradients").EnumerateArray())
            {
                var rule = Enum.Parse<IntegrationRule>(integral.GetProperty("rule").GetString()!);
                int steps = integral.GetProperty("steps").GetInt32();
                string baseline = integral.GetProperty("baseline").GetString()!;
                float[] attributions = new float[x.Length];

                explainer.IntegratedGradients(x, baseline == "zeros" ? new float[x.Length] : mean, output, attributions, steps, rule);

                AssertClose(Doubles(integral, "attributions"), attributions, $"{name}, integrated gradients of output {output}, {rule} over {steps} points from {baseline}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Exact_Shapley_values_and_KernelSHAP_with_every_coalition_match_an_enumeration_in_PyTorch(string name)
    {
        (INetwork network, JsonElement fixture) = Load(name);
        var shap = new KernelShap(network, Floats(fixture, "background"));
        foreach ((float[] x, int output, JsonElement expected) in Explained(fixture))
        {
            double[] shapley = Doubles(expected, "shapley");
            float[] exact = new float[x.Length];
            float[] estimated = new float[x.Length];

            ShapleyResult result = shap.ComputeExactly(x, output, exact);
            shap.Compute(x, output, estimated, samples: (1 << x.Length) - 2);

            Assert.Equal(expected.GetProperty("shapleyBaseValue").GetDouble(), result.BaseValue, 1e-5);
            AssertClose(shapley, exact, $"{name}, exact Shapley values of output {output}");
            AssertClose(shapley, estimated, $"{name}, KernelSHAP of output {output} with every coalition");
        }
    }

    private static (INetwork Network, JsonElement Fixture) Load(string name)
    {
        JsonElement fixture = Fixture.Value.GetProperty("networks").EnumerateArray().Single(n => n.GetProperty("name").GetString() == name);
        INetwork network = TestNetworks.Create(name, seed: 1);
        network.CopyParametersFrom(Floats(fixture, "parameters"));
        return (network, fixture);
    }

    private static IEnumerable<(float[] Input, int Output, JsonElement Expected)> Explained(JsonElement fixture)
    {
        float[] inputs = Floats(fixture, "inputs");
        foreach (JsonElement explained in fixture.GetProperty("explained").EnumerateArray())
        {
            int row = explained.GetProperty("row").GetInt32();
            yield return (inputs.AsSpan(row * 7, 7).ToArray(), explained.GetProperty("output").GetInt32(), explained);
        }
    }

    /// <summary>
    /// Each value within float32's accumulated rounding of PyTorch's float64 one: 1e-5 of the largest value in the
    /// vector, so that values near 0 after cancellation are judged on the vector's scale, plus 1e-5 of the value itself.
    /// </summary>
    private static void AssertClose(double[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            Assert.True(error <= (1e-5 * scale) + (1e-5 * Math.Abs(expected[i])), $"{what}, value {i}: {actual[i]:R} against PyTorch's {expected[i]:R}");
        }
    }

    private static float[] Floats(JsonElement element, string name) => [.. element.GetProperty(name).EnumerateArray().Select(v => v.GetSingle())];

    private static double[] Doubles(JsonElement element, string name) => [.. element.GetProperty(name).EnumerateArray().Select(v => v.GetDouble())];
}
