using System.Numerics.Tensors;
using StaticNet;

namespace StaticNet.Benchmarks;

/// <summary>
/// The vectorised baseline from the BCL: one <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
/// per neuron over the canonical weights, then TensorPrimitives' activation functions.
/// </summary>
public sealed class TensorPrimitivesNetwork(CanonicalLayer[] layers) : LayerByLayerNetwork(layers)
{
    /// <inheritdoc/>
    protected override void Layer(CanonicalLayer layer, ReadOnlySpan<float> input, Span<float> output)
    {
        (DenseLayer shape, float[] w, float[] b) = layer;
        for (int o = 0; o < shape.Units; o++)
        {
            output[o] = TensorPrimitives.Dot(w.AsSpan(o * shape.Inputs, shape.Inputs), input);
        }

        TensorPrimitives.Add(output, b, output);
        switch (shape.Activation)
        {
            case Activation.ReLU:
                TensorPrimitives.Max(output, 0f, output);
                break;
            case Activation.Sigmoid:
                TensorPrimitives.Sigmoid(output, output);
                break;
            case Activation.Softmax:
                TensorPrimitives.SoftMax(output, output);
                break;
        }
    }
}
