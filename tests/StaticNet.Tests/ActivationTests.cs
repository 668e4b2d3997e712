using StaticNet;
using System.Runtime.Intrinsics;
using StaticNet.Kernels;
using Xunit;

namespace StaticNet.Tests;

public class ActivationTests
{
    // Points across every regime: saturation, PyTorch's Softplus threshold, the Tanh series
    // switch at 0.25, around zero, and a length (23) that leaves a vector tail.
    private static readonly float[] Points =
        [-100f, -30f, -20.5f, -5f, -1f, -0.3f, -0.25f, -0.2499f, -1e-3f, -1e-6f, 0f, 1e-6f, 1e-3f, 0.2499f, 0.25f, 0.3f, 1f, 2.5f, 5f, 19.99f, 20.01f, 30f, 100f];

    public static IEnumerable<object[]> ElementwiseActivations() =>
        Enum.GetValues<Activation>().Where(a => a != Activation.Softmax).Select(a => new object[] { a });

    [Theory]
    [MemberData(nameof(ElementwiseActivations))]
    public void Each_activation_matches_PyTorchs_definition(Activation activation)
    {
        float[] a = new float[Points.Length];
        ActivationKernels.Forward(activation, Points, a, Points.Length);
        for (int i = 0; i < Points.Length; i++)
        {
            double expected = ReferenceNetwork.Activate(activation, Points[i]);
            Assert.True(
                Math.Abs(a[i] - expected) <= 1e-6 + (2e-6 * Math.Abs(expected)),
                $"{activation}({Points[i]:R}) = {a[i]:R}, PyTorch's definition gives {expected:R}");
        }
    }

    [Theory]
    [MemberData(nameof(ElementwiseActivations))]
    public void A_512_bit_vector_gets_the_activation_of_the_portable_vectors_lane_by_lane(Activation activation)
    {
        float[] lanes = Points.Take(Vector512<float>.Count).ToArray();
        float[] wide = new float[lanes.Length];
        ActivationKernels.Apply(activation, Vector512.Create<float>(lanes)).CopyTo(wide);
        float[] portable = new float[lanes.Length];
        ActivationKernels.Forward(activation, lanes, portable, lanes.Length);
        Assert.Equal(portable, wide);
    }

    [Theory]
    [MemberData(nameof(ElementwiseActivations))]
    public void Each_derivative_matches_finite_differences_of_the_definition(Activation activation)
    {
        float[] a = new float[Points.Length];
        ActivationKernels.Forward(activation, Points, a, Points.Length);
        float[] gradient = Enumerable.Repeat(1f, Points.Length).ToArray();
        ActivationKernels.Backward(activation, Points, a, gradient, Points.Length);
        for (int i = 0; i < Points.Length; i++)
        {
            double z = Points[i];
            if (Math.Abs(z) < 1e-5 || Math.Abs(z - 20) < 0.1)
            {
                continue; // kinks of ReLU-like functions and PyTorch's Softplus threshold
            }

            const double H = 1e-7;
            double expected = (ReferenceNetwork.Activate(activation, z + H) - ReferenceNetwork.Activate(activation, z - H)) / (2 * H);
            Assert.True(
                Math.Abs(gradient[i] - expected) <= 1e-5 + (1e-5 * Math.Abs(expected)),
                $"{activation}'({z:R}) = {gradient[i]:R}, finite differences give {expected:R}");
        }
    }

    [Fact]
    public void ReLU_has_derivative_zero_at_zero_as_in_PyTorch()
    {
        float[] gradient = [1f];
        ActivationKernels.Backward(Activation.ReLU, [0f], [0f], gradient, 1);
        Assert.Equal(0f, gradient[0]);
    }

    [Fact]
    public void Softmax_is_stable_for_extreme_logits_and_normalises_each_row()
    {
        float[] z = [1000f, 0f, -1000f, 1f, 2f, 3f];
        float[] a = new float[6];
        ActivationKernels.Forward(Activation.Softmax, z, a, units: 3);
        Assert.Equal([1f, 0f, 0f], a[..3]);
        double[] expected = ReferenceNetwork.Softmax([1, 2, 3]);
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(expected[j], a[3 + j], 6);
        }
    }

    [Fact]
    public void Exp_is_within_two_ulp_across_the_float_range_and_keeps_its_special_values()
    {
        int width = System.Numerics.Vector<float>.Count;
        float[] x = Enumerable.Range(0, 20_000).Select(i => -110f + (i * 0.01f)).ToArray();
        for (int i = 0; i + width <= x.Length; i += width)
        {
            var e = VectorMath.Exp(new System.Numerics.Vector<float>(x, i));
            for (int k = 0; k < width; k++)
            {
                double expected = Math.Exp(x[i + k]);

                // Below the normal range the spacing of floats is fixed, so the bound is absolute there.
                double tolerance = Math.Max(2 * 5.97e-8 * expected, 2 * float.Epsilon);
                Assert.True(
                    Math.Abs(e[k] - (expected > float.MaxValue ? double.PositiveInfinity : expected)) <= tolerance || (expected > float.MaxValue && float.IsPositiveInfinity(e[k])),
                    $"exp({x[i + k]:R}) = {e[k]:R}, expected {expected:R}");
            }
        }

        var special = VectorMath.Exp(new System.Numerics.Vector<float>([.. Enumerable.Repeat(float.NaN, width / 4), .. Enumerable.Repeat(float.PositiveInfinity, width / 4), .. Enumerable.Repeat(float.NegativeInfinity, width / 4), .. Enumerable.Repeat(0f, width - (3 * (width / 4)))]));
        Assert.True(float.IsNaN(special[0]));
        Assert.Equal(float.PositiveInfinity, special[width / 4]);
        Assert.Equal(0f, special[width / 2]);
        Assert.Equal(1f, special[width - 1]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(8)]
    public void Softmax_of_a_single_narrow_row_matches_the_double_reference_and_the_same_row_in_a_batch(int units)
    {
        // A single row no wider than a vector takes its own path; rows in a batch take the general one.
        var random = new Random(100 + units);
        float[] z = RandomData.Uniform(random, units).Select(v => (v * 40f) - 20f).ToArray();
        float[] a = new float[units];
        ActivationKernels.Forward(Activation.Softmax, z, a, units);
        float[] batch = [.. z, .. z, .. z];
        ActivationKernels.Forward(Activation.Softmax, batch, batch, units);
        double[] expected = ReferenceNetwork.Softmax(z.Select(v => (double)v).ToArray());
        for (int j = 0; j < units; j++)
        {
            Assert.True(Math.Abs(a[j] - expected[j]) <= 1e-6 * Math.Max(expected[j], 1e-3), $"unit {j}: {a[j]:R}, expected {expected[j]:R}");
            Assert.Equal(BitConverter.SingleToInt32Bits(batch[units + j]), BitConverter.SingleToInt32Bits(a[j]));
        }

        float[] withNaN = [.. z];
        withNaN[units / 2] = float.NaN;
        ActivationKernels.Forward(Activation.Softmax, withNaN, a, units);
        Assert.All(a, value => Assert.True(float.IsNaN(value)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(16)]
    [InlineData(37)]
    public void Softmax_rows_of_any_width_match_the_double_reference(int units)
    {
        var random = new Random(units);
        const int Rows = 5;
        float[] z = RandomData.Uniform(random, Rows * units).Select(v => (v * 40f) - 20f).ToArray();
        float[] a = new float[z.Length];
        ActivationKernels.Forward(Activation.Softmax, z, a, units);
        for (int r = 0; r < Rows; r++)
        {
            double[] expected = ReferenceNetwork.Softmax(z.Skip(r * units).Take(units).Select(v => (double)v).ToArray());
            for (int j = 0; j < units; j++)
            {
                Assert.True(Math.Abs(a[(r * units) + j] - expected[j]) <= 1e-6 * Math.Max(expected[j], 1e-3), $"row {r}, unit {j}: {a[(r * units) + j]:R}, expected {expected[j]:R}");
            }
        }
    }
}
