using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using StaticNet.Kernels;

namespace StaticNet;

/// <summary>
/// Saves networks as safetensors files that PyTorch reads (<c>layers.{i}.weight</c> [out, in],
/// <c>layers.{i}.bias</c> [out], float32) and loads them back after checking every rule of the
/// format before allocating anything the file sizes. The architecture and any feature scaling
/// travel in the header's <c>__metadata__</c>.
/// </summary>
public static partial class ModelFile
{
    /// <summary>The metadata key holding the architecture, in <see cref="NetworkShape.ToString"/>'s form.</summary>
    public const string ArchitectureKey = "architecture";

    /// <summary>
    /// Saves the network's parameters, and <paramref name="scaling"/> and <paramref name="optimizer"/>'s state
    /// if given, to <paramref name="path"/>. The file is replaced atomically: if anything fails, the previous
    /// file is left as it was and no partial file remains. When the path is a symbolic link, the
    /// link is kept and the file it points to is replaced. Temporary files that an interrupted
    /// save of the same file left behind are removed.
    /// </summary>
    /// <remarks>
    /// With an optimizer, the file also holds its state, so that <see cref="LoadInto(INetwork, string, Optimizer)"/>
    /// and a <see cref="FitOptions.InitialEpoch"/> resume training where it stopped: each state buffer as
    /// tensors named <c>optimizer.{buffer}.layers.{i}.weight</c> and <c>.bias</c> (PyTorch's names: Adam's
    /// <c>exp_avg</c> and <c>exp_avg_sq</c>, SGD's <c>momentum_buffer</c>), and its kind, step count, learning
    /// rate and settings in the metadata. PyTorch still reads the file; a strict <c>load_state_dict</c> needs
    /// the <c>optimizer.</c> tensors left out. <see cref="Load{TNetwork}(string)"/> ignores them.
    /// </remarks>
    /// <param name="network">The network to save.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="scaling">Feature scaling to store with the model, or null.</param>
    /// <param name="optimizer">The optimizer training the network, whose state to store with it, or null.</param>
    /// <exception cref="ArgumentException">The scaling's feature count is not the network's input count, or a metadata key is one StaticNet uses.</exception>
    /// <exception cref="InvalidOperationException">
    /// A parameter or a value of the optimizer's state is NaN or infinite (a diverged model is not saved), or the
    /// optimizer holds state for another network.
    /// </exception>
    /// <exception cref="DirectoryNotFoundException">The file's directory does not exist; the message names the first missing directory.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a directory, or writing the file or creating one beside it is not permitted.</exception>
    /// <exception cref="IOException">Another failure of the file system, such as a full disk; each of these messages starts with the path.</exception>
    /// <param name="metadata">Entries of your own to keep in the file's metadata, read back by <see cref="ReadMetadata(string)"/>; null for none.</param>
    public static void Save(this INetwork network, string path, FeatureScaling? scaling = null, Optimizer? optimizer = null, IReadOnlyDictionary<string, string>? metadata = null) =>
        SaveWithMetadata(network, path, scaling, optimizer, UserMetadata(metadata));

    /// <summary>Saves as <see cref="Save(INetwork, string, FeatureScaling, Optimizer, IReadOnlyDictionary{string, string})"/> does, with <paramref name="extra"/> entries added to the metadata.</summary>
    internal static void SaveWithMetadata(INetwork network, string path, FeatureScaling? scaling, Optimizer? optimizer, IReadOnlyDictionary<string, string>? extra)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        Action<Stream> write = Prepare(network, scaling, optimizer, extra);
        AtomicFile.Write(path, write);
    }

    /// <summary>
    /// Checks what is to be saved and lays it out, then returns the writer of the file's bytes, so that
    /// nothing is written when a parameter is not finite.
    /// </summary>
    private static Action<Stream> Prepare(INetwork network, FeatureScaling? scaling, Optimizer? optimizer, IReadOnlyDictionary<string, string>? extra)
    {
        NetworkShape shape = network.Shape;
        if (scaling is not null && scaling.FeatureCount != shape.Inputs)
        {
            throw new ArgumentException($"The scaling has {scaling.FeatureCount} features but {network.GetType().Name} takes {shape.Inputs} inputs.", nameof(scaling));
        }

        var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal) { [ArchitectureKey] = shape.ToString() };
        foreach ((string key, string value) in extra ?? new Dictionary<string, string>())
        {
            metadata[key] = value;
        }

        if (scaling is not null)
        {
            ScalingMetadata.Write(scaling, metadata);
        }

        int count = shape.ParameterCount;
        List<ModelTensor> tensors = ModelTensor.Of(shape);
        float[] canonical = new float[(1 + (optimizer?.StateBuffers ?? 0)) * count];
        network.CopyParametersTo(canonical);
        if (optimizer is not null)
        {
            IGeneratedNetwork kernels = GeneratedNetworks.Require(network, nameof(network));
            optimizer.Bind(network);
            optimizer.CopyStateToCanonical(kernels, canonical.AsSpan(count));
            OptimizerMetadata.Write(optimizer, metadata);
            tensors.AddRange(OptimizerMetadata.Tensors(optimizer, tensors, count));
        }

        tensors.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (ModelTensor tensor in tensors)
        {
            Span<float> values = canonical.AsSpan(tensor.Offset, tensor.Count);
            int bad = FirstNonFinite(values);
            if (bad >= 0)
            {
                throw new InvalidOperationException(
                    $"{network.GetType().Name}'s {tensor.Name} holds {values[bad]} at index {bad}; a model with non-finite parameters or optimizer state is not saved.");
            }
        }

        byte[] header = Header(tensors, metadata);
        return stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (ModelTensor tensor in tensors)
            {
                Span<float> values = canonical.AsSpan(tensor.Offset, tensor.Count);
                ToLittleEndian(values);
                stream.Write(MemoryMarshal.AsBytes(values));
                ToLittleEndian(values);
            }
        };
    }

    /// <summary>Creates a <typeparamref name="TNetwork"/> and loads its parameters from a model file.</summary>
    /// <typeparam name="TNetwork">The generated network class the file was saved from.</typeparam>
    /// <param name="path">The safetensors file.</param>
    /// <returns>The network with the file's parameters.</returns>
    /// <exception cref="ModelFileException">The file is not a valid model file or holds a different architecture; the message says what and names both architectures.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DirectoryNotFoundException">A directory of the path does not exist or is a file.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a directory, or reading it is not permitted.</exception>
    /// <exception cref="IOException">Another failure of the file system; each of these messages starts with the path.</exception>
    public static TNetwork Load<TNetwork>(string path)
        where TNetwork : INetwork, new() => Load<TNetwork>(path, out _);

    /// <summary>Creates a <typeparamref name="TNetwork"/>, loads its parameters from a model file, and returns the feature scaling saved with it.</summary>
    /// <typeparam name="TNetwork">The generated network class the file was saved from.</typeparam>
    /// <param name="path">The safetensors file.</param>
    /// <param name="scaling">The scaling saved with the model, or null when there is none.</param>
    /// <returns>The network with the file's parameters.</returns>
    /// <exception cref="ModelFileException">The file is not a valid model file or holds a different architecture.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DirectoryNotFoundException">A directory of the path does not exist or is a file.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a directory, or reading it is not permitted.</exception>
    /// <exception cref="IOException">Another failure of the file system; each of these messages starts with the path.</exception>
    public static TNetwork Load<TNetwork>(string path, out FeatureScaling? scaling)
        where TNetwork : INetwork, new()
    {
        var network = new TNetwork();
        scaling = LoadInto(network, path);
        return network;
    }

    /// <summary>
    /// Replaces an existing network's parameters with those of a model file. The file is read and
    /// checked completely first; if it is rejected, or cannot be read, the network's parameters are
    /// left exactly as they were.
    /// </summary>
    /// <remarks>
    /// The new parameters are copied into the network's own buffer, which <see cref="INetwork.Predict"/>
    /// reads in place, so the replacement is not atomic for other threads: a prediction made on
    /// another thread while the copy runs raises no error but may use some old and some new
    /// parameters. To switch a model under concurrent use, load into a second instance and swap the
    /// reference.
    /// </remarks>
    /// <param name="network">The network to load into.</param>
    /// <param name="path">The safetensors file.</param>
    /// <returns>The feature scaling saved with the model, or null when there is none.</returns>
    /// <exception cref="ModelFileException">The file is not a valid model file or holds a different architecture.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DirectoryNotFoundException">A directory of the path does not exist or is a file.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a directory, or reading it is not permitted.</exception>
    /// <exception cref="IOException">Another failure of the file system; each of these messages starts with the path.</exception>
    public static FeatureScaling? LoadInto(INetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        return LoadWithMetadata(network, path, null, out _);
    }

    /// <summary>
    /// Replaces an existing network's parameters and an optimizer's state with those a model file saved with
    /// <see cref="Save(INetwork, string, FeatureScaling, Optimizer, IReadOnlyDictionary{string, string})"/>'s optimizer, so that training resumes where it stopped (see
    /// <see cref="FitOptions.InitialEpoch"/>). The file is read and checked completely first; if it is rejected,
    /// the network and the optimizer are left as they were.
    /// </summary>
    /// <remarks>
    /// The optimizer must be of the saved kind with the saved settings (β1, β2, ε, momentum, weight decay);
    /// it takes the saved state, step count and, unless it has a <see cref="Optimizer.Schedule"/> (whose
    /// position is the step count), learning rate, and is then bound to <paramref name="network"/>. A file that is
    /// rejected leaves it as it was, bound to no network if it was bound to none.
    /// </remarks>
    /// <param name="network">The network to load into.</param>
    /// <param name="path">The safetensors file.</param>
    /// <param name="optimizer">The optimizer to restore, new or bound to <paramref name="network"/>.</param>
    /// <returns>The feature scaling saved with the model, or null when there is none.</returns>
    /// <exception cref="ModelFileException">
    /// The file is not a valid model file, holds a different architecture, holds no optimizer state, or the
    /// state of another kind of optimizer or other settings; the message says which.
    /// </exception>
    /// <exception cref="ArgumentException">The network was not generated by StaticNet.</exception>
    /// <exception cref="InvalidOperationException">The optimizer holds state for another network.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DirectoryNotFoundException">A directory of the path does not exist or is a file.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a directory, or reading it is not permitted.</exception>
    /// <exception cref="IOException">Another failure of the file system; each of these messages starts with the path.</exception>
    public static FeatureScaling? LoadInto(INetwork network, string path, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        return LoadWithMetadata(network, path, optimizer, out _);
    }

    /// <summary>Loads as the public overloads do, and hands back the file's whole metadata.</summary>
    internal static FeatureScaling? LoadWithMetadata(INetwork network, string path, Optimizer? optimizer, out IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return LoadFrom(network, file, path, optimizer, out metadata);
        }
        catch (Exception e) when (FileErrors.IsFileSystem(e))
        {
            throw FileErrors.Named(path, e, writing: false);
        }
    }

    /// <summary>Reads and checks a whole model file from a seekable stream, then replaces the network's parameters and the optimizer's state.</summary>
    private static FeatureScaling? LoadFrom(INetwork network, Stream file, string source, Optimizer? optimizer, out IReadOnlyDictionary<string, string> metadata)
    {
        IGeneratedNetwork? kernels = null;
        if (optimizer is not null)
        {
            kernels = GeneratedNetworks.Require(network, nameof(network));
            optimizer.CheckBindable(network);
        }

        float[] canonical = ReadParameters(file, source, network, optimizer, out FeatureScaling? scaling, out (long Steps, float LearningRate) saved, out metadata);
        int count = network.Shape.ParameterCount;
        network.CopyParametersFrom(canonical.AsSpan(0, count));
        if (optimizer is not null)
        {
            // Bound only now, so a rejected file leaves a fresh optimizer free for another network.
            optimizer.Bind(network);
            optimizer.RestoreFromCanonical(kernels!, canonical.AsSpan(count), saved.Steps, saved.LearningRate);
        }
        return scaling;
    }

    /// <summary>
    /// Reads and checks the whole file into a buffer in the canonical layout, the parameters then, with an
    /// optimizer, each of its state buffers, leaving the network untouched.
    /// </summary>
    private static float[] ReadParameters(
        Stream file, string path, INetwork network, Optimizer? optimizer, out FeatureScaling? scaling, out (long Steps, float LearningRate) saved,
        out IReadOnlyDictionary<string, string> metadata)
    {
        SafetensorsHeader header = SafetensorsHeader.Read(file, path);
        metadata = header.Metadata;
        NetworkShape shape = network.Shape;
        string name = network.GetType().Name;
        if (header.Metadata.TryGetValue(ArchitectureKey, out string? architecture) && architecture != shape.ToString())
        {
            throw SafetensorsHeader.Fail(path, $"The file holds {Quoting.Shorten(architecture)} but {name} is {shape}.");
        }

        List<ModelTensor> expected = ModelTensor.Of(shape);
        saved = default;
        if (optimizer is not null)
        {
            saved = OptimizerMetadata.Read(header.Metadata, optimizer, path);
            expected.AddRange(OptimizerMetadata.Tensors(optimizer, expected, shape.ParameterCount));
        }

        TensorEntry[] entries = Match(header, expected, path, $"{name} ({shape})", ignoreOptimizerState: optimizer is null);
        scaling = ScalingMetadata.Read(header.Metadata, shape.Inputs, path);

        float[] canonical = new float[(1 + (optimizer?.StateBuffers ?? 0)) * shape.ParameterCount];
        for (int i = 0; i < expected.Count; i++)
        {
            Span<float> values = canonical.AsSpan(expected[i].Offset, expected[i].Count);
            file.Position = header.DataStart + entries[i].Begin;
            TensorValues.Read(file, entries[i].DType, values);
            int bad = FirstNonFinite(values);
            if (bad >= 0)
            {
                string what = float.IsInfinity(values[bad]) && entries[i].DType == "F64"
                    ? "a value beyond float32's range"
                    : values[bad].ToString(System.Globalization.CultureInfo.InvariantCulture);
                throw SafetensorsHeader.Fail(path, $"Tensor '{entries[i].Name}' holds {what} at index {bad}; parameters and optimizer state must be finite.");
            }
        }

        return canonical;
    }

    /// <summary>
    /// Finds each expected tensor in the header with its exact shape, and rejects extra tensors, but for
    /// optimizer state when <paramref name="ignoreOptimizerState"/> is set.
    /// </summary>
    private static TensorEntry[] Match(SafetensorsHeader header, List<ModelTensor> expected, string path, string network, bool ignoreOptimizerState)
    {
        var byName = new Dictionary<string, TensorEntry>(StringComparer.Ordinal);
        foreach (TensorEntry entry in header.Tensors)
        {
            if (!(ignoreOptimizerState && OptimizerMetadata.IsStateTensor(entry.Name)))
            {
                byName[entry.Name] = entry;
            }
        }

        byName = SequentialNames.ToLayers(byName);

        var entries = new TensorEntry[expected.Count];
        for (int i = 0; i < expected.Count; i++)
        {
            ModelTensor tensor = expected[i];
            if (!byName.Remove(tensor.Name, out TensorEntry? entry) || !entry.Shape.AsSpan().SequenceEqual(tensor.Shape))
            {
                throw SafetensorsHeader.Fail(path,
                    $"{network} needs {tensor.Name} [{string.Join(", ", tensor.Shape)}] but the file holds {header.Describe()}.");
            }

            entries[i] = entry;
        }

        if (byName.Count > 0)
        {
            throw SafetensorsHeader.Fail(path,
                $"The file holds tensor {Quoting.Quote(byName.Keys.First())}, which {network} does not have; it holds {header.Describe()}.");
        }

        return entries;
    }

    /// <summary>Writes the header as PyTorch's safetensors writer does: compact JSON, metadata first, tensors in data order, padded with spaces to a multiple of 8 bytes.</summary>
    private static byte[] Header(List<ModelTensor> tensors, SortedDictionary<string, string> metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("__metadata__");
            foreach ((string key, string value) in metadata)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            long offset = 0;
            foreach (ModelTensor tensor in tensors)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", SafetensorsHeader.DType);
                json.WriteStartArray("shape");
                foreach (long size in tensor.Shape)
                {
                    json.WriteNumberValue(size);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += tensor.Count * sizeof(float);
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        byte[] header = new byte[(buffer.WrittenCount + 7) / 8 * 8];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Safetensors is little-endian; on a big-endian machine the values are byte-swapped in place (twice is the identity).</summary>
    private static void ToLittleEndian(Span<float> values)
    {
        if (!BitConverter.IsLittleEndian)
        {
            Span<int> words = MemoryMarshal.Cast<float, int>(values);
            BinaryPrimitives.ReverseEndianness(words, words);
        }
    }
}
