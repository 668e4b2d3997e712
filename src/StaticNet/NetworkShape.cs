using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace StaticNet;

/// <summary>
/// The architecture of a network: its input width and its layers in order. Two networks with
/// equal shapes can exchange parameters.
/// </summary>
public sealed class NetworkShape : IEquatable<NetworkShape>
{
    private readonly DenseLayer[] _layers;

    /// <summary>Creates the shape of a stack of dense layers.</summary>
    /// <param name="inputs">The number of input features of one sample.</param>
    /// <param name="layers">The layers in the order they are applied.</param>
    /// <exception cref="ArgumentException">A size is below 1, there is no layer, or Softmax is not on the last layer.</exception>
    public NetworkShape(int inputs, params ReadOnlySpan<(int Units, Activation Activation)> layers)
        : this(inputs, Biased(layers))
    {
    }

    /// <summary>Creates the shape of a stack of dense layers, each with biases or without.</summary>
    /// <param name="inputs">The number of input features of one sample.</param>
    /// <param name="layers">The layers in the order they are applied.</param>
    /// <exception cref="ArgumentException">A size is below 1, there is no layer, or Softmax is not on the last layer.</exception>
    public NetworkShape(int inputs, params ReadOnlySpan<(int Units, Activation Activation, bool UseBias)> layers)
    {
        if (inputs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "A network needs at least one input.");
        }

        if (layers.IsEmpty)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        _layers = new DenseLayer[layers.Length];
        int width = inputs;
        for (int i = 0; i < layers.Length; i++)
        {
            (int units, Activation activation, bool useBias) = layers[i];
            if (units < 1)
            {
                throw new ArgumentException($"Layer {i} has {units} units; a layer needs at least one.", nameof(layers));
            }

            if (activation == Activation.Softmax && i != layers.Length - 1)
            {
                throw new ArgumentException($"Layer {i} uses Softmax, which is only allowed on the last layer.", nameof(layers));
            }

            _layers[i] = new DenseLayer(width, units, activation, useBias);
            ParameterCount += _layers[i].ParameterCount;
            MaxUnits = Math.Max(MaxUnits, units);
            width = units;
        }

        Inputs = inputs;
    }

    /// <summary>The number of input features of one sample.</summary>
    public int Inputs { get; }

    /// <summary>The number of outputs of one sample: the width of the last layer.</summary>
    public int Outputs => _layers[^1].Units;

    /// <summary>The layers in the order they are applied.</summary>
    public IReadOnlyList<DenseLayer> Layers => _layers;

    /// <summary>The activation of the last layer.</summary>
    public Activation OutputActivation => _layers[^1].Activation;

    /// <summary>The total number of weights and biases.</summary>
    public int ParameterCount { get; }

    /// <summary>The widest layer's number of units.</summary>
    public int MaxUnits { get; }

    /// <summary>
    /// Returns a table of the layers with their output shapes and parameter counts, laid out
    /// as Keras' <c>model.summary()</c>.
    /// </summary>
    /// <param name="modelName">The name shown in the title line.</param>
    public string Summary(string modelName)
    {
        const string Rule = "_________________________________________________________________";
        const string DoubleRule = "=================================================================";
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Model: \"{modelName}\"\n{Rule}\n");
        text.Append(CultureInfo.InvariantCulture, $" {"Layer (type)",-27} {"Output Shape",-25} Param #\n{DoubleRule}\n");
        for (int i = 0; i < _layers.Length; i++)
        {
            DenseLayer layer = _layers[i];
            string name = $"dense_{i} (Dense, {layer.Activation})";
            text.Append(CultureInfo.InvariantCulture, $" {name,-27} {$"(None, {layer.Units})",-25} {layer.ParameterCount:N0}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"{DoubleRule}\nTotal params: {ParameterCount:N0}\n");
        text.Append(CultureInfo.InvariantCulture, $"Trainable params: {ParameterCount:N0}\nNon-trainable params: 0\n{Rule}\n");
        return text.ToString();
    }

    /// <summary>Returns the shape in the compact form <c>2-5(ReLU)-1(Sigmoid)</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder().Append(Inputs);
        foreach (DenseLayer layer in _layers)
        {
            Describe(text, layer.Units, layer.Activation, layer.UseBias);
        }

        return text.ToString();
    }

    /// <summary>Appends one layer as <see cref="ToString"/> writes it: <c>-256(ReLU)</c>, or <c>-256(ReLU, no bias)</c>.</summary>
    internal static void Describe(StringBuilder text, int units, Activation activation, bool useBias) =>
        text.Append('-').Append(units).Append('(').Append(activation).Append(useBias ? ")" : ", no bias)");

    private static (int Units, Activation Activation, bool UseBias)[] Biased(ReadOnlySpan<(int Units, Activation Activation)> layers)
    {
        var biased = new (int, Activation, bool)[layers.Length];
        for (int i = 0; i < layers.Length; i++)
        {
            biased[i] = (layers[i].Units, layers[i].Activation, true);
        }

        return biased;
    }

    /// <inheritdoc />
    public bool Equals(NetworkShape? other) =>
        other is not null && Inputs == other.Inputs && _layers.AsSpan().SequenceEqual(other._layers);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as NetworkShape);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Inputs);
        foreach (DenseLayer layer in _layers)
        {
            hash.Add(layer);
        }

        return hash.ToHashCode();
    }
}
