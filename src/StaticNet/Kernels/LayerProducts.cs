using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace StaticNet.Kernels;

/// <summary>
/// The batched products of whole layers, over all their rows: blocks of eight or six rows (or inputs) share each
/// loaded row of the other operand, then blocks of four, then the rest one by one, each block one call of
/// <see cref="Products"/>, and the unit-major layers' forward product, a dot product per unit. The layer
/// table (<see cref="LayerLayout"/>) calls them with each layer's sizes.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LayerProducts
{
    /// <summary>Units per weight panel of an input-major layer: four 8-float vectors held in registers.</summary>
    public const int PanelWidth = 32;

    /// <summary>
    /// The rows of the widest block, which shares each loaded row of the other operand: eight where 512-bit
    /// vectors are fast (<see cref="Products.MultiplyAccumulateWideRows"/>), six elsewhere, as many as AVX2's 16
    /// registers hold (<see cref="Products.MultiplyAccumulateSixRows"/>). A constant to the JIT.
    /// </summary>
    internal static int WideBlock => Vector512.IsHardwareAccelerated ? 8 : 6;

    /// <summary>The units of a strip (<see cref="PackStrips"/>): the two vectors of units that a row of the 6-row block takes.</summary>
    internal static int StripWidth => 2 * Vector<float>.Count;

    /// <summary>
    /// Whether a batch's forward products read panels packed into strips: where the rows go in blocks of six, which take
    /// two vectors of a panel's row at a time; the 8-row block reads whole rows in order.
    /// </summary>
    internal static bool ReadsStrips => WideBlock == 6 && PanelWidth % StripWidth == 0;

    /// <summary>The floats of the strips of a layer's full panels: none where <see cref="ReadsStrips"/> is false.</summary>
    /// <param name="inputs">The layer's inputs.</param>
    /// <param name="units">The layer's units.</param>
    internal static int StripFloats(int inputs, int units) => ReadsStrips ? units / PanelWidth * PanelWidth * inputs : 0;

    /// <summary>
    /// The forward product of a layer whose weights are input-major panels of <see cref="PanelWidth"/> units:
    /// z[r, o] = b[o] + Σ_i x[r, i] · W[i, o] for every row and the units of panels first to end (exclusive);
    /// with <paramref name="rectify"/>, max(z, 0) is stored instead.
    /// </summary>
    /// <param name="x">The rows of inputs, <paramref name="inputs"/> apart.</param>
    /// <param name="weights">The layer's panels: panel j holds W[i, o] for units 32j to 32j + 31 as rows of one input each.</param>
    /// <param name="bias">The layer's biases, in the parameters (a whole vector may be read past them); a null reference for a layer without.</param>
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
        // Panel by panel, every block of rows through each: a panel (inputs × 32 floats, 100 KB in FMNIST's first
        // layer) stays in L2 while the blocks stream it, where blocks outside would stream the whole layer from L3.
        for (nint j = first; j < end; j++)
        {
            nint from = j * PanelWidth;
            nint width = Math.Min(PanelWidth, units - from);
            bool hasBias = !Unsafe.IsNullRef(ref bias);
            BlocksOfRows(ref x, 1, inputs, inputs, ref Unsafe.Add(ref weights, from * inputs), width, width, ref hasBias ? ref Unsafe.Add(ref bias, from) : ref weights, hasBias, ref Unsafe.Add(ref z, from), units, true, rectify, rows);
        }
    }

    /// <summary>
    /// Copies the full panels of a layer into strips of <see cref="StripWidth"/> units, each [inputs, StripWidth]
    /// row-major: strip q holds W[i, o] for units q · StripWidth onwards. A narrower last panel is not copied.
    /// </summary>
    /// <param name="weights">The layer's panels.</param>
    /// <param name="strips">Receives the strips; at least <see cref="StripFloats"/> floats.</param>
    /// <param name="inputs">The layer's inputs.</param>
    /// <param name="units">The layer's units.</param>
    internal static void PackStrips(ref float weights, ref float strips, nint inputs, nint units)
    {
        nint width = Vector<float>.Count;
        nint perPanel = PanelWidth / StripWidth;
        for (nint j = 0; j < units / PanelWidth; j++)
        {
            ref float panel = ref Unsafe.Add(ref weights, j * inputs * PanelWidth);
            for (nint h = 0; h < perPanel; h++)
            {
                ref float strip = ref Unsafe.Add(ref strips, ((j * perPanel) + h) * inputs * StripWidth);
                ref float half = ref Unsafe.Add(ref panel, h * StripWidth);
                for (nint i = 0; i < inputs; i++)
                {
                    ref float from = ref Unsafe.Add(ref half, i * PanelWidth);
                    ref float to = ref Unsafe.Add(ref strip, i * StripWidth);
                    Vector.LoadUnsafe(ref from).StoreUnsafe(ref to);
                    Vector.LoadUnsafe(ref from, (nuint)width).StoreUnsafe(ref to, (nuint)width);
                }
            }
        }
    }

    /// <summary>
    /// Copies dz's columns of the full panels among first to end (exclusive) into strips of <see cref="StripWidth"/>
    /// units, each [rows, StripWidth] row-major: strip q holds dz[r, o] for units q · StripWidth onwards, at
    /// q · StripWidth · rows, so the parts that share a layer's panels write apart.
    /// </summary>
    /// <param name="dz">The gradient with respect to the layer's pre-activations, <paramref name="units"/> a row.</param>
    /// <param name="strips">Receives the strips; room for rows × the units of the layer's full panels.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="units">The layer's units.</param>
    /// <param name="first">The first panel.</param>
    /// <param name="end">The panel after the last.</param>
    internal static void PackGradientStrips(ref float dz, ref float strips, nint rows, nint units, nint first, nint end)
    {
        nint width = Vector<float>.Count;
        for (nint from = first * PanelWidth; from < Math.Min(end, units / PanelWidth) * PanelWidth; from += StripWidth)
        {
            ref float strip = ref Unsafe.Add(ref strips, from * rows);
            for (nint r = 0; r < rows; r++)
            {
                ref float source = ref Unsafe.Add(ref dz, (r * units) + from);
                ref float to = ref Unsafe.Add(ref strip, r * StripWidth);
                Vector.LoadUnsafe(ref source).StoreUnsafe(ref to);
                Vector.LoadUnsafe(ref source, (nuint)width).StoreUnsafe(ref to, (nuint)width);
            }
        }
    }

    /// <summary>
    /// <see cref="ForwardPanels"/> over every unit of a layer whose full panels <see cref="PackStrips"/> copied into
    /// strips, which a block of rows reads in order. Read in place, each of the block's two passes over a panel takes
    /// half of each of its rows, and <see cref="Products.MultiplyAccumulateSixRows"/> ran at 85% of the FMA peak over
    /// FMNIST's first layer, against 95% over strips. The narrower last panel, if any, is read in place.
    /// </summary>
    /// <param name="x">The rows of inputs, <paramref name="inputs"/> apart.</param>
    /// <param name="strips">The layer's full panels as strips.</param>
    /// <param name="weights">The layer's panels, for the narrower last one.</param>
    /// <param name="bias">The layer's biases; a null reference for a layer without.</param>
    /// <param name="z">The rows of outputs, <paramref name="units"/> apart.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="inputs">The layer's inputs.</param>
    /// <param name="units">The layer's units.</param>
    /// <param name="rectify">Whether to store max(z, 0).</param>
    internal static void ForwardStrips(ref float x, ref float strips, ref float weights, ref float bias, ref float z, nint rows, nint inputs, nint units, bool rectify)
    {
        nint full = units / PanelWidth;
        bool hasBias = !Unsafe.IsNullRef(ref bias);
        for (nint from = 0; from < full * PanelWidth; from += StripWidth)
        {
            BlocksOfRows(ref x, 1, inputs, inputs, ref Unsafe.Add(ref strips, from * inputs), StripWidth, StripWidth, ref hasBias ? ref Unsafe.Add(ref bias, from) : ref strips, hasBias, ref Unsafe.Add(ref z, from), units, false, rectify, rows);
        }

        if (full * PanelWidth < units)
        {
            ForwardPanels(ref x, ref weights, ref bias, ref z, rows, inputs, units, full, full + 1, rectify);
        }
    }

    /// <summary>
    /// The weight and bias gradients of a layer whose weights are input-major panels: dW[i, o] = Σ_r x[r, i] · dz[r, o]
    /// and db[o] = Σ_r dz[r, o], overwriting the gradients of the units of panels first to end (exclusive).
    /// Each panel's sums run in the same order however the panels are shared out among threads.
    /// </summary>
    /// <param name="x">The layer's inputs over the batch, <paramref name="inputs"/> a row.</param>
    /// <param name="dz">The gradient with respect to the layer's pre-activations, <paramref name="units"/> a row.</param>
    /// <param name="weightGradients">The gradients of the layer's weights, in its panel layout.</param>
    /// <param name="biasGradients">The gradients of the layer's biases; a null reference for a layer without.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="inputs">The layer's inputs.</param>
    /// <param name="units">The layer's units.</param>
    /// <param name="first">The first panel to compute.</param>
    /// <param name="end">The panel after the last to compute.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GradientsPanels(ref float x, ref float dz, ref float weightGradients, ref float biasGradients, nint rows, nint inputs, nint units, nint first, nint end) =>
        GradientsPanels(ref x, ref dz, ref Unsafe.NullRef<float>(), ref weightGradients, ref biasGradients, rows, inputs, units, first, end);

    /// <summary>
    /// <see cref="GradientsPanels(ref float, ref float, ref float, ref float, nint, nint, nint, nint, nint)"/>, with dz's
    /// columns of the full panels among first to end read from strips that <see cref="PackGradientStrips"/> wrote.
    /// Read in place, a row of dz lies a whole row of units from the next: over FMNIST's first layer and a batch of 128,
    /// <see cref="Products.MultiplyAccumulateSixRows"/> ran at 69–73% of the FMA peak, against 81–87% over strips
    /// (the packing included). Each sum runs in one order however the panels are shared out among threads.
    /// </summary>
    /// <param name="x">The layer's inputs over the batch.</param>
    /// <param name="dz">The gradient with respect to the layer's pre-activations.</param>
    /// <param name="dzStrips">dz's full panels as strips; a null reference to read dz in place.</param>
    /// <param name="weightGradients">The gradients of the layer's weights, in its panel layout.</param>
    /// <param name="biasGradients">The gradients of the layer's biases; a null reference for a layer without.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="inputs">The layer's inputs.</param>
    /// <param name="units">The layer's units.</param>
    /// <param name="first">The first panel to compute.</param>
    /// <param name="end">The panel after the last to compute.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void GradientsPanels(ref float x, ref float dz, ref float dzStrips, ref float weightGradients, ref float biasGradients, nint rows, nint inputs, nint units, nint first, nint end)
    {
        // Blocks of inputs share each row of dz loaded.
        nint i = 0;
        for (; i + WideBlock <= inputs; i += WideBlock)
        {
            WeightGradientsOfInputs(WideBlock, ref x, ref dz, ref dzStrips, ref weightGradients, i, rows, inputs, units, first, end);
        }

        for (; i + 4 <= inputs; i += 4)
        {
            WeightGradientsOfInputs(4, ref x, ref dz, ref dzStrips, ref weightGradients, i, rows, inputs, units, first, end);
        }

        for (; i < inputs; i++)
        {
            WeightGradientsOfInputs(1, ref x, ref dz, ref dzStrips, ref weightGradients, i, rows, inputs, units, first, end);
        }

        if (Unsafe.IsNullRef(ref biasGradients))
        {
            return;
        }

        float one = 1f;
        nint full = units / PanelWidth;
        for (nint j = first; j < Math.Min(end, full); j++)
        {
            ref float db = ref Unsafe.Add(ref biasGradients, j * PanelWidth);
            Products.MultiplyAccumulate(ref one, 0, rows, ref Unsafe.Add(ref dz, j * PanelWidth), units, PanelWidth, ref db, false, ref db, false);
        }

        nint tail = units - (full * PanelWidth);
        if (tail > 0 && end > full)
        {
            ref float db = ref Unsafe.Add(ref biasGradients, full * PanelWidth);
            Products.MultiplyAccumulate(ref one, 0, rows, ref Unsafe.Add(ref dz, full * PanelWidth), units, tail, ref db, false, ref db, false);
        }
    }

    /// <summary>
    /// The forward product of units from to from + count - 1 of a layer whose weights are unit-major, W[o, i] at
    /// o · inputs + i: z[r, o] = b[o] + Σ_i x[r, i] · W[o, i], each unit a dot product along the inputs.
    /// </summary>
    /// <param name="x">The rows of inputs, <paramref name="inputs"/> apart.</param>
    /// <param name="weights">The layer's weights, unit-major.</param>
    /// <param name="bias">The layer's biases; a null reference for a layer without.</param>
    /// <param name="z">The rows of outputs, <paramref name="units"/> apart.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="inputs">The layer's inputs.</param>
    /// <param name="units">The layer's units.</param>
    /// <param name="from">The first unit to compute.</param>
    /// <param name="count">How many units to compute.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ForwardUnitMajor(ref float x, ref float weights, ref float bias, ref float z, nint rows, nint inputs, nint units, nint from, nint count)
    {
        for (nint r = 0; r < rows; r++)
        {
            ref float xr = ref Unsafe.Add(ref x, r * inputs);
            ref float zr = ref Unsafe.Add(ref z, r * units);
            nint o = from;

            // Blocks of four from from, a multiple of LayerLayout.UnitBlock (four), as the parts take them: each unit's sum
            // runs in the same order however the units are shared out.
            for (; Products.DotFourIsAccelerated && o + 4 <= from + count; o += 4)
            {
                Vector128<float> sums = Products.DotFour(ref xr, ref Unsafe.Add(ref weights, o * inputs), inputs, inputs);
                (Unsafe.IsNullRef(ref bias) ? sums : Vector128.LoadUnsafe(ref bias, (nuint)o) + sums).StoreUnsafe(ref zr, (nuint)o);
            }

            for (; o < from + count; o++)
            {
                Vector<float> acc = Vector<float>.Zero;
                float tail = Products.DotAccumulate(ref xr, ref Unsafe.Add(ref weights, o * inputs), inputs, ref acc);
                Unsafe.Add(ref zr, o) = (Unsafe.IsNullRef(ref bias) ? 0 : Unsafe.Add(ref bias, o)) + Vector.Sum(acc) + tail;
            }
        }
    }

    /// <summary>
    /// The weight and bias gradients of units from to from + count - 1 of a layer whose weights are unit-major,
    /// W[o, i] at o · inputs + i: row o of dW is dz's column o times the inputs, dW[o, i] = Σ_r dz[r, o] · x[r, i],
    /// and db[o] = Σ_r dz[r, o], overwriting them. The biases go in blocks of four units from
    /// <paramref name="from"/>, so each sum runs in the same order however runs of whole blocks are shared out.
    /// </summary>
    /// <param name="x">The layer's inputs over the batch, <paramref name="inputs"/> a row.</param>
    /// <param name="dz">The gradient with respect to the layer's pre-activations, <paramref name="units"/> a row.</param>
    /// <param name="weightGradients">The gradients of the layer's weights, unit-major.</param>
    /// <param name="biasGradients">The gradients of the layer's biases; a null reference for a layer without.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="inputs">The layer's inputs.</param>
    /// <param name="units">The layer's units.</param>
    /// <param name="from">The first unit to compute.</param>
    /// <param name="count">How many units to compute.</param>
    public static void GradientsUnitMajor(ref float x, ref float dz, ref float weightGradients, ref float biasGradients, nint rows, nint inputs, nint units, nint from, nint count)
    {
        // Blocks of units share each row of x loaded.
        nint stop = from + count;
        nint o = from;
        // Blocks of eight and four only: from is a multiple of four, so the units left one by one, whose sums run
        // in another order, are the layer's last whatever the parts, and a unit's gradient does not depend on them.
        for (; o + 8 <= stop; o += 8)
        {
            Block(8, ref Unsafe.Add(ref dz, o), units, 1, rows, ref x, inputs, inputs, ref weightGradients, false, ref Unsafe.Add(ref weightGradients, o * inputs), inputs, false, false);
        }

        for (; o + 4 <= stop; o += 4)
        {
            Block(4, ref Unsafe.Add(ref dz, o), units, 1, rows, ref x, inputs, inputs, ref weightGradients, false, ref Unsafe.Add(ref weightGradients, o * inputs), inputs, false, false);
        }

        for (; o < stop; o++)
        {
            Block(1, ref Unsafe.Add(ref dz, o), units, 1, rows, ref x, inputs, inputs, ref weightGradients, false, ref Unsafe.Add(ref weightGradients, o * inputs), inputs, false, false);
        }

        if (Unsafe.IsNullRef(ref biasGradients))
        {
            return;
        }

        float one = 1f;
        for (nint u = from; u < stop; u += 4)
        {
            ref float db = ref Unsafe.Add(ref biasGradients, u);
            Products.MultiplyAccumulate(ref one, 0, rows, ref Unsafe.Add(ref dz, u), units, Math.Min(4, stop - u), ref db, false, ref db, false);
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
        // Columns of dx a panel's width at a time, every block of rows through each: those columns of the weights
        // (units × 32 floats, 32 KB in FMNIST's second layer) stay in the caches while the blocks stream them.
        for (nint from = 0; from < inputs; from += PanelWidth)
        {
            nint width = Math.Min(PanelWidth, inputs - from);
            ref float columns = ref Unsafe.Add(ref weights, from);
            BlocksOfRows(ref dz, 1, units, units, ref columns, inputs, width, ref columns, false, ref Unsafe.Add(ref dx, from), inputs, false, false, rows);
        }
    }

    /// <summary>
    /// The gradient a panel layer passes to its inputs, read from its panels where they are: dx[r, i] = Σ_o dz[r, o] · W[i, o].
    /// Row i of panel j holds W[i, o] for the panel's units, so each input's sum is a run of dot products, one per
    /// panel, accumulated in one vector and summed across it once. The training passes copy the weights of the layers
    /// above the first instead (<see cref="InputGradient"/>); explanations need the first layer's, which no copy holds.
    /// </summary>
    /// <param name="weights">The layer's panels.</param>
    /// <param name="dz">The rows of the layer's gradient, <paramref name="units"/> apart.</param>
    /// <param name="dx">Receives the rows of the gradient of its inputs, <paramref name="inputs"/> apart.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="inputs">The layer's inputs.</param>
    /// <param name="units">The layer's units.</param>
    public static void InputGradientPanels(ref float weights, ref float dz, ref float dx, nint rows, nint inputs, nint units)
    {
        nint width = Vector<float>.Count;
        nint full = units / PanelWidth;
        nint tail = units - (full * PanelWidth);
        for (nint r = 0; r < rows; r++)
        {
            ref float dzr = ref Unsafe.Add(ref dz, r * units);
            ref float dxr = ref Unsafe.Add(ref dx, r * inputs);
            for (nint i = 0; i < inputs; i++)
            {
                Vector<float> acc = Vector<float>.Zero;
                for (nint j = 0; j < full; j++)
                {
                    ref float row = ref Unsafe.Add(ref weights, (j * inputs * PanelWidth) + (i * PanelWidth));
                    ref float d = ref Unsafe.Add(ref dzr, j * PanelWidth);
                    for (nint k = 0; k < PanelWidth; k += width)
                    {
                        acc = Vector.MultiplyAddEstimate(Vector.LoadUnsafe(ref row, (nuint)k), Vector.LoadUnsafe(ref d, (nuint)k), acc);
                    }
                }

                float sum = Vector.Sum(acc);
                ref float last = ref Unsafe.Add(ref weights, (full * inputs * PanelWidth) + (i * tail));
                for (nint k = 0; k < tail; k++)
                {
                    sum += Unsafe.Add(ref last, k) * Unsafe.Add(ref dzr, (full * PanelWidth) + k);
                }

                Unsafe.Add(ref dxr, i) = sum;
            }
        }
    }

    /// <summary>Batches of at least this many rows take <see cref="InputGradientPanelsTransposed"/>, whose units are the rows.</summary>
    internal const int TransposedRows = 8;

    /// <summary>
    /// <see cref="InputGradientPanels"/> for a batch, transposed: dxᵀ[i, r] = Σ_j Σ_k P_j[i, k] · dzᵀ[32j + k, r], so the
    /// batch's rows are the units of the register-blocked product (<see cref="Products"/>) and blocks of inputs share
    /// each loaded row of dzᵀ. The first panel's product is written to dxᵀ; each later one goes to
    /// <paramref name="panel"/> and is added to it (a product's start is one row for all, as a bias is).
    /// </summary>
    /// <param name="weights">The layer's panels.</param>
    /// <param name="dzT">The layer's gradient transposed, units × rows.</param>
    /// <param name="dxT">Receives the gradient of its inputs transposed, inputs × rows.</param>
    /// <param name="panel">Room for one panel's product, inputs × rows.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="inputs">The layer's inputs.</param>
    /// <param name="units">The layer's units.</param>
    public static void InputGradientPanelsTransposed(ref float weights, ref float dzT, Span<float> dxT, Span<float> panel, nint rows, nint inputs, nint units)
    {
        for (nint from = 0; from < units; from += PanelWidth)
        {
            nint width = Math.Min(PanelWidth, units - from);
            Span<float> product = from == 0 ? dxT : panel;
            ref float output = ref MemoryMarshal.GetReference(product);
            BlocksOfRows(ref Unsafe.Add(ref weights, from * inputs), 1, width, width, ref Unsafe.Add(ref dzT, from * rows), rows, rows, ref output, false, ref output, rows, false, false, inputs);
            if (from > 0)
            {
                VectorSum.AddTo(panel, dxT);
            }
        }
    }

    /// <summary>
    /// <paramref name="rows"/> rows of a product through blocks of <see cref="WideBlock"/> rows, then of four,
    /// then one by one: row r reads s at r · sRowStride and writes output at r · outputStride. The other
    /// arguments are <see cref="Products.MultiplyAccumulateWideRows"/>'s.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BlocksOfRows(
        ref float s, nint sStride, nint sRowStride, nint terms, ref float m, nint mStride, nint units,
        ref float start, bool hasStart, ref float output, nint outputStride, bool padded, bool rectify, nint rows)
    {
        nint r = 0;
        for (; r + WideBlock <= rows; r += WideBlock)
        {
            Block(WideBlock, ref Unsafe.Add(ref s, r * sRowStride), sStride, sRowStride, terms, ref m, mStride, units, ref start, hasStart, ref Unsafe.Add(ref output, r * outputStride), outputStride, padded, rectify);
        }

        for (; r + 4 <= rows; r += 4)
        {
            Block(4, ref Unsafe.Add(ref s, r * sRowStride), sStride, sRowStride, terms, ref m, mStride, units, ref start, hasStart, ref Unsafe.Add(ref output, r * outputStride), outputStride, padded, rectify);
        }

        for (; r < rows; r++)
        {
            Block(1, ref Unsafe.Add(ref s, r * sRowStride), sStride, sRowStride, terms, ref m, mStride, units, ref start, hasStart, ref Unsafe.Add(ref output, r * outputStride), outputStride, padded, rectify);
        }
    }

    /// <summary>
    /// Rows i to i + <paramref name="block"/> - 1 of dW in panels first to end: each is x's column i times dz's
    /// columns of the panel, written at row i of the panel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WeightGradientsOfInputs(int block, ref float x, ref float dz, ref float dzStrips, ref float dw, nint i, nint rows, nint inputs, nint units, nint first, nint end)
    {
        ref float xi = ref Unsafe.Add(ref x, i);
        nint full = units / PanelWidth;
        for (nint j = first; j < Math.Min(end, full); j++)
        {
            ref float output = ref Unsafe.Add(ref dw, (j * inputs * PanelWidth) + (i * PanelWidth));
            if (Unsafe.IsNullRef(ref dzStrips))
            {
                Block(block, ref xi, inputs, 1, rows, ref Unsafe.Add(ref dz, j * PanelWidth), units, PanelWidth, ref output, false, ref output, PanelWidth, false, false);
                continue;
            }

            for (nint from = j * PanelWidth; from < (j + 1) * PanelWidth; from += StripWidth)
            {
                ref float half = ref Unsafe.Add(ref output, from - (j * PanelWidth));
                Block(block, ref xi, inputs, 1, rows, ref Unsafe.Add(ref dzStrips, from * rows), StripWidth, StripWidth, ref half, false, ref half, PanelWidth, false, false);
            }
        }

        nint tail = units - (full * PanelWidth);
        if (tail > 0 && end > full)
        {
            ref float output = ref Unsafe.Add(ref dw, (full * inputs * PanelWidth) + (i * tail));
            Block(block, ref xi, inputs, 1, rows, ref Unsafe.Add(ref dz, full * PanelWidth), units, tail, ref output, false, ref output, tail, false, false);
        }
    }

    /// <summary>
    /// One block of <paramref name="block"/> rows (<see cref="WideBlock"/>, 4 or 1) through the product kernel of that many rows;
    /// the arguments are <see cref="Products.MultiplyAccumulateWideRows"/>'s.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block(
        int block, ref float s, nint sStride, nint sRowStride, nint terms, ref float m, nint mStride, nint units,
        ref float start, bool hasStart, ref float output, nint outputStride, bool padded, bool rectify)
    {
        if (block == 8)
        {
            Products.MultiplyAccumulateWideRows(ref s, sStride, sRowStride, terms, ref m, mStride, units, ref start, hasStart, ref output, outputStride, padded, rectify);
        }
        else if (block == 6)
        {
            Products.MultiplyAccumulateSixRows(ref s, sStride, sRowStride, terms, ref m, mStride, units, ref start, hasStart, ref output, outputStride, rectify);
        }
        else if (block == 4)
        {
            Products.MultiplyAccumulateRows(ref s, sStride, sRowStride, terms, ref m, mStride, units, ref start, hasStart, ref output, outputStride, rectify);
        }
        else
        {
            Products.MultiplyAccumulate(ref s, sStride, terms, ref m, mStride, units, ref start, hasStart, ref output, rectify);
        }
    }
}
