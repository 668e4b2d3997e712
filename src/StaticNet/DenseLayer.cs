namespace StaticNet;

/// <summary>The shape of one fully connected layer: its width and activation.</summary>
/// <param name="Inputs">The number of values the layer reads.</param>
/// <param name="Units">The number of values the layer writes.</param>
/// <param name="Activation">The activation applied to the outputs.</param>
public readonly record struct DenseLayer(int Inputs, int Units, Activation Activation)
{
    /// <summary>The number of weights plus biases of the layer.</summary>
    public int ParameterCount => (Inputs + 1) * Units;

    /// <inheritdoc />
    public override string ToString() => $"Dense({Units}, {Activation})";
}
