using StaticNet.Kernels;
using Xunit;

namespace StaticNet.Tests;

public class NonZeroTests
{
    [Fact]
    public void Lists_the_indices_of_exactly_the_values_that_are_not_zero_in_order()
    {
        var random = new Random(21);
        for (int length = 0; length <= 70; length++)
        {
            foreach (double zeroShare in new[] { 0.0, 0.3, 0.7, 1.0 })
            {
                float[] values = RandomData.MostlyZero(random, length, zeroShare);
                if (length > 0 && zeroShare < 1)
                {
                    values[random.Next(length)] = float.NaN;
                }

                int[] indices = new int[length];

                int count = NonZero.Indices(values, indices);

                int[] expected = Enumerable.Range(0, length).Where(i => values[i] != 0f).ToArray();
                Assert.Equal(expected, indices.Take(count));
            }
        }
    }

    [Fact]
    public void Zero_of_either_sign_is_skipped_and_NaN_is_kept()
    {
        float[] values = [0f, -0f, float.NaN, 1e-45f, -1e-45f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 2f];
        int[] indices = new int[values.Length];

        int count = NonZero.Indices(values, indices);

        Assert.Equal([2, 3, 4, 17], indices.Take(count));
    }

    [Fact]
    public void Too_few_index_slots_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => NonZero.Indices(new float[9], new int[8]));
        Assert.Contains("8 index slots cannot hold the indices of 9 values", error.Message);
    }
}
