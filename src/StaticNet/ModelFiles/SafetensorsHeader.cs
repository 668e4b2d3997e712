using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace StaticNet;

/// <summary>One tensor's entry in a safetensors header; offsets are relative to the data after the header.</summary>
internal sealed record TensorEntry(string Name, string DType, long[] Shape, long Begin, long End);

/// <summary>
/// Reads and checks a safetensors header by the reference implementation's rules before anything
/// sized by the file is allocated: the length is within the file and under a cap, the JSON is an
/// object without duplicate names, every tensor is F32, F16, BF16 or F64 with a shape that matches its byte range,
/// and the ranges tile the data section exactly, without gaps or overlaps.
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>The largest header accepted, as in the reference reader.</summary>
    public const long MaxLength = 100_000_000;

    public const string DType = "F32";

    /// <summary>The bytes per value of each dtype StaticNet reads: F32 as is, and F16, BF16 and F64 converted to F32.</summary>
    internal static int ElementSize(string dtype) => dtype switch
    {
        "F32" => 4,
        "F16" or "BF16" => 2,
        "F64" => 8,
        _ => 0,
    };

    private const int MaxDimensions = 8;

    private SafetensorsHeader(long length, List<TensorEntry> tensors, Dictionary<string, string> metadata)
    {
        Length = length;
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The header's length in bytes, without the 8-byte length prefix.</summary>
    public long Length { get; }

    /// <summary>Where the data section starts in the file.</summary>
    public long DataStart => 8 + Length;

    public IReadOnlyList<TensorEntry> Tensors { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Reads the header of a safetensors file open at its start.</summary>
    /// <exception cref="ModelFileException">The header breaks a rule; the message says which.</exception>
    public static SafetensorsHeader Read(Stream file, string path)
    {
        long fileLength = file.Length;
        if (fileLength < 8)
        {
            throw Fail(path, $"The file is {fileLength} bytes long; a safetensors file starts with an 8-byte header length.");
        }

        Span<byte> prefix = stackalloc byte[8];
        file.ReadExactly(prefix);
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (length > MaxLength)
        {
            throw Fail(path, $"The header length is {length} bytes, over the limit of {MaxLength}.");
        }

        if (length > (ulong)(fileLength - 8))
        {
            throw Fail(path, $"The header length is {length} bytes but only {fileLength - 8} bytes follow it: the file is truncated or not safetensors.");
        }

        if (length < 2)
        {
            throw Fail(path, $"The header length is {length} bytes, too short for a JSON object.");
        }

        byte[] json = new byte[length];
        file.ReadExactly(json);
        if (json[0] != (byte)'{')
        {
            throw Fail(path, "The header does not start with '{': it is not a safetensors header.");
        }

        var tensors = new List<TensorEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            Parse(json, path, tensors, metadata);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new ModelFileException(path, $"The header is not valid JSON: {e.Message}", e);
        }

        CheckRanges(path, tensors, fileLength - 8 - (long)length);
        return new SafetensorsHeader((long)length, tensors, metadata);
    }

    /// <summary>Lists the tensors as <c>name [shape]</c>, for messages about a file that does not fit a network.</summary>
    public string Describe() =>
        Tensors.Count == 0 ? "no tensors" : Quoting.List(Tensors, t => $"{Quoting.Shorten(t.Name)} [{string.Join(", ", t.Shape)}]");

    internal static ModelFileException Fail(string path, string problem) => new(path, problem, null);

    private static void Parse(byte[] json, string path, List<TensorEntry> tensors, Dictionary<string, string> metadata)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
        Next(ref reader, path);
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (Next(ref reader, path) != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            if (!names.Add(name))
            {
                throw Fail(path, $"The header names {Quoting.Quote(name)} twice.");
            }

            Next(ref reader, path);
            if (name == "__metadata__")
            {
                ReadMetadata(ref reader, path, metadata);
            }
            else
            {
                tensors.Add(ReadTensor(ref reader, path, name));
            }
        }

        if (reader.Read())
        {
            throw Fail(path, "The header has content after its JSON object.");
        }
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader, string path) =>
        reader.Read() ? reader.TokenType : throw Fail(path, "The header's JSON ends early.");

    private static void Expect(ref Utf8JsonReader reader, string path, JsonTokenType type, string what)
    {
        if (reader.TokenType != type)
        {
            throw Fail(path, $"{what} must be {type switch { JsonTokenType.String => "a string", JsonTokenType.StartArray => "an array", _ => "an object" }}, not {reader.TokenType}.");
        }
    }

    private static void ReadMetadata(ref Utf8JsonReader reader, string path, Dictionary<string, string> metadata)
    {
        Expect(ref reader, path, JsonTokenType.StartObject, "__metadata__");
        while (Next(ref reader, path) != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            Next(ref reader, path);
            Expect(ref reader, path, JsonTokenType.String, $"Metadata value {Quoting.Quote(key)}");
            if (!metadata.TryAdd(key, reader.GetString()!))
            {
                throw Fail(path, $"The metadata names {Quoting.Quote(key)} twice.");
            }
        }
    }

    private static TensorEntry ReadTensor(ref Utf8JsonReader reader, string path, string name)
    {
        Expect(ref reader, path, JsonTokenType.StartObject, $"Tensor {Quoting.Quote(name)}");
        string? dtype = null;
        long[]? shape = null;
        long[]? offsets = null;
        while (Next(ref reader, path) != JsonTokenType.EndObject)
        {
            string field = reader.GetString()!;
            Next(ref reader, path);
            bool repeated = field switch
            {
                "dtype" => dtype is not null,
                "shape" => shape is not null,
                "data_offsets" => offsets is not null,
                _ => throw Fail(path, $"Tensor {Quoting.Quote(name)} has an unknown field {Quoting.Quote(field)}; only dtype, shape and data_offsets are allowed."),
            };
            if (repeated)
            {
                throw Fail(path, $"Tensor {Quoting.Quote(name)} gives '{field}' twice.");
            }

            switch (field)
            {
                case "dtype":
                    Expect(ref reader, path, JsonTokenType.String, $"The dtype of {Quoting.Quote(name)}");
                    dtype = reader.GetString()!;
                    break;
                case "shape":
                    shape = ReadSizes(ref reader, path, $"The shape of {Quoting.Quote(name)}", MaxDimensions);
                    break;
                default:
                    offsets = ReadSizes(ref reader, path, $"The data_offsets of {Quoting.Quote(name)}", 2);
                    break;
            }
        }

        if (dtype is null || shape is null || offsets is null)
        {
            throw Fail(path, $"Tensor {Quoting.Quote(name)} lacks {(dtype is null ? "dtype" : shape is null ? "shape" : "data_offsets")}.");
        }

        if (offsets.Length != 2)
        {
            throw Fail(path, $"The data_offsets of {Quoting.Quote(name)} must be two numbers, [begin, end].");
        }

        return new TensorEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadSizes(ref Utf8JsonReader reader, string path, string what, int maxCount)
    {
        Expect(ref reader, path, JsonTokenType.StartArray, what);
        var sizes = new List<long>();
        while (Next(ref reader, path) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long size) || size < 0)
            {
                throw Fail(path, $"{what} must hold non-negative integers.");
            }

            if (sizes.Count == maxCount)
            {
                throw Fail(path, $"{what} has more than {maxCount} numbers.");
            }

            sizes.Add(size);
        }

        return sizes.ToArray();
    }

    private static void CheckRanges(string path, List<TensorEntry> tensors, long dataLength)
    {
        foreach (TensorEntry tensor in tensors)
        {
            int size = ElementSize(tensor.DType);
            if (size == 0)
            {
                throw Fail(path, $"Tensor {Quoting.Quote(tensor.Name)} has dtype {Quoting.Shorten(tensor.DType)}; StaticNet reads F32, and F16, BF16 and F64 converted to F32.");
            }

            if (tensor.Begin > tensor.End || tensor.End > dataLength)
            {
                throw Fail(path, $"Tensor {Quoting.Quote(tensor.Name)} has data_offsets [{tensor.Begin}, {tensor.End}], outside the data section of {dataLength} bytes.");
            }

            long elements = 1;
            foreach (long extent in tensor.Shape)
            {
                elements = extent == 0 || elements <= dataLength / extent ? elements * extent : dataLength + 1;
            }

            if (elements * size != tensor.End - tensor.Begin)
            {
                throw Fail(path, $"Tensor {Quoting.Quote(tensor.Name)} spans {tensor.End - tensor.Begin} bytes but its shape [{string.Join(", ", tensor.Shape)}] of {tensor.DType} needs {elements * size}.");
            }
        }

        TensorEntry[] byStart = [.. tensors];
        Array.Sort(byStart, (a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        foreach (TensorEntry tensor in byStart)
        {
            if (tensor.Begin != expected)
            {
                throw Fail(path, tensor.Begin < expected
                    ? $"Tensor {Quoting.Quote(tensor.Name)} at bytes [{tensor.Begin}, {tensor.End}] overlaps the tensor before it, which ends at {expected}."
                    : $"Tensor {Quoting.Quote(tensor.Name)} starts at byte {tensor.Begin}, leaving a gap after byte {expected}; tensors must be contiguous.");
            }

            expected = tensor.End;
        }

        if (expected != dataLength)
        {
            throw Fail(path, $"The tensors cover {expected} bytes but the data section holds {dataLength}: the file has trailing bytes.");
        }
    }
}
