namespace StaticNet;

/// <summary>The shape of one fully connected layer: its width, activation and whether it has biases.</summary>
/// <param name="Inputs">The number of values the layer reads.</param>
/// <param name="Units">The number of values the layer writes.</param>
/// <param name="Activation">The activation applied to the outputs.</param>
/// <param name="UseBias">Whether the layer adds a bias to each unit, as PyTorch's <c>nn.Linear(bias=…)</c> and Keras' <c>use_bias</c>.</param>
public readonly record struct DenseLayer(int Inputs, int Units, Activation Activation, bool UseBias = true)
{
    /// <summary>The number of weights plus biases of the layer.</summary>
    public int ParameterCount => (Inputs * Units) + (UseBias ? Units : 0);

    /// <inheritdoc />
    public override string ToString() => UseBias ? $"Dense({Units}, {Activation})" : $"Dense({Units}, {Activation}, no bias)";
}
