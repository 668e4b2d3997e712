using StaticNet;

namespace StaticNet.Benchmarks;

/// <summary>
/// One dense layer's parameters in PyTorch's layout (weight [units, inputs] row-major, then bias
/// [units]): every baseline is built from these, so all systems compute the same function.
/// </summary>
public sealed record CanonicalLayer(DenseLayer Shape, float[] Weight, float[] Bias)
{
    /// <summary>Splits a network's parameters, converted to the canonical layout, into layers.</summary>
    public static CanonicalLayer[] From(INetwork network)
    {
        float[] canonical = new float[network.Shape.ParameterCount];
        network.CopyParametersTo(canonical);
        var layers = new CanonicalLayer[network.Shape.Layers.Count];
        int offset = 0;
        for (int l = 0; l < layers.Length; l++)
        {
            DenseLayer shape = network.Shape.Layers[l];
            int weights = shape.Inputs * shape.Units;
            layers[l] = new CanonicalLayer(
                shape,
                canonical.AsSpan(offset, weights).ToArray(),
                canonical.AsSpan(offset + weights, shape.Units).ToArray());
            offset += shape.ParameterCount;
        }

        return layers;
    }
}
