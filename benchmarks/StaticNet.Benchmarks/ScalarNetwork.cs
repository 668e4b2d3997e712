using StaticNet;

namespace StaticNet.Benchmarks;

/// <summary>
/// The baseline a .NET developer writes by hand: plain scalar loops over the canonical
/// [units, inputs] weights, the same parameters as the StaticNet network it mirrors.
/// </summary>
public sealed class ScalarNetwork
{
    private readonly float[][] _weights;
    private readonly float[][] _biases;
    private readonly DenseLayer[] _layers;
    private readonly float[][] _activations;

    public ScalarNetwork(INetwork network)
    {
        _layers = [.. network.Shape.Layers];
        float[] canonical = new float[network.Shape.ParameterCount];
        network.CopyToCanonicalLayout(network.Parameters, canonical);
        _weights = new float[_layers.Length][];
        _biases = new float[_layers.Length][];
        _activations = new float[_layers.Length][];
        int offset = 0;
        for (int l = 0; l < _layers.Length; l++)
        {
            DenseLayer layer = _layers[l];
            _weights[l] = canonical.AsSpan(offset, layer.Inputs * layer.Units).ToArray();
            _biases[l] = canonical.AsSpan(offset + (layer.Inputs * layer.Units), layer.Units).ToArray();
            _activations[l] = new float[layer.Units];
            offset += layer.ParameterCount;
        }
    }

    /// <summary>One sample; not thread-safe (it reuses its scratch rows).</summary>
    public void Predict(ReadOnlySpan<float> input, Span<float> output)
    {
        ReadOnlySpan<float> x = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            DenseLayer layer = _layers[l];
            float[] w = _weights[l], b = _biases[l], a = _activations[l];
            for (int o = 0; o < layer.Units; o++)
            {
                float sum = b[o];
                for (int i = 0; i < layer.Inputs; i++)
                {
                    sum += w[(o * layer.Inputs) + i] * x[i];
                }

                a[o] = layer.Activation switch
                {
                    Activation.ReLU => MathF.Max(sum, 0),
                    Activation.Sigmoid => 1 / (1 + MathF.Exp(-sum)),
                    _ => sum,
                };
            }

            if (layer.Activation == Activation.Softmax)
            {
                float max = float.NegativeInfinity, total = 0;
                foreach (float value in a)
                {
                    max = MathF.Max(max, value);
                }

                for (int o = 0; o < a.Length; o++)
                {
                    a[o] = MathF.Exp(a[o] - max);
                    total += a[o];
                }

                for (int o = 0; o < a.Length; o++)
                {
                    a[o] /= total;
                }
            }

            x = a;
        }

        x.CopyTo(output);
    }
}
