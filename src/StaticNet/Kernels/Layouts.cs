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

    /// <summary>
    /// Copies one layer's weights from column panels to the canonical [units, inputs] layout. Panel j
    /// holds units [j · panelWidth, (j + 1) · panelWidth) — fewer in the last — for every input, as
    /// [inputs, width] row-major; the panels follow each other, so panel j and the canonical rows of
    /// its units start at the same offset.
    /// </summary>
    public static void PanelsToCanonical(ReadOnlySpan<float> panels, Span<float> canonical, int inputs, int units, int panelWidth) =>
        ConvertPanels(panels, canonical, inputs, units, panelWidth, toCanonical: true);

    /// <summary>Copies one layer's weights from the canonical [units, inputs] layout to column panels; see <see cref="PanelsToCanonical"/>.</summary>
    public static void CanonicalToPanels(ReadOnlySpan<float> canonical, Span<float> panels, int inputs, int units, int panelWidth) =>
        ConvertPanels(canonical, panels, inputs, units, panelWidth, toCanonical: false);

    private static void ConvertPanels(ReadOnlySpan<float> source, Span<float> destination, int inputs, int units, int panelWidth, bool toCanonical)
    {
        for (int first = 0; first < units; first += panelWidth)
        {
            int width = Math.Min(panelWidth, units - first);
            int offset = first * inputs;
            int size = width * inputs;
            Transpose(source.Slice(offset, size), destination.Slice(offset, size), toCanonical ? inputs : width, toCanonical ? width : inputs);
        }
    }
}
