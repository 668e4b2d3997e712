using Xunit;

namespace StaticNet.Tests;

/// <summary>
/// Input gradients and the attributions on them: against central finite differences of the double-precision reference
/// on every test network, exact for a linear network, integrated gradients complete as their points grow, dropout off.
/// </summary>
public class ExplanationTests
{
    public static IEnumerable<object[]> NetworksAndBatches() =>
        TestNetworks.Names().SelectMany(name => new[] { new[] { name[0], 3 }, new[] { name[0], 11 } });

    [Theory]
    [MemberData(nameof(NetworksAndBatches))]
    public void Input_gradients_match_finite_differences_of_the_double_precision_reference(string name, int rows)
    {
        var random = new Random(name.Length * 7);
        INetwork network = TestNetworks.Create(name, seed: 3);
        TestParameters.Randomize(network, random);
        NetworkShape shape = network.Shape;
        float[] inputs = RandomData.Uniform(random, rows * shape.Inputs, 1.5f);
        float[] weights = RandomData.Uniform(random, shape.Outputs);
        float[] gradients = new float[inputs.Length];

        new InputGradients(network, maxRows: 16).Compute(inputs, weights, gradients);

        var reference = new ReferenceNetwork(shape);
        double[] parameters = ReferenceNetwork.CanonicalParameters(network);
        double Objective(double[] x) => reference.Forward(parameters, x).Select((y, o) => y * weights[o]).Sum();
        for (int r = 0; r < rows; r++)
        {
            double[] x = [.. inputs.AsSpan(r * shape.Inputs, shape.Inputs).ToArray().Select(v => (double)v)];
            double[] numerical = [.. Enumerable.Range(0, x.Length).Select(i => ReferenceNetwork.CentralDifference(Objective, x, i))];

            double scale = Math.Max(numerical.Max(Math.Abs), 1e-3);
            for (int i = 0; i < x.Length; i++)
            {
                double analytic = gradients[(r * shape.Inputs) + i];
                Assert.True(Math.Abs(analytic - numerical[i]) <= (2e-3 * Math.Abs(numerical[i])) + (1e-4 * scale), $"row {r}, input {i}: {analytic:R} against {numerical[i]:R}");
            }
        }
    }

    [Fact]
    public void Gradient_times_input_of_a_linear_network_adds_up_to_its_output_less_its_output_at_zero()
    {
        var network = new LinearNet(seed: 4);
        var random = new Random(5);
        float[] x = RandomData.Uniform(random, 7, 2f);
        float[] attributions = new float[7];
        var explainer = new InputGradients(network);

        for (int output = 0; output < 3; output++)
        {
            explainer.GradientTimesInput(x, output, attributions);
            double expected = Output(network, x, output) - Output(network, new float[7], output);
            Assert.Equal(expected, attributions.Sum(a => (double)a), 1e-5);
        }
    }

    [Theory]
    [InlineData(IntegrationRule.GaussLegendre)]
    [InlineData(IntegrationRule.RiemannMiddle)]
    [InlineData(IntegrationRule.RiemannTrapezoid)]
    [InlineData(IntegrationRule.RiemannLeft)]
    [InlineData(IntegrationRule.RiemannRight)]
    public void Integrated_gradients_grow_complete_as_their_points_grow_to_within_a_thousandth_at_256_by_Gauss_Legendre_or_midpoints(IntegrationRule rule)
    {
        foreach (INetwork network in new INetwork[] { new TanhNet(seed: 2), new FmnistNet(seed: 2), new NoBiasNet(seed: 2) })
        {
            var random = new Random(6);
            float[] x = RandomData.Uniform(random, network.Shape.Inputs, 1f);
            float[] baseline = new float[x.Length];
            float[] attributions = new float[x.Length];
            var explainer = new InputGradients(network, maxRows: 40);

            double[] errors = [.. new[] { 4, 16, 256 }.Select(steps => Math.Abs(explainer.IntegratedGradients(x, baseline, 1, attributions, steps, rule).CompletenessError))];
            double difference = Math.Abs(explainer.IntegratedGradients(x, baseline, 1, attributions, 256, rule).OutputDifference);

            // Below 1e-5 of the output's change the error is float rounding, where Gauss-Legendre on a smooth network arrives first.
            double floor = 1e-5 * Math.Max(difference, 1e-2);
            Assert.True(errors[2] < errors[0] || errors[0] <= floor, $"{network.GetType().Name}: {string.Join(", ", errors)}");
            if (rule is IntegrationRule.GaussLegendre or IntegrationRule.RiemannMiddle)
            {
                // The first-order rules (left, right) and the trapezoid at a ReLU's kinks converge more slowly than this.
                Assert.True(errors[2] <= 1e-3 * Math.Max(difference, 1e-2), $"{network.GetType().Name}: {errors[2]} of {difference}");
            }
        }
    }

    [Fact]
    public void Integrated_gradients_of_a_linear_network_are_the_gradient_times_the_path_for_any_points()
    {
        var network = new LinearNet(seed: 7);
        var random = new Random(8);
        float[] x = RandomData.Uniform(random, 7, 2f), baseline = RandomData.Uniform(random, 7, 1f);
        float[] expected = new float[7], attributions = new float[7];
        var explainer = new InputGradients(network);
        explainer.Compute(x, [0f, 0f, 1f], expected);

        IntegratedGradientsResult result = explainer.IntegratedGradients(x, baseline, 2, attributions, steps: 3, IntegrationRule.RiemannLeft);

        for (int i = 0; i < 7; i++)
        {
            Assert.Equal(expected[i] * (x[i] - baseline[i]), attributions[i], 1e-5);
        }

        Assert.True(Math.Abs(result.CompletenessError) < 1e-5, $"{result}");
    }

    [Fact]
    public void Gauss_Legendre_points_are_NumPys_leggauss_moved_to_zero_one()
    {
        (double[] alphas, double[] weights) = new InputGradients(new TanhNet(seed: 1)).Path(IntegrationRule.GaussLegendre, 5);

        double[] nodes = [-0.906179845938664, -0.5384693101056831, 0, 0.5384693101056831, 0.906179845938664];
        double[] expectedWeights = [0.23692688505618908, 0.47862867049936647, 0.5688888888888889, 0.47862867049936647, 0.23692688505618908];
        for (int k = 0; k < 5; k++)
        {
            Assert.Equal((nodes[k] + 1) / 2, alphas[k], 1e-14);
            Assert.Equal(expectedWeights[k] / 2, weights[k], 1e-14);
        }
    }

    [Fact]
    public void Explanations_see_the_network_without_its_dropout()
    {
        var random = new Random(9);
        float[] x = RandomData.Uniform(random, 9);
        float[] dropped = new float[9], plain = new float[9];

        new InputGradients(new DropoutNet(seed: 4)).Saliency(x, 2, dropped);
        new InputGradients(new UndroppedNet(seed: 4)).Saliency(x, 2, plain);

        Assert.Equal(plain, dropped);
    }

    [Fact]
    public void SmoothGrad_without_noise_is_the_gradient_and_with_noise_repeats_for_a_seed()
    {
        var network = new FmnistNet(seed: 3);
        float[] x = RandomData.Uniform(new Random(2), 784);
        float[] gradient = new float[784], smooth = new float[784], again = new float[784], other = new float[784];
        var explainer = new InputGradients(network, maxRows: 16);
        explainer.Compute(x, [0, 0, 0, 1, 0, 0, 0, 0, 0, 0], gradient);

        explainer.SmoothGrad(x, 3, smooth, samples: 20, noise: 0);
        Assert.All(Enumerable.Range(0, 784), i => Assert.Equal(gradient[i], smooth[i], 1e-6f));
        explainer.SmoothGrad(x, 3, smooth, samples: 20, noise: 0.2f, seed: 5);
        explainer.SmoothGrad(x, 3, again, samples: 20, noise: 0.2f, seed: 5);
        explainer.SmoothGrad(x, 3, other, samples: 20, noise: 0.2f, seed: 6);
        Assert.Equal(smooth, again);
        Assert.NotEqual(smooth, other);
    }

    [Fact]
    public void Input_gradients_and_repeated_integrated_gradients_allocate_nothing()
    {
        var network = new FmnistNet(seed: 1);
        float[] x = RandomData.Uniform(new Random(1), 784), baseline = new float[784], attributions = new float[784];
        float[] weights = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var explainer = new InputGradients(network, maxRows: 32);

        Assert.Equal(0, Allocations.SteadyStateBytes(() => explainer.Compute(x, weights, attributions), callsPerWindow: 20));
        Assert.Equal(0, Allocations.SteadyStateBytes(() => explainer.IntegratedGradients(x, baseline, 0, attributions, steps: 32), callsPerWindow: 5));
    }

    private static double Output(INetwork network, float[] x, int output)
    {
        float[] y = new float[network.Shape.Outputs];
        network.Predict(x, y);
        return y[output];
    }
}
