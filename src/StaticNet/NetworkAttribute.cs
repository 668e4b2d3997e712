using System;

namespace StaticNet;

/// <summary>
/// Marks a <see langword="partial"/> class as a neural network whose code the StaticNet source
/// generator writes at compile time. Layers are declared with <see cref="DenseAttribute"/>,
/// applied in source order.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>The number of input features of one sample.</summary>
    public int Inputs { get; set; }
}
