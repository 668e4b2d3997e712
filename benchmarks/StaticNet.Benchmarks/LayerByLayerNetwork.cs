namespace StaticNet.Benchmarks;

/// <summary>
/// What the hand-written baselines share: the canonical layers evaluated one after another, each
/// into its own scratch row. Subclasses say how one layer is computed.
/// </summary>
public abstract class LayerByLayerNetwork
{
    private readonly CanonicalLayer[] _layers;
    private readonly float[][] _activations;

    /// <summary>Evaluates <paramref name="layers"/>, which it shares rather than copies.</summary>
    protected LayerByLayerNetwork(CanonicalLayer[] layers)
    {
        _layers = layers;
        _activations = [.. layers.Select(layer => new float[layer.Shape.Units])];
    }

    /// <summary>One sample; not thread-safe (it reuses its scratch rows).</summary>
    public void Predict(ReadOnlySpan<float> input, Span<float> output)
    {
        ReadOnlySpan<float> x = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            Layer(_layers[l], x, _activations[l]);
            x = _activations[l];
        }

        x.CopyTo(output);
    }

    /// <summary>Writes the layer's activations of <paramref name="input"/> to <paramref name="output"/>.</summary>
    protected abstract void Layer(CanonicalLayer layer, ReadOnlySpan<float> input, Span<float> output);
}
