using System;
using StaticNet.Kernels;

namespace StaticNet.Training;

/// <summary>
/// The scratch one training step needs, allocated once for a shape and a largest batch and then
/// reused, so that steps allocate nothing: every layer's pre-activations and activations, the
/// gradient flowing back through the hidden layers, and the parameter gradients. Every buffer
/// starts on a 64-byte boundary, as the network's parameters do, so the kernels' vector loads
/// do not straddle cache lines.
/// </summary>
public sealed class TrainingBuffers
{
    private readonly AlignedArray _activations;
    private readonly int[] _layerOffsets;
    private readonly AlignedArray _outputGradient;
    private readonly AlignedArray _hiddenGradients;
    private readonly AlignedArray _gradients;
    private readonly int _hiddenStride;

    /// <summary>Allocates buffers for batches of up to <paramref name="maxRows"/> samples of <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRows"/> is below 1.</exception>
    public TrainingBuffers(NetworkShape shape, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        Shape = shape;
        MaxRows = maxRows;

        // Per layer: pre-activations then activations, each maxRows × units.
        _layerOffsets = new int[shape.Layers.Count];
        long total = 0;
        for (int i = 0; i < shape.Layers.Count; i++)
        {
            _layerOffsets[i] = checked((int)total);
            total += 2L * maxRows * shape.Layers[i].Units;
        }

        _activations = new AlignedArray(checked((int)total));
        _outputGradient = new AlignedArray(checked(maxRows * shape.Outputs));

        // Back-propagation through hidden layer i writes buffer i % 2 while reading the other.
        int widestHidden = 0;
        for (int i = 0; i < shape.Layers.Count - 1; i++)
        {
            widestHidden = Math.Max(widestHidden, shape.Layers[i].Units);
        }

        _hiddenStride = checked(maxRows * widestHidden);
        _hiddenGradients = new AlignedArray(checked(2 * _hiddenStride));
        _gradients = new AlignedArray(ParameterStorage.Length(shape.ParameterCount));
    }

    /// <summary>The shape the buffers were made for.</summary>
    public NetworkShape Shape { get; }

    /// <summary>The largest batch the buffers hold.</summary>
    public int MaxRows { get; }

    /// <summary>The gradient of the loss for every parameter, in the kernel layout, padded to the storage length.</summary>
    public Span<float> Gradients => _gradients.Span;

    /// <summary>
    /// Whether <see cref="OutputGradient"/> holds the gradient with respect to the last layer's
    /// pre-activations (a fused loss such as Softmax with cross-entropy) rather than its activations.
    /// </summary>
    public bool OutputGradientIsPreActivation { get; set; }

    /// <summary>Layer <paramref name="layer"/>'s pre-activations for <paramref name="rows"/> samples.</summary>
    public Span<float> PreActivations(int layer, int rows) =>
        _activations.Slice(_layerOffsets[layer], CheckedRows(rows) * Shape.Layers[layer].Units);

    /// <summary>Layer <paramref name="layer"/>'s activations for <paramref name="rows"/> samples.</summary>
    public Span<float> Activations(int layer, int rows) =>
        _activations.Slice(_layerOffsets[layer] + MaxRows * Shape.Layers[layer].Units, CheckedRows(rows) * Shape.Layers[layer].Units);

    /// <summary>The network's outputs (the last layer's activations) for <paramref name="rows"/> samples.</summary>
    public Span<float> Outputs(int rows) => Activations(Shape.Layers.Count - 1, rows);

    /// <summary>The gradient of the loss with respect to the outputs, written by the loss and read by the backward pass.</summary>
    public Span<float> OutputGradient(int rows) => _outputGradient.Slice(0, CheckedRows(rows) * Shape.Outputs);

    /// <summary>Scratch for the gradient with respect to hidden layer <paramref name="layer"/>'s outputs.</summary>
    public Span<float> HiddenGradient(int layer, int rows) =>
        _hiddenGradients.Slice((layer & 1) * _hiddenStride, CheckedRows(rows) * Shape.Layers[layer].Units);

    private int CheckedRows(int rows)
    {
        if ((uint)rows > (uint)MaxRows)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"The buffers hold batches of 0 to {MaxRows} rows.");
        }

        return rows;
    }
}
