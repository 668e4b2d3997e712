using StaticNet;

namespace StaticNet.Tests;

internal static class TestParameters
{
    /// <summary>
    /// Sets every weight and bias to U(-1/√inputs, 1/√inputs), PyTorch's default for Linear, so
    /// biases are not zero and every term of the gradient is exercised.
    /// </summary>
    public static void Randomize(INetwork network, Random random)
    {
        float[] canonical = new float[network.Shape.ParameterCount];
        int offset = 0;
        foreach (DenseLayer layer in network.Shape.Layers)
        {
            float bound = 1f / MathF.Sqrt(layer.Inputs);
            float[] values = RandomData.Uniform(random, layer.ParameterCount, bound);
            values.CopyTo(canonical, offset);
            offset += layer.ParameterCount;
        }

        network.CopyParametersFrom(canonical);
    }
}
