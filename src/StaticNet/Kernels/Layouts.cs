using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StaticNet.Kernels;

/// <summary>Layout conversions used by generated networks to move parameters to and from the canonical layout.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Layouts
{
    /// <summary>
    /// Writes the transpose of the row-major <paramref name="rows"/> × <paramref name="columns"/>
    /// matrix <paramref name="source"/> into <paramref name="destination"/> (columns × rows).
    /// </summary>
    /// <remarks>
    /// Training copies weights through it on every forward pass, so blocks of 4 × 4 go through four vector
    /// registers where the processor has the shuffles for it; the edges, and other processors, go value by value.
    /// The straight-line code of tiny networks turns each group of samples into columns through it, with sizes
    /// the JIT knows, so it is inlined there.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose(ReadOnlySpan<float> source, Span<float> destination, int rows, int columns)
    {
        int count = checked(rows * columns);
        ref float s = ref MemoryMarshal.GetReference(source[..count]);
        ref float d = ref MemoryMarshal.GetReference(destination[..count]);
        int blockedRows = Sse.IsSupported ? rows / 4 * 4 : 0;
        int blockedColumns = Sse.IsSupported ? columns / 4 * 4 : 0;
        for (int r = 0; r < blockedRows; r += 4)
        {
            for (int c = 0; c < blockedColumns; c += 4)
            {
                TransposeBlock(ref Unsafe.Add(ref s, (r * columns) + c), columns, ref Unsafe.Add(ref d, (c * rows) + r), rows);
            }
        }

        for (int r = 0; r < rows; r++)
        {
            // Rows of whole blocks have only their last columns left.
            for (int c = r < blockedRows ? blockedColumns : 0; c < columns; c++)
            {
                Unsafe.Add(ref d, (c * rows) + r) = Unsafe.Add(ref s, (r * columns) + c);
            }
        }
    }

    private static void TransposeBlock(ref float source, int sourceStride, ref float destination, int destinationStride)
    {
        Vector128<float> a = Vector128.LoadUnsafe(ref source);
        Vector128<float> b = Vector128.LoadUnsafe(ref source, (nuint)sourceStride);
        Vector128<float> c = Vector128.LoadUnsafe(ref source, (nuint)(2 * sourceStride));
        Vector128<float> d = Vector128.LoadUnsafe(ref source, (nuint)(3 * sourceStride));
        Vector128<float> ab01 = Sse.UnpackLow(a, b), cd01 = Sse.UnpackLow(c, d);
        Vector128<float> ab23 = Sse.UnpackHigh(a, b), cd23 = Sse.UnpackHigh(c, d);
        Sse.MoveLowToHigh(ab01, cd01).StoreUnsafe(ref destination);
        Sse.MoveHighToLow(cd01, ab01).StoreUnsafe(ref destination, (nuint)destinationStride);
        Sse.MoveLowToHigh(ab23, cd23).StoreUnsafe(ref destination, (nuint)(2 * destinationStride));
        Sse.MoveHighToLow(cd23, ab23).StoreUnsafe(ref destination, (nuint)(3 * destinationStride));
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
