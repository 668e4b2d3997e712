using StaticNet.Kernels;
using Xunit;

namespace StaticNet.Tests;

/// <summary>
/// One layer's products as the layer table and the generated single-sample methods run them, in both
/// weight layouts, against double-precision sums over PyTorch-layout weights: single samples with and
/// without the listing of inputs that are not zero, batches, and only the slices asked for.
/// </summary>
public class LayerLayoutTests
{
    private const float Sentinel = -4321.25f;

    public static TheoryData<int, int, WeightLayout, bool> Layers() => new()
    {
        { 3, 5, WeightLayout.UnitMajor, false },
        { 17, 7, WeightLayout.UnitMajor, false },
        { 40, 9, WeightLayout.UnitMajor, false },
        { 131, 10, WeightLayout.UnitMajor, false },
        { 2, 5, WeightLayout.Panels, false },
        { 5, 1, WeightLayout.Panels, true },
        { 9, 40, WeightLayout.Panels, true },
        { 64, 33, WeightLayout.Panels, false },
        { 300, 70, WeightLayout.Panels, true },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Dense_writes_one_samples_activations_of_the_slices_asked_for(int inputs, int units, WeightLayout layout, bool skipsZeros)
    {
        var random = new Random((inputs * 31) + units);
        (LayerLayout layer, float[] parameters, float[] canonical) = Create(random, inputs, units, layout, skipsZeros, Activation.Tanh);
        foreach (double zeroShare in new[] { 0.0, 0.5, 0.95 })
        {
            float[] x = RandomData.Uniform(random, inputs).Select(v => random.NextDouble() < zeroShare ? 0f : v).ToArray();
            foreach ((int first, int end) in new[] { (0, layer.Slices), (layer.Slices - 1, layer.Slices), (0, (layer.Slices + 1) / 2) })
            {
                float[] a = Enumerable.Repeat(Sentinel, units).ToArray();

                SampleProducts.Dense(parameters, layer.Weights, layer.Bias, inputs, units, layer.Activation, layout, skipsZeros, x, a, new int[inputs], first, end);

                (int from, int count) = Units(layer, first, end);
                for (int o = 0; o < units; o++)
                {
                    if (o < from || o >= from + count)
                    {
                        Assert.Equal(Sentinel, a[o]);
                        continue;
                    }

                    (double sum, double magnitude) = Reference(canonical, parameters[layer.Bias + o], x, 0, inputs, o);
                    Assert.True(Math.Abs(a[o] - Math.Tanh(sum)) <= (1e-6 * magnitude) + 1e-6, $"{zeroShare:P0} zero, slices {first} to {end}, unit {o}: {a[o]} against {Math.Tanh(sum)}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Forward_writes_the_pre_activations_of_the_slices_asked_for_in_every_row(int inputs, int units, WeightLayout layout, bool skipsZeros)
    {
        var random = new Random((inputs * 17) + units);
        (LayerLayout layer, float[] parameters, float[] canonical) = Create(random, inputs, units, layout, skipsZeros, Activation.ReLU);
        foreach (int rows in new[] { 1, 4, 9 })
        {
            foreach ((int first, int end) in new[] { (0, layer.Slices), (layer.Slices - 1, layer.Slices) })
            {
                float[] x = RandomData.Uniform(random, rows * inputs);
                float[] z = Enumerable.Repeat(Sentinel, rows * units).ToArray();

                layer.Forward(parameters, x, z, rows, first, end, rectify: false);

                (int from, int count) = Units(layer, first, end);
                for (int r = 0; r < rows; r++)
                {
                    for (int o = 0; o < units; o++)
                    {
                        float actual = z[(r * units) + o];
                        if (o < from || o >= from + count)
                        {
                            Assert.Equal(Sentinel, actual);
                            continue;
                        }

                        (double sum, double magnitude) = Reference(canonical, parameters[layer.Bias + o], x, r * inputs, inputs, o);
                        Assert.True(Math.Abs(actual - sum) <= (1e-6 * magnitude) + 1e-7, $"{rows} rows, row {r}, unit {o}: {actual} against {sum}");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Canonical_copies_round_trip_the_weights_and_biases(int inputs, int units, WeightLayout layout, bool skipsZeros)
    {
        var random = new Random(inputs + units);
        (LayerLayout layer, float[] parameters, float[] canonical) = Create(random, inputs, units, layout, skipsZeros, Activation.Linear);
        float[] back = new float[parameters.Length];

        layer.ToCanonical(parameters, back);

        Assert.Equal(canonical.AsSpan(0, (inputs + 1) * units).ToArray(), back.AsSpan(0, (inputs + 1) * units).ToArray());
    }

    [Fact]
    public void A_table_whose_layer_sizes_do_not_chain_is_refused_naming_the_layers()
    {
        var error = Assert.Throws<ArgumentException>(() => new NetworkLayout(
            new LayerLayout(4, 8, Activation.ReLU, 0, 32, WeightLayout.Panels, false),
            new LayerLayout(7, 2, Activation.Linear, 40, 54, WeightLayout.UnitMajor, false)));

        Assert.Contains("Layer 1 takes 7 inputs but layer 0 has 8 units", error.Message);
    }

    /// <summary>A layer at the start of a padded parameter buffer, with random weights and biases, and the same in PyTorch's layout.</summary>
    private static (LayerLayout Layer, float[] Parameters, float[] Canonical) Create(Random random, int inputs, int units, WeightLayout layout, bool skipsZeros, Activation activation)
    {
        var layer = new LayerLayout(inputs, units, activation, 0, inputs * units, layout, skipsZeros);
        float[] canonical = [.. RandomData.Uniform(random, (inputs + 1) * units, 0.5f), .. new float[ParameterStorage.Alignment * 2]];
        float[] parameters = new float[canonical.Length];
        layer.FromCanonical(canonical, parameters);
        return (layer, parameters, canonical);
    }

    private static (int From, int Count) Units(LayerLayout layer, int first, int end)
    {
        int from = first * layer.SliceWidth;
        return (from, Math.Min(end * layer.SliceWidth, layer.Units) - from);
    }

    private static (double Sum, double Magnitude) Reference(float[] canonical, double bias, float[] x, int offset, int inputs, int unit)
    {
        double sum = bias, magnitude = Math.Abs(bias);
        for (int i = 0; i < inputs; i++)
        {
            double term = (double)x[offset + i] * canonical[(unit * inputs) + i];
            sum += term;
            magnitude += Math.Abs(term);
        }

        return (sum, magnitude);
    }
}
