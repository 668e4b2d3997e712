using System.Numerics;
using StaticNet.Kernels;
using Xunit;

namespace StaticNet.Tests;

/// <summary>
/// The runtime's product kernels on their own, against double-precision sums, for every width from 1 to
/// past four vectors of the widest kind (so each vector path and each block moved back to end at the last
/// unit is taken), with strides wider than the units, and with the memory around each output watched: a
/// kernel writes its units and nothing else.
/// </summary>
public class ProductsTests
{
    private const float Sentinel = -12345.5f;

    /// <summary>A float of padding past every operand, so a vector loaded at any element stays inside its array.</summary>
    private const int Padding = 16;

    public static TheoryData<int> Units() => [.. Enumerable.Range(1, 70)];

    private static readonly int[] Terms = [0, 1, 2, 3, 4, 5, 9];

    [Theory]
    [MemberData(nameof(Units))]
    public void MultiplyAccumulate_is_the_product_of_one_row(int units)
    {
        var random = new Random(units);
        foreach (int terms in Terms)
        {
            foreach ((bool hasStart, bool rectify) in Flags())
            {
                var operands = new Operands(random, rows: 1, terms, units);
                Products.MultiplyAccumulate(
                    ref operands.S[0], operands.SStride, terms, ref operands.M[0], operands.MStride, units,
                    ref operands.Start[0], hasStart, ref operands.Output[0], rectify);
                operands.Check(rows: 1, hasStart, rectify);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Units))]
    public void MultiplyAccumulateRows_is_the_product_of_four_rows(int units)
    {
        var random = new Random(100 + units);
        foreach (int terms in Terms)
        {
            foreach ((bool hasStart, bool rectify) in Flags())
            {
                var operands = new Operands(random, rows: 4, terms, units);
                Products.MultiplyAccumulateRows(
                    ref operands.S[0], operands.SStride, operands.SRowStride, terms, ref operands.M[0], operands.MStride, units,
                    ref operands.Start[0], hasStart, ref operands.Output[0], operands.OutputStride, rectify);
                operands.Check(rows: 4, hasStart, rectify);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Units))]
    public void MultiplyAccumulateSixRows_is_the_product_of_six_rows(int units)
    {
        var random = new Random(300 + units);
        foreach (int terms in Terms)
        {
            foreach ((bool hasStart, bool rectify) in Flags())
            {
                var operands = new Operands(random, rows: 6, terms, units);
                Products.MultiplyAccumulateSixRows(
                    ref operands.S[0], operands.SStride, operands.SRowStride, terms, ref operands.M[0], operands.MStride, units,
                    ref operands.Start[0], hasStart, ref operands.Output[0], operands.OutputStride, rectify);
                operands.Check(rows: 6, hasStart, rectify);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Units))]
    public void MultiplyAccumulateWideRows_is_the_product_of_eight_rows_padded_or_not(int units)
    {
        var random = new Random(200 + units);
        foreach (int terms in Terms)
        {
            foreach ((bool hasStart, bool rectify) in Flags())
            {
                foreach (bool padded in new[] { false, true })
                {
                    var operands = new Operands(random, rows: 8, terms, units);
                    Products.MultiplyAccumulateWideRows(
                        ref operands.S[0], operands.SStride, operands.SRowStride, terms, ref operands.M[0], operands.MStride, units,
                        ref operands.Start[0], hasStart, ref operands.Output[0], operands.OutputStride, padded, rectify);
                    operands.Check(rows: 8, hasStart, rectify);
                }
            }
        }
    }

    [Fact]
    public void DotAccumulate_splits_a_dot_product_between_the_vector_and_the_tail()
    {
        var random = new Random(7);
        for (int length = 0; length <= 4 * Vector<float>.Count + 3; length++)
        {
            float[] a = RandomData.Uniform(random, length + Padding);
            float[] b = RandomData.Uniform(random, length + Padding);
            Vector<float> acc = Vector<float>.Zero;

            float tail = Products.DotAccumulate(ref a[0], ref b[0], length, ref acc);

            double expected = 0;
            double magnitude = 0;
            for (int k = 0; k < length; k++)
            {
                expected += (double)a[k] * b[k];
                magnitude += Math.Abs((double)a[k] * b[k]);
            }

            Assert.True(Math.Abs(Vector.Sum(acc) + tail - expected) <= Tolerance(magnitude), $"length {length}");
        }
    }

    [Theory]
    [MemberData(nameof(Units))]
    public void MultiplyAccumulateOne_is_the_activated_product_over_every_input_or_the_listed_ones(int units)
    {
        var random = new Random(300 + units);
        // Runs of eight inputs take one load on the 256-bit paths; 16, 17 and 31 take two, two and three of them with
        // every remainder after.
        foreach (int inputs in new[] { 1, 3, 4, 5, 8, 13, 16, 17, 31 })
        {
            foreach (Activation activation in new[] { Activation.Linear, Activation.ReLU, Activation.Tanh, Activation.GELU })
            {
                foreach (bool gather in new[] { false, true })
                {
                    int mStride = units + 5;
                    float[] x = RandomData.MostlyZero(random, inputs + Padding, zeroShare: 0.4);
                    float[] m = RandomData.Uniform(random, (inputs * mStride) + Padding);
                    float[] bias = RandomData.Uniform(random, units + Padding);
                    float[] output = Enumerable.Repeat(Sentinel, units + Padding).ToArray();
                    int[] indices = gather ? [.. Enumerable.Range(0, inputs).Where(i => x[i] != 0), 0] : [0];
                    int count = gather ? indices.Length - 1 : inputs;

                    SampleProducts.MultiplyAccumulateOne(ref x[0], ref indices[0], count, gather, ref m[0], mStride, units, ref bias[0], ref output[0], activation);

                    for (int o = 0; o < units; o++)
                    {
                        double z = bias[o];
                        double magnitude = Math.Abs(bias[o]);
                        for (int i = 0; i < inputs; i++)
                        {
                            z += (double)x[i] * m[(i * mStride) + o];
                            magnitude += Math.Abs((double)x[i] * m[(i * mStride) + o]);
                        }

                        double expected = ReferenceNetwork.Activate(activation, z);
                        Assert.True(Math.Abs(output[o] - expected) <= Tolerance(magnitude) + 2e-6, $"{activation}, {inputs} inputs, gather {gather}, unit {o}: {output[o]} against {expected}");
                    }

                    Assert.All(output.Skip(units), v => Assert.Equal(Sentinel, v));
                }
            }
        }
    }

    private static IEnumerable<(bool HasStart, bool Rectify)> Flags() => [(false, false), (true, false), (false, true), (true, true)];

    private static double Tolerance(double magnitude) => (1e-6 * magnitude) + 1e-7;

    /// <summary>
    /// The operands of a product of <c>rows</c> rows, each with its own stride and room around it: row q of s starts
    /// at q · SRowStride and takes its terms SStride apart; m has MStride floats a term, more than the units.
    /// </summary>
    private sealed class Operands
    {
        public Operands(Random random, int rows, int terms, int units)
        {
            Units = units;
            Terms = terms;
            SStride = 2;
            SRowStride = (terms * SStride) + 3;
            MStride = units + 3;
            OutputStride = units + 2;
            S = RandomData.MostlyZero(random, (rows * SRowStride) + Padding, zeroShare: 0.2);
            M = RandomData.Uniform(random, (Math.Max(terms, 1) * MStride) + Padding);
            Start = RandomData.Uniform(random, units + Padding);
            Output = Enumerable.Repeat(Sentinel, (rows * OutputStride) + Padding).ToArray();
        }

        public int Units { get; }

        public int Terms { get; }

        public int SStride { get; }

        public int SRowStride { get; }

        public int MStride { get; }

        public int OutputStride { get; }

        public float[] S { get; }

        public float[] M { get; }

        public float[] Start { get; }

        public float[] Output { get; }

        public void Check(int rows, bool hasStart, bool rectify)
        {
            for (int q = 0; q < rows; q++)
            {
                for (int o = 0; o < Units; o++)
                {
                    double sum = hasStart ? Start[o] : 0;
                    double magnitude = Math.Abs(sum);
                    for (int k = 0; k < Terms; k++)
                    {
                        double term = (double)S[(q * SRowStride) + (k * SStride)] * M[(k * MStride) + o];
                        sum += term;
                        magnitude += Math.Abs(term);
                    }

                    double expected = rectify ? Math.Max(sum, 0) : sum;
                    float actual = Output[(q * OutputStride) + o];
                    Assert.True(
                        Math.Abs(actual - expected) <= Tolerance(magnitude),
                        $"row {q} of {rows}, unit {o} of {Units}, {Terms} terms, start {hasStart}, rectify {rectify}: {actual} against {expected}");
                }

                for (int o = Units; o < OutputStride && (q * OutputStride) + o < Output.Length; o++)
                {
                    Assert.Equal(Sentinel, Output[(q * OutputStride) + o]);
                }
            }

            Assert.All(Output.Skip(rows * OutputStride), v => Assert.Equal(Sentinel, v));
        }
    }
}
