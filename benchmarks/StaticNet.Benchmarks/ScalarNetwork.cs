using StaticNet;

namespace StaticNet.Benchmarks;

/// <summary>
/// The baseline a .NET developer writes by hand: plain scalar loops over the canonical
/// [units, inputs] weights.
/// </summary>
public sealed class ScalarNetwork(CanonicalLayer[] layers) : LayerByLayerNetwork(layers)
{
    /// <inheritdoc/>
    protected override void Layer(CanonicalLayer layer, ReadOnlySpan<float> input, Span<float> output)
    {
        (DenseLayer shape, float[] w, float[] b) = layer;
        for (int o = 0; o < shape.Units; o++)
        {
            float sum = b[o];
            for (int i = 0; i < shape.Inputs; i++)
            {
                sum += w[(o * shape.Inputs) + i] * input[i];
            }

            output[o] = shape.Activation switch
            {
                Activation.ReLU => MathF.Max(sum, 0),
                Activation.Sigmoid => 1 / (1 + MathF.Exp(-sum)),
                _ => sum,
            };
        }

        if (shape.Activation == Activation.Softmax)
        {
            float max = float.NegativeInfinity, total = 0;
            foreach (float value in output)
            {
                max = MathF.Max(max, value);
            }

            for (int o = 0; o < output.Length; o++)
            {
                output[o] = MathF.Exp(output[o] - max);
                total += output[o];
            }

            for (int o = 0; o < output.Length; o++)
            {
                output[o] /= total;
            }
        }
    }
}
