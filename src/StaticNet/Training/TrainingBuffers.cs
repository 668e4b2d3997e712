using System;
using System.ComponentModel;
using StaticNet.Kernels;

namespace StaticNet.Training;

/// <summary>
/// The scratch one training step needs, allocated once for a shape and a largest batch and then
/// reused, so that steps allocate nothing: every layer's pre-activations, activations and the
/// gradient of the loss with respect to its pre-activations, the parameter gradients, and room for a
/// copy of the weights of every layer above the first in the canonical [units, inputs] layout. Every
/// buffer starts on a 64-byte boundary, as the network's parameters do, so the kernels' vector
/// loads do not straddle cache lines.
/// </summary>
public sealed class TrainingBuffers
{
    private readonly AlignedArray _rows;
    private readonly int[] _layerOffsets;
    private readonly int[] _blockLengths;
    private readonly AlignedArray _gradients;
    private readonly AlignedArray _canonicalWeights;
    private readonly int[] _weightOffsets;
    private readonly AlignedArray _gradientStrips;
    private readonly int[] _stripOffsets;
    private readonly int[] _stripFloatsPerRow;
    private readonly int _capacity;
    private readonly int _inputDropoutOffset;
    private readonly uint[] _dropoutKey;
    private int _firstRow;

    /// <summary>Allocates buffers for batches of up to <paramref name="maxRows"/> samples of <paramref name="shape"/>, with no room for dropout.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRows"/> is below 1.</exception>
    public TrainingBuffers(NetworkShape shape, int maxRows)
        : this(shape, maxRows, null)
    {
    }

    /// <summary>Allocates buffers for batches of up to <paramref name="maxRows"/> samples of <paramref name="shape"/>, with room for the dropout of <paramref name="layout"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRows"/> is below 1.</exception>
    internal TrainingBuffers(NetworkShape shape, int maxRows, NetworkLayout? layout)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        Shape = shape;
        _capacity = maxRows;
        _dropoutKey = new uint[1];

        // Per layer: pre-activations, activations, then their gradient, each maxRows × units and each starting
        // on a boundary; behind a layer with dropout, its dropped activations and their scales too. The inputs'
        // dropped values and scales come last.
        _layerOffsets = new int[shape.Layers.Count];
        _blockLengths = new int[shape.Layers.Count];
        long total = 0;
        for (int i = 0; i < shape.Layers.Count; i++)
        {
            _layerOffsets[i] = checked((int)total);
            _blockLengths[i] = Rounded(checked(maxRows * shape.Layers[i].Units));
            total += (layout is not null && layout.Layers[i].Dropout > 0 ? 5L : 3L) * _blockLengths[i];
        }

        _inputDropoutOffset = checked((int)total);
        InputDropoutRoom = layout is not null && layout.InputDropout > 0;
        if (InputDropoutRoom)
        {
            total += 2L * Rounded(checked(maxRows * shape.Inputs));
        }

        DropoutRoom = layout is not null && layout.HasDropout;
        _rows = new AlignedArray(checked((int)total));
        _gradients = new AlignedArray(ParameterStorage.Length(shape.ParameterCount));

        // Layer 0 passes no gradient down, so it needs no copy.
        _weightOffsets = new int[shape.Layers.Count];
        total = 0;
        for (int i = 1; i < shape.Layers.Count; i++)
        {
            _weightOffsets[i] = checked((int)total);
            total += (((long)shape.Layers[i].Inputs * shape.Layers[i].Units) + ParameterStorage.Alignment - 1) / ParameterStorage.Alignment * ParameterStorage.Alignment;
        }

        _canonicalWeights = new AlignedArray(checked((int)total));

        // dz's strips of each panel layer, which only buffers made with the layout have room for.
        _stripOffsets = new int[shape.Layers.Count];
        _stripFloatsPerRow = new int[shape.Layers.Count];
        total = 0;
        for (int i = 0; i < shape.Layers.Count && layout is not null; i++)
        {
            _stripOffsets[i] = checked((int)total);
            _stripFloatsPerRow[i] = layout.Layers[i].GradientStripFloats(1);
            total += Rounded(checked(maxRows * _stripFloatsPerRow[i]));
        }

        _gradientStrips = new AlignedArray(checked((int)total));
    }

    private TrainingBuffers(TrainingBuffers whole)
    {
        Shape = whole.Shape;
        _inputDropoutOffset = whole._inputDropoutOffset;
        _dropoutKey = whole._dropoutKey;
        InputDropoutRoom = whole.InputDropoutRoom;
        DropoutRoom = whole.DropoutRoom;
        Inference = whole.Inference;
        _capacity = whole._capacity;
        _layerOffsets = whole._layerOffsets;
        _blockLengths = whole._blockLengths;
        _rows = whole._rows;
        _gradients = whole._gradients;
        _canonicalWeights = whole._canonicalWeights;
        _weightOffsets = whole._weightOffsets;
        _gradientStrips = whole._gradientStrips;
        _stripOffsets = whole._stripOffsets;
        _stripFloatsPerRow = whole._stripFloatsPerRow;
    }

    /// <summary>The shape the buffers were made for.</summary>
    public NetworkShape Shape { get; }

    /// <summary>The largest batch the buffers hold.</summary>
    public int MaxRows => _capacity - _firstRow;

    /// <summary>The gradient of the loss for every parameter, in the kernel layout, padded to the storage length.</summary>
    public Span<float> Gradients => _gradients.Span;

    /// <summary>
    /// Whether <see cref="OutputGradient"/> holds the gradient with respect to the last layer's
    /// pre-activations (a fused loss such as Softmax with cross-entropy) rather than its activations.
    /// </summary>
    public bool OutputGradientIsPreActivation { get; set; }

    /// <summary>
    /// Where this view's row 0 lies in the memory it shares; 0 for buffers that are not a view. Threads
    /// that share one batch each pass their own rows through a view, so that the layers' rows and
    /// gradients of the whole batch end up contiguous, as the parameter gradients over all rows need.
    /// </summary>
    internal int FirstRow
    {
        get => _firstRow;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(value, _capacity);
            _firstRow = value;
        }
    }

    /// <summary>Layer <paramref name="layer"/>'s pre-activations for <paramref name="rows"/> samples.</summary>
    public Span<float> PreActivations(int layer, int rows) => Block(layer, 0, rows);

    /// <summary>Layer <paramref name="layer"/>'s activations for <paramref name="rows"/> samples.</summary>
    public Span<float> Activations(int layer, int rows) => Block(layer, 1, rows);

    /// <summary>
    /// The gradient of the loss with respect to layer <paramref name="layer"/>'s pre-activations, for
    /// <paramref name="rows"/> samples: written by the backward pass, read by the parameter gradients.
    /// </summary>
    public Span<float> LayerGradient(int layer, int rows) => Block(layer, 2, rows);

    /// <summary>The network's outputs (the last layer's activations) for <paramref name="rows"/> samples.</summary>
    public Span<float> Outputs(int rows) => Activations(Shape.Layers.Count - 1, rows);

    /// <summary>
    /// The gradient of the loss with respect to the outputs, written by the loss; the backward pass
    /// turns it in place into the last layer's <see cref="LayerGradient"/>.
    /// </summary>
    public Span<float> OutputGradient(int rows) => LayerGradient(Shape.Layers.Count - 1, rows);

    /// <summary>
    /// Layer <paramref name="layer"/>'s weights in the canonical [units, inputs] layout, as the forward pass
    /// last used them: the forward pass writes them, for the input gradient of the backward pass, which then
    /// reads whole rows of inputs, as the forward pass reads whole rows of units. Layers the network keeps
    /// unit-major (under 8 units) are in that layout already; their input gradient reads the parameters, and
    /// their room here is not written.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is 0, whose gradient goes no further down, or not a layer.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Span<float> CanonicalWeights(int layer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(layer, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, Shape.Layers.Count);
        return _canonicalWeights.Slice(_weightOffsets[layer], Shape.Layers[layer].Inputs * Shape.Layers[layer].Units);
    }

    /// <summary>Whether the buffers were made with room for a network's dropout.</summary>
    internal bool DropoutRoom { get; }

    /// <summary>
    /// Whether the buffers serve inference-mode passes (the gradients of explanations): a network's dropout is then the
    /// identity, as in prediction, rather than refused for want of room.
    /// </summary>
    internal bool Inference { get; init; }

    /// <summary>Whether the buffers hold room for dropout of the inputs.</summary>
    internal bool InputDropoutRoom { get; }

    /// <summary>The key of this step's dropout masks, shared by every view; the training session sets it before each step.</summary>
    internal uint DropoutKey
    {
        get => _dropoutKey[0];
        set => _dropoutKey[0] = value;
    }

    /// <summary>Layer <paramref name="layer"/>'s activations after its dropout, which the layer above reads; only for a layer with dropout.</summary>
    internal Span<float> DroppedActivations(int layer, int rows) => Block(layer, 3, rows);

    /// <summary>The scales layer <paramref name="layer"/>'s dropout multiplied its activations by (0 or 1 / (1 - rate)); only for a layer with dropout.</summary>
    internal Span<float> DropoutScales(int layer, int rows) => Block(layer, 4, rows);

    /// <summary>The inputs after their dropout, which the first layer reads; only with <see cref="InputDropoutRoom"/>.</summary>
    internal Span<float> DroppedInputs(int rows) => InputBlock(0, rows);

    /// <summary>The scales the inputs' dropout multiplied them by; only with <see cref="InputDropoutRoom"/>.</summary>
    internal Span<float> InputDropoutScales(int rows) => InputBlock(1, rows);

    /// <summary>A view of the same memory, whose first row can be moved (<see cref="FirstRow"/>).</summary>
    internal TrainingBuffers View() => new(this);

    /// <summary>
    /// Room for layer <paramref name="layer"/>'s strips of dz over <paramref name="rows"/> rows
    /// (<see cref="LayerLayout.GradientStripFloats"/>); empty for a layer without, or buffers made without the layout.
    /// </summary>
    internal Span<float> GradientStrips(int layer, int rows)
    {
        if ((uint)rows > (uint)_capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"The buffers hold batches of 0 to {_capacity} rows.");
        }

        return _gradientStrips.Slice(_stripOffsets[layer], rows * _stripFloatsPerRow[layer]);
    }

    /// <summary>A length rounded up to whole vectors, so that every block starts on a boundary.</summary>
    private static int Rounded(int floats) => checked(floats + ParameterStorage.Alignment - 1) / ParameterStorage.Alignment * ParameterStorage.Alignment;

    private Span<float> InputBlock(int kind, int rows)
    {
        if ((uint)rows > (uint)MaxRows)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"The buffers hold batches of 0 to {MaxRows} rows.");
        }

        int inputs = Shape.Inputs;
        return _rows.Slice(_inputDropoutOffset + (kind * Rounded(_capacity * inputs)) + (_firstRow * inputs), rows * inputs);
    }

    private Span<float> Block(int layer, int kind, int rows)
    {
        if ((uint)rows > (uint)MaxRows)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"The buffers hold batches of 0 to {MaxRows} rows.");
        }

        int units = Shape.Layers[layer].Units;
        return _rows.Slice(_layerOffsets[layer] + (kind * _blockLengths[layer]) + (_firstRow * units), rows * units);
    }
}
