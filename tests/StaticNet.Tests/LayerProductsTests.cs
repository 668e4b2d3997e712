using System.Runtime.CompilerServices;
using StaticNet.Kernels;
using Xunit;

namespace StaticNet.Tests;

/// <summary>
/// The whole-layer products against double-precision sums: every row count through the blocks of eight,
/// four and one, layers of full panels and of a narrower last one, and only the panels or units asked for.
/// </summary>
public class LayerProductsTests
{
    private const float Sentinel = -4321.25f;
    private const int Padding = 16;

    public static TheoryData<int, int> Shapes() => new()
    {
        { 1, 1 }, { 3, 5 }, { 7, 31 }, { 9, 32 }, { 5, 33 }, { 16, 64 }, { 2, 70 }, { 13, 100 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardPanels_computes_the_panels_asked_for_of_every_row(int inputs, int units)
    {
        var random = new Random((inputs * 100) + units);
        int panels = (units + LayerProducts.PanelWidth - 1) / LayerProducts.PanelWidth;
        foreach (int rows in new[] { 1, 3, 4, 7, 8, 13, 21 })
        {
            foreach ((int first, int end) in new[] { (0, panels), (panels - 1, panels), (0, Math.Max(1, panels - 1)) })
            {
                foreach (bool rectify in new[] { false, true })
                {
                    float[] x = RandomData.Uniform(random, (rows * inputs) + Padding);
                    float[] canonical = RandomData.Uniform(random, units * inputs);
                    float[] panelled = new float[(units * inputs) + Padding];
                    Layouts.CanonicalToPanels(canonical, panelled.AsSpan(0, units * inputs), inputs, units, LayerProducts.PanelWidth);
                    float[] bias = RandomData.Uniform(random, units + Padding);
                    float[] z = Enumerable.Repeat(Sentinel, (rows * units) + Padding).ToArray();

                    LayerProducts.ForwardPanels(ref x[0], ref panelled[0], ref bias[0], ref z[0], rows, inputs, units, first, end, rectify);

                    AssertForward(x, canonical, bias, z, rows, inputs, units, first * LayerProducts.PanelWidth, Math.Min(end * LayerProducts.PanelWidth, units), rectify, $"{rows} rows, panels {first} to {end}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    [InlineData(300, 70)]
    [InlineData(257, 64)]
    public void ForwardStrips_computes_every_unit_of_every_row_from_the_packed_panels(int inputs, int units)
    {
        var random = new Random((inputs * 100) + units + 1);
        foreach (int rows in new[] { 1, 5, 6, 11, 12, 13, 40 })
        {
            foreach (bool withBias in new[] { true, false })
            {
                float[] x = RandomData.Uniform(random, (rows * inputs) + Padding);
                float[] canonical = RandomData.Uniform(random, units * inputs);
                float[] panelled = new float[(units * inputs) + Padding];
                Layouts.CanonicalToPanels(canonical, panelled.AsSpan(0, units * inputs), inputs, units, LayerProducts.PanelWidth);
                float[] bias = withBias ? RandomData.Uniform(random, units + Padding) : new float[units + Padding];
                float[] strips = Enumerable.Repeat(Sentinel, units / LayerProducts.PanelWidth * LayerProducts.PanelWidth * inputs).ToArray();
                float[] z = Enumerable.Repeat(Sentinel, (rows * units) + Padding).ToArray();

                LayerProducts.PackStrips(ref panelled[0], ref strips.Length == 0 ? ref panelled[0] : ref strips[0], inputs, units);
                LayerProducts.ForwardStrips(ref x[0], ref strips.Length == 0 ? ref panelled[0] : ref strips[0], ref panelled[0], ref withBias ? ref bias[0] : ref Unsafe.NullRef<float>(), ref z[0], rows, inputs, units, rectify: withBias);

                Assert.DoesNotContain(Sentinel, strips);
                AssertForward(x, canonical, bias, z, rows, inputs, units, 0, units, withBias, $"{rows} rows, bias {withBias}");
            }
        }
    }

    /// <summary>Asserts that units from to to (exclusive) of every row of z hold the layer's sums, and that nothing else was written.</summary>
    private static void AssertForward(float[] x, float[] canonical, float[] bias, float[] z, int rows, int inputs, int units, int from, int to, bool rectify, string label)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < units; o++)
            {
                float actual = z[(r * units) + o];
                if (o < from || o >= to)
                {
                    Assert.Equal(Sentinel, actual);
                    continue;
                }

                double sum = bias[o];
                double magnitude = Math.Abs(sum);
                for (int i = 0; i < inputs; i++)
                {
                    double term = (double)x[(r * inputs) + i] * canonical[(o * inputs) + i];
                    sum += term;
                    magnitude += Math.Abs(term);
                }

                double expected = rectify ? Math.Max(sum, 0) : sum;
                Assert.True(Math.Abs(actual - expected) <= (1e-6 * magnitude) + 1e-7, $"{label}, row {r}, unit {o}: {actual} against {expected}");
            }
        }

        Assert.All(z.Skip(rows * units), v => Assert.Equal(Sentinel, v));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void GradientsPanels_overwrites_the_weight_and_bias_gradients_of_the_panels_asked_for(int inputs, int units)
    {
        var random = new Random((inputs * 10) + units);
        int panels = (units + LayerProducts.PanelWidth - 1) / LayerProducts.PanelWidth;
        foreach (int rows in new[] { 1, 5, 8, 19 })
        {
            foreach ((int first, int end) in new[] { (0, panels), (panels - 1, panels), (0, Math.Max(1, panels - 1)) })
            {
                foreach (bool packed in new[] { false, true })
                {
                    float[] x = RandomData.Uniform(random, (rows * inputs) + Padding);
                    float[] dz = RandomData.Uniform(random, (rows * units) + Padding);
                    float[] dw = Enumerable.Repeat(Sentinel, (inputs * units) + Padding).ToArray();
                    float[] db = Enumerable.Repeat(Sentinel, units + Padding).ToArray();

                    if (packed)
                    {
                        // The strips of dz's columns of the panels asked for, packed as a part of the layer packs them.
                        float[] strips = Enumerable.Repeat(Sentinel, (rows * (units / LayerProducts.PanelWidth * LayerProducts.PanelWidth)) + 1).ToArray();
                        LayerProducts.PackGradientStrips(ref dz[0], ref strips[0], rows, units, first, end);
                        LayerProducts.GradientsPanels(ref x[0], ref dz[0], ref strips[0], ref dw[0], ref db[0], rows, inputs, units, first, end);
                    }
                    else
                    {
                        LayerProducts.GradientsPanels(ref x[0], ref dz[0], ref dw[0], ref db[0], rows, inputs, units, first, end);
                    }

                    float[] canonical = new float[inputs * units];
                    Layouts.PanelsToCanonical(dw.AsSpan(0, inputs * units), canonical, inputs, units, LayerProducts.PanelWidth);
                    int from = first * LayerProducts.PanelWidth, to = Math.Min(end * LayerProducts.PanelWidth, units);
                    AssertGradients(x, dz, canonical, db, rows, inputs, units, from, to, $"{rows} rows, panels {first} to {end}, packed {packed}");
                    Assert.All(dw.Skip(inputs * units), v => Assert.Equal(Sentinel, v));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void GradientsUnitMajor_overwrites_the_weight_and_bias_gradients_of_the_units_asked_for(int inputs, int units)
    {
        var random = new Random((inputs * 7) + units);
        foreach (int rows in new[] { 1, 5, 8, 19 })
        {
            // Runs of units through the blocks of eight, four and one, starting at a block of four as the slices do.
            foreach ((int from, int count) in new[] { (0, units), (units / 4 * 4, units - (units / 4 * 4)), (0, Math.Min(units, 13)) })
            {
                float[] x = RandomData.Uniform(random, (rows * inputs) + Padding);
                float[] dz = RandomData.Uniform(random, (rows * units) + Padding);
                float[] dw = Enumerable.Repeat(Sentinel, (inputs * units) + Padding).ToArray();
                float[] db = Enumerable.Repeat(Sentinel, units + Padding).ToArray();

                LayerProducts.GradientsUnitMajor(ref x[0], ref dz[0], ref dw[0], ref db[0], rows, inputs, units, from, count);

                AssertGradients(x, dz, dw, db, rows, inputs, units, from, from + count, $"{rows} rows, units {from} to {from + count}");
                Assert.All(dw.Skip(inputs * units), v => Assert.Equal(Sentinel, v));
                Assert.All(db.Skip(units), v => Assert.Equal(Sentinel, v));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void InputGradient_is_the_gradient_times_the_weights_for_every_row(int inputs, int units)
    {
        var random = new Random((inputs * 1000) + units);
        foreach (int rows in new[] { 1, 4, 5, 8, 9, 17 })
        {
            float[] weights = RandomData.Uniform(random, (units * inputs) + Padding);
            float[] dz = RandomData.Uniform(random, (rows * units) + Padding);
            float[] dx = Enumerable.Repeat(Sentinel, (rows * inputs) + Padding).ToArray();

            LayerProducts.InputGradient(ref weights[0], ref dz[0], ref dx[0], rows, inputs, units);

            for (int r = 0; r < rows; r++)
            {
                for (int i = 0; i < inputs; i++)
                {
                    double sum = 0, magnitude = 0;
                    for (int o = 0; o < units; o++)
                    {
                        double term = (double)dz[(r * units) + o] * weights[(o * inputs) + i];
                        sum += term;
                        magnitude += Math.Abs(term);
                    }

                    Assert.True(Math.Abs(dx[(r * inputs) + i] - sum) <= (1e-6 * magnitude) + 1e-7, $"{rows} rows, row {r}, input {i}");
                }
            }

            Assert.All(dx.Skip(rows * inputs), v => Assert.Equal(Sentinel, v));
        }
    }

    /// <summary>
    /// Asserts that the weight gradients, given [units, inputs], and the bias gradients of units from to to - 1
    /// are the double-precision sums over the rows, and that the other units' were not written.
    /// </summary>
    private static void AssertGradients(float[] x, float[] dz, float[] dw, float[] db, int rows, int inputs, int units, int from, int to, string label)
    {
        for (int o = 0; o < units; o++)
        {
            bool asked = o >= from && o < to;
            double bias = 0, biasMagnitude = 0;
            for (int r = 0; r < rows; r++)
            {
                bias += dz[(r * units) + o];
                biasMagnitude += Math.Abs(dz[(r * units) + o]);
            }

            Assert.True(asked ? Math.Abs(db[o] - bias) <= (1e-6 * biasMagnitude) + 1e-7 : db[o] == Sentinel, $"bias {o}, {label}");
            for (int i = 0; i < inputs; i++)
            {
                double sum = 0, magnitude = 0;
                for (int r = 0; r < rows; r++)
                {
                    double term = (double)x[(r * inputs) + i] * dz[(r * units) + o];
                    sum += term;
                    magnitude += Math.Abs(term);
                }

                float actual = dw[(o * inputs) + i];
                Assert.True(asked ? Math.Abs(actual - sum) <= (1e-6 * magnitude) + 1e-7 : actual == Sentinel, $"weight [{o}, {i}], {label}");
            }
        }
    }
}
