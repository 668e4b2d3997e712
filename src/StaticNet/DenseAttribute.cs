using System;

namespace StaticNet;

/// <summary>
/// Declares a fully connected layer of a <see cref="NetworkAttribute">network</see>. Layers are
/// applied in the order their attributes appear in source.
/// </summary>
/// <param name="units">The number of outputs of the layer.</param>
/// <param name="activation">The activation applied to the layer's outputs.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute(int units, Activation activation = Activation.Linear) : Attribute
{
    /// <summary>The number of outputs of the layer.</summary>
    public int Units { get; } = units;

    /// <summary>The activation applied to the layer's outputs.</summary>
    public Activation Activation { get; } = activation;
}
