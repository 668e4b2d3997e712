using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StaticNet.Kernels;

/// <summary>How a dense layer keeps its weights in the parameter storage.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum WeightLayout
{
    /// <summary>
    /// Input-major column panels of <see cref="LayerProducts.PanelWidth"/> units: panel j holds W[i, o] for
    /// units 32j to 32j + 31 (fewer in the last panel) as rows of one input each, so a panel streams through
    /// memory in order while its units stay in registers.
    /// </summary>
    Panels,

    /// <summary>W[o, i] at o · inputs + i, PyTorch's own layout, so each unit is a dot product along the inputs.</summary>
    UnitMajor,
}

/// <summary>
/// One dense layer as a generated network lays it out: its sizes, where its weights and biases lie in the
/// parameter storage, and how they are stored. Its methods are the layer's products, one call each, over
/// the storage they are given; a generated network lists its layers in a <see cref="NetworkLayout"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct LayerLayout
{
    /// <summary>The units of a unit-major layer that one weight-gradient block computes, so sums run in one order however the blocks are shared out.</summary>
    internal const int UnitBlock = 4;

    /// <summary>Describes a layer.</summary>
    /// <param name="inputs">The layer's inputs.</param>
    /// <param name="units">The layer's units.</param>
    /// <param name="activation">The activation applied to its pre-activations.</param>
    /// <param name="weights">The offset of its weights in the parameter storage.</param>
    /// <param name="bias">The offset of its biases in the parameter storage.</param>
    /// <param name="layout">How the weights are stored.</param>
    /// <param name="skipsZeros">Whether the single-sample product lists the inputs that are not zero and reads only their weight rows.</param>
    public LayerLayout(int inputs, int units, Activation activation, int weights, int bias, WeightLayout layout, bool skipsZeros)
    {
        Inputs = inputs;
        Units = units;
        Activation = activation;
        Weights = weights;
        Bias = bias;
        Layout = layout;
        SkipsZeros = skipsZeros;
    }

    /// <summary>The layer's inputs.</summary>
    public int Inputs { get; }

    /// <summary>The layer's units.</summary>
    public int Units { get; }

    /// <summary>The activation applied to the pre-activations.</summary>
    public Activation Activation { get; }

    /// <summary>The offset of the weights in the parameter storage.</summary>
    public int Weights { get; }

    /// <summary>The offset of the biases in the parameter storage.</summary>
    public int Bias { get; }

    /// <summary>How the weights are stored.</summary>
    public WeightLayout Layout { get; }

    /// <summary>Whether the single-sample product reads the weight rows of only the inputs that are not zero.</summary>
    public bool SkipsZeros { get; }

    /// <summary>
    /// The rate of the dropout applied to the layer's activations in training steps (<c>[Dropout]</c> after its
    /// <c>[Dense]</c>), in [0, 1); 0 for none. Prediction ignores it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is outside [0, 1).</exception>
    public float Dropout
    {
        get;
        init => field = NetworkLayout.CheckRate(value);
    }

    /// <summary>Whether the layer adds a bias to each unit (<c>[Dense(…, UseBias = false)]</c> for none); without, <see cref="Bias"/> is not used.</summary>
    public bool UseBias { get; init; } = true;

    /// <summary>The layer's parameters: its weights, and its biases if it has them.</summary>
    public int ParameterCount => (Inputs * Units) + (UseBias ? Units : 0);

    /// <summary>The L1 penalty on the layer's weights in training, <c>L1 · Σ|w|</c>; 0 for none.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public float L1
    {
        get;
        init => field = NetworkLayout.CheckPenalty(value);
    }

    /// <summary>The L2 penalty on the layer's weights in training, <c>L2 · Σw²</c>; 0 for none.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public float L2
    {
        get;
        init => field = NetworkLayout.CheckPenalty(value);
    }

    /// <summary>
    /// The units of one slice, the run of units that work done in parts never cuts: a panel, or in a
    /// unit-major layer a block of the weight-gradient kernel, so that sums run in the same order however
    /// the slices are shared out.
    /// </summary>
    public int SliceWidth => Layout == WeightLayout.UnitMajor ? UnitBlock : LayerProducts.PanelWidth;

    /// <summary>The layer's slices of <see cref="SliceWidth"/> units, the last possibly narrower.</summary>
    public int Slices => (Units + SliceWidth - 1) / SliceWidth;

    /// <summary>The part-th of <paramref name="parts"/> runs of the layer's slices, as the threads of a parallel step share them.</summary>
    internal (int First, int End) Share(int part, int parts) =>
        ((int)((long)part * Slices / parts), (int)(((long)part + 1) * Slices / parts));

    /// <summary>Where the weights and the biases of the part-th of <paramref name="parts"/> runs of slices lie in the storage: one run of each, in either layout.</summary>
    internal (int Weights, int WeightCount, int Bias, int BiasCount) PartRuns(int part, int parts)
    {
        (int first, int end) = Share(part, parts);
        (int from, int count) = UnitsOf(first, end);
        return (Weights + (from * Inputs), count * Inputs, UseBias ? Bias + from : Weights, UseBias ? count : 0);
    }

    /// <summary>The first of slice <paramref name="first"/>'s units and how many units slices first to end (exclusive) hold.</summary>
    internal (int From, int Count) UnitsOf(int first, int end)
    {
        int from = first * SliceWidth;
        return (from, Math.Min(end * SliceWidth, Units) - from);
    }

    /// <summary>
    /// The floats that <see cref="PackStrips"/> writes: the full panels of a panel layer with more than
    /// <see cref="InPlaceInputs"/> inputs where a batch's products read strips (<see cref="LayerProducts.ReadsStrips"/>); 0 otherwise.
    /// </summary>
    internal int StripFloats => Layout == WeightLayout.Panels && Inputs > InPlaceInputs ? LayerProducts.StripFloats(Inputs, Units) : 0;

    /// <summary>
    /// The floats of the strips of dz that <see cref="Gradients(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int, int, int)"/>
    /// reads for <paramref name="rows"/> rows: the units of a panel layer's full panels, every row, where the products read
    /// strips (<see cref="LayerProducts.ReadsStrips"/>); 0 otherwise.
    /// </summary>
    /// <param name="rows">How many rows.</param>
    internal int GradientStripFloats(int rows) => Layout == WeightLayout.Panels ? checked(rows * (LayerProducts.StripFloats(1, Units))) : 0;

    /// <summary>
    /// The most inputs of a panel layer whose batch products read its panels in place: such a panel (32 KB) stays in
    /// the L1 cache while the blocks of rows read it, wherever its rows lie, and packing it gained nothing measurable.
    /// </summary>
    private const int InPlaceInputs = 256;

    /// <summary>Copies the layer's full panels into strips for <see cref="ForwardStrips"/>.</summary>
    /// <param name="parameters">The network's parameter storage.</param>
    /// <param name="strips">Receives the strips, <see cref="StripFloats"/> floats.</param>
    /// <exception cref="ArgumentException"><paramref name="strips"/> is not <see cref="StripFloats"/> long, or the layer has no strips.</exception>
    internal void PackStrips(ReadOnlySpan<float> parameters, Span<float> strips)
    {
        CheckStrips(strips.Length);
        LayerProducts.PackStrips(ref Unsafe.Add(ref MemoryMarshal.GetReference(parameters), Weights), ref MemoryMarshal.GetReference(strips), Inputs, Units);
    }

    // The kernels write and read through references: a wrong length would run past the buffer.
    private void CheckStrips(int length)
    {
        if (StripFloats == 0 || length != StripFloats)
        {
            throw new ArgumentException($"The layer's strips take {StripFloats} floats, not {length}.", "strips");
        }
    }

    /// <summary>
    /// The pre-activations of every unit for every row, as <see cref="Forward"/> computes them, with the full panels
    /// read from the strips <see cref="PackStrips"/> wrote.
    /// </summary>
    /// <param name="parameters">The network's parameter storage, padding included.</param>
    /// <param name="strips">The layer's strips.</param>
    /// <param name="x">The rows of inputs.</param>
    /// <param name="z">The rows of pre-activations.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="rectify">Whether to store max(z, 0).</param>
    /// <exception cref="ArgumentException"><paramref name="strips"/> is not <see cref="StripFloats"/> long, or the layer has no strips.</exception>
    internal void ForwardStrips(ReadOnlySpan<float> parameters, ReadOnlySpan<float> strips, ReadOnlySpan<float> x, Span<float> z, int rows, bool rectify)
    {
        CheckStrips(strips.Length);
        ref float p = ref MemoryMarshal.GetReference(parameters);
        LayerProducts.ForwardStrips(
            ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(strips), ref Unsafe.Add(ref p, Weights), ref UseBias ? ref Unsafe.Add(ref p, Bias) : ref Unsafe.NullRef<float>(),
            ref MemoryMarshal.GetReference(z), rows, Inputs, Units, rectify);
    }

    /// <summary>
    /// The pre-activations of slices first to end (exclusive) for every row: z[r, o] = b[o] + Σ_i x[r, i] · W[i, o];
    /// with <paramref name="rectify"/>, a panel layer stores max(z, 0) instead: inference's ReLU, fused into the stores.
    /// </summary>
    /// <param name="parameters">The network's parameter storage, padding included.</param>
    /// <param name="x">The rows of inputs.</param>
    /// <param name="z">The rows of pre-activations.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="first">The first slice.</param>
    /// <param name="end">The slice after the last.</param>
    /// <param name="rectify">Whether to store max(z, 0); only a panel layer takes it.</param>
    public void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> z, int rows, int first, int end, bool rectify)
    {
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float w = ref Unsafe.Add(ref p, Weights);
        ref float b = ref UseBias ? ref Unsafe.Add(ref p, Bias) : ref Unsafe.NullRef<float>();
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float z0 = ref MemoryMarshal.GetReference(z);
        if (Layout == WeightLayout.Panels)
        {
            LayerProducts.ForwardPanels(ref x0, ref w, ref b, ref z0, rows, Inputs, Units, first, end, rectify);
            return;
        }

        (int from, int count) = UnitsOf(first, end);
        LayerProducts.ForwardUnitMajor(ref x0, ref w, ref b, ref z0, rows, Inputs, Units, from, count);
    }

    /// <summary>
    /// Overwrites the gradients of the weights and biases of slices first to end (exclusive):
    /// dW[i, o] = Σ_r x[r, i] · dz[r, o] and db[o] = Σ_r dz[r, o], in the layer's layout.
    /// </summary>
    /// <param name="x">The layer's inputs over the batch.</param>
    /// <param name="dz">The gradient with respect to the layer's pre-activations.</param>
    /// <param name="gradients">The gradients of all the parameters, in the storage's layout.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="first">The first slice.</param>
    /// <param name="end">The slice after the last.</param>
    public void Gradients(ReadOnlySpan<float> x, ReadOnlySpan<float> dz, Span<float> gradients, int rows, int first, int end) =>
        Gradients(x, dz, [], gradients, rows, first, end);

    /// <summary>
    /// <see cref="Gradients(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>, a panel layer's
    /// reading dz's columns of its full panels from strips it first copies them into (<see cref="LayerProducts.PackGradientStrips"/>).
    /// </summary>
    /// <param name="x">The layer's inputs over the batch.</param>
    /// <param name="dz">The gradient with respect to the layer's pre-activations.</param>
    /// <param name="dzStrips">Room for the strips, <see cref="GradientStripFloats"/> floats; empty to read dz in place.</param>
    /// <param name="gradients">The gradients of all the parameters, in the storage's layout.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="first">The first slice.</param>
    /// <param name="end">The slice after the last.</param>
    /// <exception cref="ArgumentException"><paramref name="dzStrips"/> is neither empty nor <see cref="GradientStripFloats"/> long.</exception>
    internal void Gradients(ReadOnlySpan<float> x, ReadOnlySpan<float> dz, Span<float> dzStrips, Span<float> gradients, int rows, int first, int end)
    {
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float dz0 = ref MemoryMarshal.GetReference(dz);
        ref float dw = ref Unsafe.Add(ref MemoryMarshal.GetReference(gradients), Weights);
        ref float db = ref UseBias ? ref Unsafe.Add(ref MemoryMarshal.GetReference(gradients), Bias) : ref Unsafe.NullRef<float>();
        if (!dzStrips.IsEmpty && dzStrips.Length != GradientStripFloats(rows))
        {
            throw new ArgumentException($"The layer's gradient strips for {rows} rows take {GradientStripFloats(rows)} floats, not {dzStrips.Length}.", nameof(dzStrips));
        }

        if (Layout == WeightLayout.Panels)
        {
            ref float strips = ref dzStrips.IsEmpty ? ref Unsafe.NullRef<float>() : ref MemoryMarshal.GetReference(dzStrips);
            if (!dzStrips.IsEmpty)
            {
                LayerProducts.PackGradientStrips(ref dz0, ref strips, rows, Units, first, end);
            }

            LayerProducts.GradientsPanels(ref x0, ref dz0, ref strips, ref dw, ref db, rows, Inputs, Units, first, end);
        }
        else
        {
            (int from, int count) = UnitsOf(first, end);
            LayerProducts.GradientsUnitMajor(ref x0, ref dz0, ref dw, ref db, rows, Inputs, Units, from, count);
        }
    }

    /// <summary>The gradient the layer passes to the layer below: dx[r, i] = Σ_o dz[r, o] · W[i, o].</summary>
    /// <param name="weights">The weights as [units, inputs]: the parameters of a unit-major layer, or the copy of a panel layer's the forward pass made.</param>
    /// <param name="dz">The gradient with respect to the layer's pre-activations.</param>
    /// <param name="dx">Receives the gradient with respect to the layer's inputs.</param>
    /// <param name="rows">How many rows.</param>
    public void InputGradient(ReadOnlySpan<float> weights, ReadOnlySpan<float> dz, Span<float> dx, int rows) =>
        LayerProducts.InputGradient(ref MemoryMarshal.GetReference(weights), ref MemoryMarshal.GetReference(dz), ref MemoryMarshal.GetReference(dx), rows, Inputs, Units);

    /// <summary>The gradient the layer passes to its inputs, reading its weights where the parameters hold them, in either layout.</summary>
    /// <param name="parameters">The network's parameter storage.</param>
    /// <param name="dz">The gradient with respect to the layer's pre-activations.</param>
    /// <param name="dx">Receives the gradient with respect to the layer's inputs.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="scratch">Room for the transposed gradients of a batch, (2 · inputs + units) · rows floats.</param>
    internal void InputGradientFromParameters(ReadOnlySpan<float> parameters, ReadOnlySpan<float> dz, Span<float> dx, int rows, Span<float> scratch)
    {
        ref float w = ref Unsafe.Add(ref MemoryMarshal.GetReference(parameters), Weights);
        if (Layout == WeightLayout.Panels && rows >= LayerProducts.TransposedRows)
        {
            // A batch: each panel's rows of weights times the batch's gradients transposed, through the register-blocked product.
            Span<float> dzT = scratch[..(Units * rows)];
            Span<float> dxT = scratch.Slice(Units * rows, Inputs * rows);
            Span<float> panel = scratch.Slice((Units + Inputs) * rows, Inputs * rows);
            Layouts.Transpose(dz[..(rows * Units)], dzT, rows, Units);
            LayerProducts.InputGradientPanelsTransposed(ref w, ref MemoryMarshal.GetReference(dzT), dxT, panel, rows, Inputs, Units);
            Layouts.Transpose(dxT, dx[..(rows * Inputs)], Inputs, rows);
        }
        else if (Layout == WeightLayout.Panels)
        {
            LayerProducts.InputGradientPanels(ref w, ref MemoryMarshal.GetReference(dz), ref MemoryMarshal.GetReference(dx), rows, Inputs, Units);
        }
        else
        {
            LayerProducts.InputGradient(ref w, ref MemoryMarshal.GetReference(dz), ref MemoryMarshal.GetReference(dx), rows, Inputs, Units);
        }
    }

    /// <summary>Copies the layer's weights and biases from a buffer in the storage's layout to one in PyTorch's, at the same offsets.</summary>
    /// <param name="source">A parameter-sized buffer in the storage's layout.</param>
    /// <param name="destination">A parameter-sized buffer in PyTorch's layout.</param>
    public void ToCanonical(ReadOnlySpan<float> source, Span<float> destination) => Convert(source, destination, toCanonical: true);

    /// <summary>Copies the layer's weights and biases from a buffer in PyTorch's layout to one in the storage's, at the same offsets.</summary>
    /// <param name="source">A parameter-sized buffer in PyTorch's layout.</param>
    /// <param name="destination">A parameter-sized buffer in the storage's layout.</param>
    public void FromCanonical(ReadOnlySpan<float> source, Span<float> destination) => Convert(source, destination, toCanonical: false);

    private void Convert(ReadOnlySpan<float> source, Span<float> destination, bool toCanonical)
    {
        int length = Inputs * Units;
        ReadOnlySpan<float> from = source.Slice(Weights, length);
        Span<float> to = destination.Slice(Weights, length);
        if (Layout == WeightLayout.UnitMajor)
        {
            from.CopyTo(to);
        }
        else if (toCanonical)
        {
            Layouts.PanelsToCanonical(from, to, Inputs, Units, LayerProducts.PanelWidth);
        }
        else
        {
            Layouts.CanonicalToPanels(from, to, Inputs, Units, LayerProducts.PanelWidth);
        }

        if (UseBias)
        {
            source.Slice(Bias, Units).CopyTo(destination.Slice(Bias, Units));
        }
    }
}
