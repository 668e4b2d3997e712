using System;
using System.ComponentModel;

namespace StaticNet.Kernels;

/// <summary>Layout conversions used by generated networks to move parameters to and from the canonical layout.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Layouts
{
    /// <summary>
    /// Writes the transpose of the row-major <paramref name="rows"/> × <paramref name="columns"/>
    /// matrix <paramref name="source"/> into <paramref name="destination"/> (columns × rows).
    /// </summary>
    public static void Transpose(ReadOnlySpan<float> source, Span<float> destination, int rows, int columns)
    {
        int count = checked(rows * columns);
        source = source[..count];
        destination = destination[..count];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = source.Slice(r * columns, columns);
            for (int c = 0; c < row.Length; c++)
            {
                destination[c * rows + r] = row[c];
            }
        }
    }
}
