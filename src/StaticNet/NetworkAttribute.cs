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

    /// <summary>
    /// A trained model file to compile into the network: a safetensors file, named by its path relative to
    /// the project directory and listed in the project as <c>&lt;AdditionalFiles Include="model.safetensors" /&gt;</c>.
    /// The generator checks it against the declared layers at compile time, and <c>new()</c> then creates the
    /// network holding its parameters, with no file read at run time.
    /// </summary>
    /// <remarks>
    /// A file that is missing, damaged, of another architecture, holding a value that is not finite, or over
    /// 64 MiB is a compile error on this argument. See docs/embedding.md.
    /// </remarks>
    public string? Weights { get; set; }

    /// <summary>
    /// Whether the network can be trained; <see langword="true"/> by default. With <see langword="false"/> it is
    /// for inference only: no seeded initialisation is generated (no <c>new(seed)</c>, no
    /// <c>InitializeParameters</c>), <c>new()</c> starts from the <see cref="Weights"/> file or from zeros to load
    /// a model into, and training it (<c>Fit</c>, <c>TrainingSession</c>, an optimizer) throws
    /// <see cref="System.InvalidOperationException"/>.
    /// </summary>
    public bool Training { get; set; } = true;
}
