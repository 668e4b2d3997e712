namespace StaticNet.Generator.Model;

/// <summary>The trained parameters a declaration's <c>Weights</c> file compiles into the network.</summary>
/// <param name="Source">The file's path as the declaration names it.</param>
/// <param name="Base64">The parameters in PyTorch's layout, as little-endian float32 bytes in base64.</param>
/// <param name="Metadata">The file's string metadata, sorted by key.</param>
internal sealed record TrainedWeightsSpec(string Source, string Base64, EquatableArray<MetadataEntry> Metadata);

/// <summary>One entry of a safetensors file's <c>__metadata__</c>.</summary>
internal readonly record struct MetadataEntry(string Key, string Value);

/// <summary>A weights file as the build hands it to the compiler, read and checked on its own, before any declaration names it.</summary>
/// <param name="Path">The file's path relative to the project directory, with '/' between folders.</param>
/// <param name="Tensors">The tensors other than optimizer state, in the file's order, as float32 values.</param>
/// <param name="Metadata">The string metadata, sorted by key.</param>
/// <param name="Problem">Why the file cannot be compiled in, or <see langword="null"/> when it can.</param>
internal sealed record WeightsFile(string Path, EquatableArray<TensorData> Tensors, EquatableArray<MetadataEntry> Metadata, WeightsProblem? Problem);

/// <summary>One tensor of a weights file.</summary>
/// <param name="Name">The name in the file.</param>
/// <param name="Shape">The extents, outermost first.</param>
/// <param name="Values">The values, converted to float32.</param>
internal sealed record TensorData(string Name, EquatableArray<long> Shape, EquatableArray<float> Values);

/// <summary>What is wrong with a weights file.</summary>
internal enum WeightsProblemKind
{
    /// <summary>Not a readable safetensors file.</summary>
    Damaged,

    /// <summary>A tensor holds NaN, an infinity, or a float64 value beyond float32's range.</summary>
    NotFinite,

    /// <summary>The file is over the size limit for compiled-in weights.</summary>
    TooLarge,
}

/// <summary>A weights file's problem and the sentence that explains it.</summary>
internal sealed record WeightsProblem(WeightsProblemKind Kind, string Message);
