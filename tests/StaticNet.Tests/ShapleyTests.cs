using Xunit;

namespace StaticNet.Tests;

/// <summary>
/// Shapley values: the exact ones against the mean marginal contribution over every ordering of the players, computed
/// on the double-precision reference; KernelSHAP equal to them when its budget covers every coalition and converging to
/// them as its budget grows; the axioms (efficiency, dummy, linearity) and the players that change nothing.
/// </summary>
public class ShapleyTests
{
    [Theory]
    [InlineData("SoftmaxNet", 0)]
    [InlineData("SoftmaxNet", 4)]
    [InlineData("TanhNet", 2)]
    [InlineData("GELUNet", 1)]
    public void Exact_values_are_the_mean_marginal_contribution_over_every_ordering_of_the_players(string name, int output)
    {
        var random = new Random(name.Length + output);
        INetwork network = TestNetworks.Create(name, seed: 2);
        TestParameters.Randomize(network, random);
        float[] background = RandomData.Uniform(random, 5 * 7, 1.5f);
        float[] x = RandomData.Uniform(random, 7, 1.5f);
        float[] values = new float[7];

        ShapleyResult result = new KernelShap(network, background).ComputeExactly(x, output, values);

        double[] expected = ByOrderings(network, background, x, output, FeatureGroups.Each(7));
        for (int i = 0; i < 7; i++)
        {
            Assert.True(Math.Abs(values[i] - expected[i]) <= 2e-6 + (1e-5 * Math.Abs(expected[i])), $"player {i}: {values[i]:R} against {expected[i]:R}");
        }

        Assert.Equal(128, result.Coalitions);
        Assert.Equal(result.Prediction - result.BaseValue, values.Sum(v => (double)v), 1e-5);
    }

    [Fact]
    public void Exact_values_of_groups_treat_each_group_as_one_player()
    {
        var random = new Random(11);
        var network = new TinyNet(seed: 1);
        TestParameters.Randomize(network, random);
        var groups = new FeatureGroups([0, 0, 1, 2, 2, 2, 3, 4, 5, 5, 6, 7, 7, 8, 0, 3]);
        float[] background = RandomData.Uniform(random, 4 * 16);
        float[] x = RandomData.Uniform(random, 16);
        float[] values = new float[groups.Count];

        new KernelShap(network, background, groups).ComputeExactly(x, 2, values);

        double[] expected = ByOrderings(network, background, x, 2, groups);
        for (int g = 0; g < groups.Count; g++)
        {
            Assert.True(Math.Abs(values[g] - expected[g]) <= 2e-6 + (1e-5 * Math.Abs(expected[g])), $"group {g}: {values[g]:R} against {expected[g]:R}");
        }
    }

    [Theory]
    [InlineData("SoftmaxNet", 7)]
    [InlineData("TinyNet", 10)]
    [InlineData("TinyNet", 11)]
    public void KernelSHAP_with_a_budget_of_every_coalition_gives_the_exact_values(string name, int players)
    {
        var random = new Random(players);
        INetwork network = TestNetworks.Create(name, seed: 5);
        TestParameters.Randomize(network, random);
        int width = network.Shape.Inputs;
        FeatureGroups groups = Grouping(width, players);
        var shap = new KernelShap(network, RandomData.Uniform(random, 6 * width), groups);
        float[] x = RandomData.Uniform(random, width);
        float[] exact = new float[players], estimate = new float[players];

        shap.ComputeExactly(x, 1, exact);
        ShapleyResult result = shap.Compute(x, 1, estimate, samples: 1 << 20);

        Assert.Equal((1 << players) - 2, result.Coalitions);
        double scale = exact.Max(v => Math.Abs(v));
        for (int p = 0; p < players; p++)
        {
            Assert.True(Math.Abs(estimate[p] - exact[p]) <= 1e-4 * scale, $"player {p}: {estimate[p]:R} against {exact[p]:R}");
        }
    }

    [Fact]
    public void KernelSHAP_converges_to_the_exact_values_as_its_budget_grows()
    {
        var random = new Random(3);
        var network = new TinyNet(seed: 2);
        TestParameters.Randomize(network, random);
        FeatureGroups groups = Grouping(16, 12);
        var shap = new KernelShap(network, RandomData.Uniform(random, 8 * 16, 2f), groups);
        float[] x = RandomData.Uniform(random, 16, 2f);
        float[] exact = new float[12], estimate = new float[12];
        shap.ComputeExactly(x, 0, exact);
        double scale = Math.Sqrt(exact.Sum(v => (double)v * v));

        double ErrorAt(int budget) => Enumerable.Range(0, 8).Average(seed =>
        {
            ShapleyResult result = shap.Compute(x, 0, estimate, budget, seed);
            Assert.Equal(result.Prediction - result.BaseValue, estimate.Sum(v => (double)v), 1e-5);
            return Math.Sqrt(exact.Zip(estimate, (a, b) => (double)(a - b) * (a - b)).Sum()) / scale;
        });

        double[] errors = [ErrorAt(60), ErrorAt(300), ErrorAt(1500)];
        Assert.True(errors[0] > errors[1] && errors[1] > errors[2], $"relative errors {string.Join(", ", errors)}");
        Assert.True(errors[2] < 0.05, $"relative error at 1500 coalitions of 4094: {errors[2]}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    public void Values_of_a_linear_network_are_its_weights_times_the_input_less_the_background_mean(int samples)
    {
        var random = new Random(17);
        var network = new LinearNet(seed: 3);
        TestParameters.Randomize(network, random);
        float[] background = RandomData.Uniform(random, 9 * 7);
        float[] x = RandomData.Uniform(random, 7);
        float[] gradient = new float[7], values = new float[7], exact = new float[7];
        new InputGradients(network).Compute(x, [0, 1, 0], gradient);
        var shap = new KernelShap(network, background);

        shap.Compute(x, 1, values, samples, seed: 4);
        shap.ComputeExactly(x, 1, exact);

        for (int i = 0; i < 7; i++)
        {
            double mean = Enumerable.Range(0, 9).Average(row => background[(row * 7) + i]);
            double expected = gradient[i] * (x[i] - mean);
            Assert.Equal(expected, values[i], 1e-5);
            Assert.Equal(expected, exact[i], 1e-5);
        }
    }

    [Fact]
    public void A_feature_the_network_ignores_gets_nothing()
    {
        var random = new Random(23);
        INetwork network = new SoftmaxNet(seed: 1);
        TestParameters.Randomize(network, random);
        float[] canonical = new float[network.Shape.ParameterCount];
        network.CopyParametersTo(canonical);
        for (int unit = 0; unit < 37; unit++)
        {
            canonical[(unit * 7) + 3] = 0;
        }

        network.CopyParametersFrom(canonical);
        var shap = new KernelShap(network, RandomData.Uniform(random, 5 * 7));
        float[] x = RandomData.Uniform(random, 7), exact = new float[7], estimate = new float[7];

        shap.ComputeExactly(x, 2, exact);
        shap.Compute(x, 2, estimate, samples: 126);

        Assert.Equal(0, exact[3], 1e-7);
        Assert.Equal(0, estimate[3], 1e-6);
        Assert.True(exact.Max(v => Math.Abs(v)) > 1e-3);
    }

    [Fact]
    public void Players_that_equal_every_background_row_get_zero_and_are_left_out_of_the_coalitions()
    {
        var random = new Random(29);
        var network = new TanhNet(seed: 1);
        TestParameters.Randomize(network, random);
        float[] background = RandomData.Uniform(random, 4 * 7), x = RandomData.Uniform(random, 7);
        for (int row = 0; row < 4; row++)
        {
            background[(row * 7) + 5] = x[5];
        }

        var shap = new KernelShap(network, background);
        float[] exact = new float[7], estimate = new float[7];

        ShapleyResult enumerated = shap.ComputeExactly(x, 0, exact);
        ShapleyResult estimated = shap.Compute(x, 0, estimate, samples: 1000);

        Assert.Equal(0f, exact[5]);
        Assert.Equal(0f, estimate[5]);
        Assert.Equal(64, enumerated.Coalitions);
        Assert.Equal(62, estimated.Coalitions);
        for (int i = 0; i < 7; i++)
        {
            Assert.Equal(exact[i], estimate[i], 1e-5);
        }
    }

    [Fact]
    public void The_base_value_is_the_mean_output_over_the_background_and_a_seed_repeats_its_estimate()
    {
        var random = new Random(31);
        var network = new TinyNet(seed: 4);
        float[] background = RandomData.Uniform(random, 10 * 16), outputs = new float[10 * 4];
        network.PredictBatch(background, outputs);
        var shap = new KernelShap(network, background);
        float[] x = RandomData.Uniform(random, 16), first = new float[16], again = new float[16], other = new float[16];

        shap.Compute(x, 3, first, samples: 100, seed: 8);
        shap.Compute(x, 3, again, samples: 100, seed: 8);
        shap.Compute(x, 3, other, samples: 100, seed: 9);

        Assert.Equal(Enumerable.Range(0, 10).Average(row => outputs[(row * 4) + 3]), shap.BaseValue(3), 1e-6);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void An_explanation_carries_the_groups_names_the_base_value_and_the_prediction()
    {
        var random = new Random(37);
        var network = new SoftmaxNet(seed: 2);
        string[] names = ["a", "b", "c", "d", "e", "f", "g"];
        var background = new Dataset(RandomData.Uniform(random, 6 * 7), 7, new float[6 * 5], 5) { FeatureNames = names };
        var shap = new KernelShap(network, background);
        float[] x = RandomData.Uniform(random, 7), output = new float[5];
        network.Predict(x, output);

        Explanation explanation = shap.ExplainExactly(x, 4, outputName: "fifth");

        Assert.Equal(names, explanation.FeatureNames);
        Assert.Equal("fifth", explanation.OutputName);
        Assert.Equal(output[4], explanation.Prediction!.Value, 1e-6);
        Assert.Equal(shap.BaseValue(4), explanation.BaseValue!.Value);
        Assert.Equal(explanation.Prediction!.Value - explanation.BaseValue!.Value, explanation.Values.Sum(v => (double)v), 1e-5);
    }

    [Fact]
    public void Bad_arguments_are_refused_with_what_is_wrong()
    {
        var network = new FmnistNet(seed: 1);
        var random = new Random(41);
        var shap = new KernelShap(network, RandomData.Uniform(random, 2 * 784));

        var tooMany = Assert.Throws<ArgumentException>(() => shap.ComputeExactly(RandomData.Uniform(random, 784), 0, new float[784]));
        Assert.Contains("2^784", tooMany.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => shap.Compute(new float[783], 0, new float[784]));
        Assert.Throws<ArgumentException>(() => shap.Compute(new float[784], 0, new float[10]));
        Assert.Throws<ArgumentOutOfRangeException>(() => shap.Compute(new float[784], 10, new float[784]));
        Assert.Throws<ArgumentException>(() => new KernelShap(network, new float[785]));
        Assert.Throws<ArgumentException>(() => new KernelShap(network, new float[784], FeatureGroups.Each(10)));
    }

    /// <summary>Consecutive runs of features as <paramref name="players"/> groups.</summary>
    private static FeatureGroups Grouping(int features, int players) =>
        new([.. Enumerable.Range(0, features).Select(f => f * players / features)]);

    /// <summary>
    /// Shapley's definition by orderings, on the double-precision reference: each player's marginal contribution when it
    /// joins the players before it, averaged over every ordering of the players.
    /// </summary>
    private static double[] ByOrderings(INetwork network, float[] background, float[] x, int output, FeatureGroups groups)
    {
        var reference = new ReferenceNetwork(network.Shape);
        double[] parameters = ReferenceNetwork.CanonicalParameters(network);
        int width = x.Length, rows = background.Length / width, m = groups.Count;
        var worth = new Dictionary<int, double>();
        double Worth(int coalition)
        {
            if (!worth.TryGetValue(coalition, out double value))
            {
                value = Enumerable.Range(0, rows).Average(row => reference.Forward(
                    parameters,
                    [.. Enumerable.Range(0, width).Select(f => (double)((coalition >> groups.GroupOf(f) & 1) != 0 ? x[f] : background[(row * width) + f]))])[output]);
                worth[coalition] = value;
            }

            return value;
        }

        double[] sums = new double[m];
        int orderings = 0;
        foreach (int[] ordering in Permutations(m))
        {
            int coalition = 0;
            foreach (int player in ordering)
            {
                sums[player] += Worth(coalition | (1 << player)) - Worth(coalition);
                coalition |= 1 << player;
            }

            orderings++;
        }

        return [.. sums.Select(s => s / orderings)];
    }

    private static IEnumerable<int[]> Permutations(int n)
    {
        int[] items = [.. Enumerable.Range(0, n)];
        while (true)
        {
            yield return items;
            int i = n - 2;
            while (i >= 0 && items[i] >= items[i + 1])
            {
                i--;
            }

            if (i < 0)
            {
                yield break;
            }

            int j = n - 1;
            while (items[j] <= items[i])
            {
                j--;
            }

            (items[i], items[j]) = (items[j], items[i]);
            Array.Reverse(items, i + 1, n - i - 1);
        }
    }
}
