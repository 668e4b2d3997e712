using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace StaticNet;

/// <summary>Model files in streams, byte arrays and embedded resources, with the checks and errors of files on disk; and metadata of the user's own.</summary>
public static partial class ModelFile
{
    private const string StreamName = "<stream>";
    private const string BytesName = "<bytes>";

    /// <summary>The metadata keys StaticNet writes, and their prefixes, which entries of the user's own may not use.</summary>
    private static readonly string[] ReservedKeys = [ArchitectureKey, "scaling.", "optimizer", FeatureSpace.MetadataKey];

    /// <summary>Writes the model file to a stream, as <see cref="Save(INetwork, string, FeatureScaling, Optimizer, IReadOnlyDictionary{string, string})"/> writes a file.</summary>
    /// <remarks>Everything is checked before the first byte is written, so a refused model leaves the stream as it was.</remarks>
    /// <param name="network">The network to save.</param>
    /// <param name="destination">Where the bytes go; left open.</param>
    /// <param name="scaling">Feature scaling to store with the model, or null.</param>
    /// <param name="optimizer">The optimizer whose state to store, or null.</param>
    /// <param name="metadata">Entries of your own for the file's metadata, or null.</param>
    /// <exception cref="ArgumentException">The scaling does not fit the network, or a metadata key is one StaticNet uses.</exception>
    /// <exception cref="InvalidOperationException">A parameter or a value of the optimizer's state is NaN or infinite.</exception>
    public static void Save(this INetwork network, Stream destination, FeatureScaling? scaling = null, Optimizer? optimizer = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(destination);
        Prepare(network, scaling, optimizer, UserMetadata(metadata))(destination);
    }

    /// <summary>The model file as bytes, for a database, a cache or an embedded resource.</summary>
    /// <inheritdoc cref="Save(INetwork, Stream, FeatureScaling, Optimizer, IReadOnlyDictionary{string, string})"/>
    public static byte[] ToBytes(this INetwork network, FeatureScaling? scaling = null, Optimizer? optimizer = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var bytes = new MemoryStream();
        network.Save(bytes, scaling, optimizer, metadata);
        return bytes.ToArray();
    }

    /// <summary>Creates a <typeparamref name="TNetwork"/> with the parameters of a model file read from a stream.</summary>
    /// <typeparam name="TNetwork">The generated network class the file was saved from.</typeparam>
    /// <param name="source">The model file's bytes from where the stream stands, read to the end; left open. A stream that cannot seek, or does not stand at its start, is read into memory first.</param>
    /// <param name="name">The name errors give the source; <c>&lt;stream&gt;</c> by default.</param>
    /// <returns>The network.</returns>
    /// <exception cref="ModelFileException">The bytes are not a valid model file or hold a different architecture; the message starts with the name.</exception>
    public static TNetwork Load<TNetwork>(Stream source, string? name = null)
        where TNetwork : INetwork, new()
    {
        var network = new TNetwork();
        LoadInto(network, source, null, name);
        return network;
    }

    /// <summary>Creates a <typeparamref name="TNetwork"/> with the parameters of a model file held in memory.</summary>
    /// <typeparam name="TNetwork">The generated network class the file was saved from.</typeparam>
    /// <param name="bytes">The model file's bytes.</param>
    /// <param name="name">The name errors give the source; <c>&lt;bytes&gt;</c> by default.</param>
    /// <returns>The network.</returns>
    /// <exception cref="ModelFileException">The bytes are not a valid model file or hold a different architecture; the message starts with the name.</exception>
    public static TNetwork Load<TNetwork>(ReadOnlySpan<byte> bytes, string? name = null)
        where TNetwork : INetwork, new()
    {
        var network = new TNetwork();
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        LoadFrom(network, stream, name ?? BytesName, null, out _);
        return network;
    }

    /// <summary>Creates a <typeparamref name="TNetwork"/> with the parameters of a model file embedded in an assembly (an <c>EmbeddedResource</c> item).</summary>
    /// <typeparam name="TNetwork">The generated network class the file was saved from.</typeparam>
    /// <param name="assembly">The assembly holding the resource, such as <c>typeof(Program).Assembly</c>.</param>
    /// <param name="resourceName">The resource's manifest name, such as <c>MyApp.model.safetensors</c>.</param>
    /// <returns>The network.</returns>
    /// <exception cref="ModelFileException">The assembly has no such resource (the message lists those it has), or it is not a valid model file.</exception>
    public static TNetwork LoadResource<TNetwork>(Assembly assembly, string resourceName)
        where TNetwork : INetwork, new()
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentException.ThrowIfNullOrEmpty(resourceName);
        string source = $"resource {Quoting.Quote(resourceName)}";
        using Stream stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new ModelFileException(source, $"{assembly.GetName().Name} has no such resource; it has {Quoting.List(assembly.GetManifestResourceNames(), n => Quoting.Shorten(n))}.", null);
        return Load<TNetwork>(stream, source);
    }

    /// <summary>Replaces a network's parameters, and an optimizer's state, with those of a model file read from a stream; nothing changes when it is refused.</summary>
    /// <param name="network">The network to load into.</param>
    /// <param name="source">The model file's bytes; left open. A stream that cannot seek is read into memory first.</param>
    /// <param name="optimizer">The optimizer to restore as <see cref="LoadInto(INetwork, string, Optimizer)"/> does, or null.</param>
    /// <param name="name">The name errors give the source; <c>&lt;stream&gt;</c> by default.</param>
    /// <returns>The feature scaling saved with the model, or null.</returns>
    /// <exception cref="ModelFileException">The bytes are not a valid model file, hold a different architecture, or lack the optimizer's state.</exception>
    public static FeatureScaling? LoadInto(INetwork network, Stream source, Optimizer? optimizer = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(source);
        using Stream seekable = Seekable(source);
        return LoadFrom(network, seekable, name ?? StreamName, optimizer, out _);
    }

    /// <summary>Loads as <see cref="LoadInto(INetwork, Stream, Optimizer, string)"/> does, and hands back the file's whole metadata.</summary>
    internal static FeatureScaling? LoadWithMetadata(INetwork network, Stream source, string? name, out IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(source);
        using Stream seekable = Seekable(source);
        return LoadFrom(network, seekable, name ?? StreamName, null, out metadata);
    }

    /// <summary>Writes as <see cref="Save(INetwork, Stream, FeatureScaling, Optimizer, IReadOnlyDictionary{string, string})"/> does, with <paramref name="extra"/> entries StaticNet adds itself.</summary>
    internal static void SaveWithMetadata(INetwork network, Stream destination, Optimizer? optimizer, IReadOnlyDictionary<string, string> extra)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Prepare(network, null, optimizer, extra)(destination);
    }

    /// <summary>The string metadata of a model file: StaticNet's own entries (<c>architecture</c>, …) and those saved with <c>Save</c>'s <c>metadata</c>.</summary>
    /// <param name="path">The safetensors file; any valid one, from StaticNet or not.</param>
    /// <returns>The entries.</returns>
    /// <exception cref="ModelFileException">The file's header is not valid safetensors.</exception>
    /// <exception cref="IOException">The file system refuses the file; the message starts with the path.</exception>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return SafetensorsHeader.Read(file, path).Metadata;
        }
        catch (Exception e) when (FileErrors.IsFileSystem(e))
        {
            throw FileErrors.Named(path, e, writing: false);
        }
    }

    /// <summary>The string metadata of a model file read from a stream.</summary>
    /// <param name="source">The model file's bytes; left open.</param>
    /// <param name="name">The name errors give the source; <c>&lt;stream&gt;</c> by default.</param>
    /// <inheritdoc cref="ReadMetadata(string)"/>
    public static IReadOnlyDictionary<string, string> ReadMetadata(Stream source, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        using Stream seekable = Seekable(source);
        return SafetensorsHeader.Read(seekable, name ?? StreamName).Metadata;
    }

    /// <summary>Checks the user's metadata keys against StaticNet's.</summary>
    private static IReadOnlyDictionary<string, string>? UserMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        foreach (string key in metadata?.Keys ?? [])
        {
            // "optimizer" is both a key and, with its dot, the prefix of the optimizer's entries.
            if (string.IsNullOrEmpty(key) || ReservedKeys.Any(reserved => key.StartsWith(reserved, StringComparison.Ordinal) && (key.Length == reserved.Length || reserved.EndsWith('.') || key[reserved.Length] == '.')))
            {
                throw new ArgumentException(
                    $"The metadata key {Quoting.Quote(key)} is empty or one StaticNet writes ({string.Join(", ", ReservedKeys)}); choose another, such as 'app.{key}'.", nameof(metadata));
            }
        }

        return metadata;
    }

    /// <summary>
    /// The stream itself when it can seek and stands at its start, as the reader's offsets need; else its bytes
    /// from where it stands, in memory. The caller disposes what it returns, which leaves the original open.
    /// </summary>
    private static Stream Seekable(Stream source)
    {
        if (source.CanSeek && source.Position == 0)
        {
            return new NonClosingStream(source);
        }

        var copy = new MemoryStream();
        source.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }

    /// <summary>A view of a caller's seekable stream whose disposal leaves it open.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
