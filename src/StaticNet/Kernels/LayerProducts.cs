using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace StaticNet.Kernels;

/// <summary>
/// The batched products of whole layers, over all their rows: blocks of eight rows (or inputs) share each
/// loaded row of the other operand, then blocks of four, then the rest one by one, each block one call of
/// <see cref="Products"/>. Generated layers call these with their sizes as constants, so that where the JIT
/// inlines them it keeps only the blocks and panels those sizes need.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LayerProducts
{
    /// <summary>Units per weight panel of an input-major layer: four 8-float vectors held in registers.</summary>
    public const int PanelWidth = 32;

    /// <summary>
    /// The forward product of a layer whose weights are input-major panels of <see cref="PanelWidth"/> units:
    /// z[r, o] = b[o] + Σ_i x[r, i] · W[i, o] for every row and the units of panels first to end (exclusive);
    /// with <paramref name="rectify"/>, max(z, 0) is stored instead.
    /// </summary>
    /// <param name="x">The rows of inputs, <paramref name="inputs"/> apart.</param>
    /// <param name="weights">The layer's panels: panel j holds W[i, o] for units 32j to 32j + 31 as rows of one input each.</param>
    /// <param name="bias">The layer's biases, in the parameters (a whole vector may be read past them).</param>
    /// <param name="z">The rows of outputs, <paramref name="units"/> apart.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="inputs">The layer's inputs.</param>
    /// <param name="units">The layer's units.</param>
    /// <param name="first">The first panel to compute.</param>
    /// <param name="end">The panel after the last to compute.</param>
    /// <param name="rectify">Whether to store max(z, 0): inference's ReLU, fused into the stores.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ForwardPanels(ref float x, ref float weights, ref float bias, ref float z, nint rows, nint inputs, nint units, nint first, nint end, bool rectify)
    {
        nint r = 0;
        for (; r + 8 <= rows; r += 8)
        {
            ForwardPanelsOfRows(8, ref Unsafe.Add(ref x, r * inputs), ref weights, ref bias, ref Unsafe.Add(ref z, r * units), inputs, units, first, end, rectify);
        }

        for (; r + 4 <= rows; r += 4)
        {
            ForwardPanelsOfRows(4, ref Unsafe.Add(ref x, r * inputs), ref weights, ref bias, ref Unsafe.Add(ref z, r * units), inputs, units, first, end, rectify);
        }

        for (; r < rows; r++)
        {
            ForwardPanelsOfRows(1, ref Unsafe.Add(ref x, r * inputs), ref weights, ref bias, ref Unsafe.Add(ref z, r * units), inputs, units, first, end, rectify);
        }
    }

    /// <summary>
    /// The gradient a layer passes to the layer below: dx[r, i] = Σ_o dz[r, o] · W[o, i], with the weights read
    /// as [units, inputs] rows, so each row of dx is a product of the forward pass's form.
    /// </summary>
    /// <param name="weights">The weights as [units, inputs], row-major.</param>
    /// <param name="dz">The rows of the layer's gradient, <paramref name="units"/> apart.</param>
    /// <param name="dx">Receives the rows of the gradient below, <paramref name="inputs"/> apart.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="inputs">The layer's inputs.</param>
    /// <param name="units">The layer's units.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InputGradient(ref float weights, ref float dz, ref float dx, nint rows, nint inputs, nint units)
    {
        nint r = 0;
        for (; r + 8 <= rows; r += 8)
        {
            Products.MultiplyAccumulateWideRows(ref Unsafe.Add(ref dz, r * units), 1, units, units, ref weights, inputs, inputs, ref weights, false, ref Unsafe.Add(ref dx, r * inputs), inputs, false, false);
        }

        for (; r + 4 <= rows; r += 4)
        {
            Products.MultiplyAccumulateRows(ref Unsafe.Add(ref dz, r * units), 1, units, units, ref weights, inputs, inputs, ref weights, false, ref Unsafe.Add(ref dx, r * inputs), inputs, false);
        }

        for (; r < rows; r++)
        {
            Products.MultiplyAccumulate(ref Unsafe.Add(ref dz, r * units), 1, units, ref weights, inputs, inputs, ref weights, false, ref Unsafe.Add(ref dx, r * inputs), false);
        }
    }

    /// <summary>One block of <paramref name="block"/> rows (8, 4 or 1) through panels first to end of a forward product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardPanelsOfRows(int block, ref float x, ref float weights, ref float bias, ref float z, nint inputs, nint units, nint first, nint end, bool rectify)
    {
        nint full = units / PanelWidth;
        for (nint j = first; j < Math.Min(end, full); j++)
        {
            Product(block, ref x, inputs, ref Unsafe.Add(ref weights, j * inputs * PanelWidth), PanelWidth, ref Unsafe.Add(ref bias, j * PanelWidth), ref Unsafe.Add(ref z, j * PanelWidth), units, rectify);
        }

        // The narrower last panel, if any.
        nint tail = units - (full * PanelWidth);
        if (tail > 0 && end > full)
        {
            Product(block, ref x, inputs, ref Unsafe.Add(ref weights, full * inputs * PanelWidth), tail, ref Unsafe.Add(ref bias, full * PanelWidth), ref Unsafe.Add(ref z, full * PanelWidth), units, rectify);
        }
    }

    /// <summary>One panel of <paramref name="width"/> units for a block of rows, through the kernel of that many rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Product(int block, ref float x, nint inputs, ref float panel, nint width, ref float bias, ref float z, nint units, bool rectify)
    {
        if (block == 8)
        {
            Products.MultiplyAccumulateWideRows(ref x, 1, inputs, inputs, ref panel, width, width, ref bias, true, ref z, units, true, rectify);
        }
        else if (block == 4)
        {
            Products.MultiplyAccumulateRows(ref x, 1, inputs, inputs, ref panel, width, width, ref bias, true, ref z, units, rectify);
        }
        else
        {
            Products.MultiplyAccumulate(ref x, 1, inputs, ref panel, width, width, ref bias, true, ref z, rectify);
        }
    }
}
