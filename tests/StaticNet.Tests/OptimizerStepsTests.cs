using StaticNet.Kernels;
using StaticNet.Training;
using Xunit;

namespace StaticNet.Tests;

/// <summary>The fused optimizer updates on their own, against PyTorch's formulas in double precision, over a range only.</summary>
public class OptimizerStepsTests
{
    private const int Storage = 96;
    private const int Start = 32;
    private const int Length = 48;

    [Theory]
    [InlineData(0f, 1f)]
    [InlineData(0.01f, 1f)]
    [InlineData(0f, 0.999f)]
    public void Adam_updates_its_range_as_PyTorch_and_nothing_else(float gradientDecay, float parameterDecay)
    {
        var random = new Random(5);
        float[] p = RandomData.Uniform(random, Storage), g = RandomData.Uniform(random, Storage);
        float[] m = RandomData.Uniform(random, Storage, 0.1f), v = [.. RandomData.Uniform(random, Storage, 0.1f).Select(Math.Abs)];
        float[] p0 = [.. p], m0 = [.. m], v0 = [.. v];
        var c = new AdamCoefficients(0.9f, 0.999f, 1e-8f, StepSize: 0.01f, SecondBiasCorrectionSqrt: 0.3f, gradientDecay, parameterDecay);

        OptimizerSteps.Adam(p, g, m, v, [], c, Start, Length);

        for (int k = 0; k < Storage; k++)
        {
            if (k < Start || k >= Start + Length)
            {
                Assert.Equal((p0[k], m0[k], v0[k]), (p[k], m[k], v[k]));
                continue;
            }

            double gk = g[k] + (gradientDecay * (double)p0[k]);
            double mk = (0.9 * m0[k]) + (0.1 * gk);
            double vk = (0.999 * v0[k]) + (0.001 * gk * gk);
            double pk = (p0[k] * (double)parameterDecay) - (0.01 * mk / ((Math.Sqrt(vk) / 0.3) + 1e-8));
            Assert.Equal(mk, m[k], 1e-6);
            Assert.Equal(vk, v[k], 1e-6);
            Assert.Equal(pk, p[k], 1e-5);
        }
    }

    [Theory]
    [InlineData(0f, 0f, 1f, 0f)]
    [InlineData(0.9f, 0.01f, 0f, 1f)]
    [InlineData(0.9f, 0f, 1f, 0.9f)]
    public void Sgd_updates_its_range_as_PyTorch_and_nothing_else(float momentum, float weightDecay, float gradientWeight, float velocityWeight)
    {
        var random = new Random(6);
        float[] p = RandomData.Uniform(random, Storage), g = RandomData.Uniform(random, Storage), b = RandomData.Uniform(random, Storage);
        float[] p0 = [.. p], b0 = [.. b];
        var c = new SgdCoefficients(0.05f, momentum, weightDecay, gradientWeight, velocityWeight);

        OptimizerSteps.Sgd(p, g, b, c, Start, Length);

        for (int k = 0; k < Storage; k++)
        {
            if (k < Start || k >= Start + Length)
            {
                Assert.Equal((p0[k], b0[k]), (p[k], b[k]));
                continue;
            }

            double gk = g[k] + (weightDecay * (double)p0[k]);
            double bk = (momentum * (double)b0[k]) + gk;
            Assert.Equal(bk, b[k], 1e-6);
            Assert.Equal(p0[k] - (0.05 * ((gradientWeight * gk) + (velocityWeight * bk))), p[k], 1e-6);
        }
    }

    [Fact]
    public void A_range_that_is_not_whole_vectors_within_the_storage_is_refused()
    {
        float[] buffer = new float[Storage];
        var c = new SgdCoefficients(0.1f, 0f, 0f, 1f, 0f);

        Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerSteps.Sgd(buffer, buffer, new float[Storage], c, 8, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerSteps.Sgd(buffer, buffer, new float[Storage], c, 80, 32));
        Assert.Throws<ArgumentException>(() => OptimizerSteps.Sgd(buffer, buffer, new float[Storage - 16], c, 0, 16));
    }
}
