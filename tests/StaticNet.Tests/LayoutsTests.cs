using StaticNet.Kernels;
using Xunit;

namespace StaticNet.Tests;

public class LayoutsTests
{
    [Fact]
    public void Transpose_moves_every_value_to_its_mirrored_place_for_sizes_with_and_without_whole_blocks()
    {
        var random = new Random(31);
        foreach ((int rows, int columns) in SizesUpTo(9).Append((256, 32)).Append((130, 10)))
        {
            float[] source = RandomData.Uniform(random, rows * columns);

            // One value past the matrix shows that nothing is written beyond it.
            float[] destination = new float[(rows * columns) + 1];
            destination[^1] = 7f;

            Layouts.Transpose(source, destination, rows, columns);

            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    Assert.True(source[(r * columns) + c] == destination[(c * rows) + r], $"{rows} × {columns}: value ({r}, {c})");
                }
            }

            Assert.Equal(7f, destination[^1]);
        }
    }

    [Theory]
    [InlineData(784, 256)]
    [InlineData(5, 100)]
    [InlineData(3, 10)]
    [InlineData(17, 33)]
    public void Panels_converted_to_the_canonical_layout_and_back_are_unchanged(int inputs, int units)
    {
        float[] canonical = RandomData.Uniform(new Random(inputs + units), inputs * units);
        float[] panels = new float[canonical.Length];
        float[] back = new float[canonical.Length];

        Layouts.CanonicalToPanels(canonical, panels, inputs, units, 32);
        Layouts.PanelsToCanonical(panels, back, inputs, units, 32);

        Assert.Equal(canonical, back);

        // Weight (input i, unit o) sits in the panel of o, at row i of that panel.
        int o = units - 1, i = inputs - 1;
        int panel = o / 32 * 32;
        int width = Math.Min(32, units - panel);
        Assert.Equal(canonical[(o * inputs) + i], panels[(panel * inputs) + (i * width) + (o - panel)]);
    }

    [Fact]
    public void Sizes_that_do_not_fit_the_spans_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Layouts.Transpose(new float[11], new float[12], 3, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Layouts.Transpose(new float[12], new float[11], 3, 4));
    }

    private static IEnumerable<(int Rows, int Columns)> SizesUpTo(int largest) =>
        from rows in Enumerable.Range(1, largest)
        from columns in Enumerable.Range(1, largest)
        select (rows, columns);
}
