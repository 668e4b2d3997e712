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
    private readonly int _capacity;
    private int _firstRow;

    /// <summary>Allocates buffers for batches of up to <paramref name="maxRows"/> samples of <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRows"/> is below 1.</exception>
    public TrainingBuffers(NetworkShape shape, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        Shape = shape;
        _capacity = maxRows;

        // Per layer: pre-activations, activations, then their gradient, each maxRows × units and
        // each starting on a boundary.
        _layerOffsets = new int[shape.Layers.Count];
        _blockLengths = new int[shape.Layers.Count];
        long total = 0;
        for (int i = 0; i < shape.Layers.Count; i++)
        {
            _layerOffsets[i] = checked((int)total);
            int floats = checked(maxRows * shape.Layers[i].Units);
            _blockLengths[i] = checked(floats + ParameterStorage.Alignment - 1) / ParameterStorage.Alignment * ParameterStorage.Alignment;
            total += 3L * _blockLengths[i];
        }

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
    }

    private TrainingBuffers(TrainingBuffers whole)
    {
        Shape = whole.Shape;
        _capacity = whole._capacity;
        _layerOffsets = whole._layerOffsets;
        _blockLengths = whole._blockLengths;
        _rows = whole._rows;
        _gradients = whole._gradients;
        _canonicalWeights = whole._canonicalWeights;
        _weightOffsets = whole._weightOffsets;
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

    /// <summary>A view of the same memory, whose first row can be moved (<see cref="FirstRow"/>).</summary>
    internal TrainingBuffers View() => new(this);

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
