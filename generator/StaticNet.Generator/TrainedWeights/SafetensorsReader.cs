using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using StaticNet.Generator.Model;

namespace StaticNet.Generator.TrainedWeights;

/// <summary>
/// Reads a safetensors file at compile time by the rules the runtime's loader applies: a header length
/// within the file, a JSON object of tensors and string metadata without duplicate names, F32, F16, BF16
/// or F64 tensors of at most 8 dimensions whose byte ranges tile the data section, and finite values.
/// Optimizer state (tensors named <c>optimizer.…</c>) is skipped, as loading without an optimizer skips it.
/// </summary>
/// <remarks>
/// The file may be hostile, and the compiler must not hang or run out of memory on it: the whole file is
/// already within <see cref="SizeBudget.MaxWeightsBytes"/>, the JSON is read in one pass with no recursion
/// (its depth is fixed by the format), and every size is checked against the bytes present before use.
/// </remarks>
internal static class SafetensorsReader
{
    private const int MaxDimensions = 8;
    private const string MetadataName = "__metadata__";
    private const string OptimizerPrefix = "optimizer.";

    public static WeightsFile Read(string path, byte[] file, CancellationToken cancellationToken)
    {
        try
        {
            (List<Entry> entries, List<MetadataEntry> metadata, int dataStart) = ReadHeader(file);
            var tensors = new List<TensorData>(entries.Count);
            foreach (Entry entry in entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (entry.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                float[] values = Convert(file, dataStart + (int)entry.Begin, entry.DType, (int)((entry.End - entry.Begin) / ElementSize(entry.DType)));
                int bad = Array.FindIndex(values, v => float.IsNaN(v) || float.IsInfinity(v));
                if (bad >= 0)
                {
                    string what = float.IsInfinity(values[bad]) && entry.DType == "F64"
                        ? "a value beyond float32's range"
                        : values[bad].ToString(CultureInfo.InvariantCulture);
                    return new WeightsFile(path, default, default, new WeightsProblem(
                        WeightsProblemKind.NotFinite, $"tensor '{entry.Name}' holds {what} at index {bad.ToString(CultureInfo.InvariantCulture)}"));
                }

                tensors.Add(new TensorData(entry.Name, entry.Shape.ToEquatableArray(), values.ToEquatableArray()));
            }

            metadata.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            return new WeightsFile(path, tensors.ToEquatableArray(), metadata.ToEquatableArray(), null);
        }
        catch (HeaderException e)
        {
            return new WeightsFile(path, default, default, new WeightsProblem(WeightsProblemKind.Damaged, e.Message));
        }
    }

    private static (List<Entry> Entries, List<MetadataEntry> Metadata, int DataStart) ReadHeader(byte[] file)
    {
        if (file.Length < 8)
        {
            throw new HeaderException($"it is {file.Length.ToString(CultureInfo.InvariantCulture)} bytes long, and a safetensors file starts with an 8-byte header length");
        }

        ulong length = BitConverter.ToUInt64(file, 0);
        if (!BitConverter.IsLittleEndian)
        {
            length = 0;
            for (int i = 7; i >= 0; i--)
            {
                length = (length << 8) | file[i];
            }
        }

        if (length > (ulong)(file.Length - 8))
        {
            throw new HeaderException($"its header length is {length.ToString(CultureInfo.InvariantCulture)} bytes, but only {(file.Length - 8).ToString(CultureInfo.InvariantCulture)} follow: it is truncated or not safetensors");
        }

        var json = new JsonCursor(file, 8, 8 + (int)length);
        var entries = new List<Entry>();
        var metadata = new List<MetadataEntry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        json.Expect('{', "the header is not a JSON object");
        if (!json.TryConsume('}'))
        {
            do
            {
                string name = json.ReadString();
                if (!names.Add(name))
                {
                    throw new HeaderException($"the header names '{name}' twice");
                }

                json.Expect(':', "a name in the header is not followed by ':'");
                if (name == MetadataName)
                {
                    ReadMetadata(ref json, metadata);
                }
                else
                {
                    entries.Add(ReadTensor(ref json, name));
                }
            }
            while (json.TryConsume(','));

            json.Expect('}', "the header's object is not closed");
        }

        json.ExpectEnd();
        CheckRanges(entries, file.Length - 8 - (long)length);
        return (entries, metadata, 8 + (int)length);
    }

    private static void ReadMetadata(ref JsonCursor json, List<MetadataEntry> metadata)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        json.Expect('{', "__metadata__ must be an object");
        if (json.TryConsume('}'))
        {
            return;
        }

        do
        {
            string key = json.ReadString();
            json.Expect(':', "a metadata key is not followed by ':'");
            if (!keys.Add(key))
            {
                throw new HeaderException($"the metadata names '{key}' twice");
            }

            metadata.Add(new MetadataEntry(key, json.ReadString()));
        }
        while (json.TryConsume(','));

        json.Expect('}', "__metadata__ is not closed");
    }

    private static Entry ReadTensor(ref JsonCursor json, string name)
    {
        string? dtype = null;
        long[]? shape = null;
        long[]? offsets = null;
        json.Expect('{', $"tensor '{name}' must be an object");
        if (!json.TryConsume('}'))
        {
            do
            {
                string field = json.ReadString();
                json.Expect(':', $"a field of tensor '{name}' is not followed by ':'");
                switch (field)
                {
                    case "dtype" when dtype is null:
                        dtype = json.ReadString();
                        break;
                    case "shape" when shape is null:
                        shape = json.ReadSizes($"the shape of '{name}'", MaxDimensions);
                        break;
                    case "data_offsets" when offsets is null:
                        offsets = json.ReadSizes($"the data_offsets of '{name}'", 2);
                        break;
                    case "dtype" or "shape" or "data_offsets":
                        throw new HeaderException($"tensor '{name}' gives '{field}' twice");
                    default:
                        throw new HeaderException($"tensor '{name}' has an unknown field '{field}'; only dtype, shape and data_offsets are allowed");
                }
            }
            while (json.TryConsume(','));

            json.Expect('}', $"tensor '{name}' is not closed");
        }

        if (dtype is null || shape is null || offsets is null)
        {
            throw new HeaderException($"tensor '{name}' lacks {(dtype is null ? "dtype" : shape is null ? "shape" : "data_offsets")}");
        }

        if (offsets.Length != 2)
        {
            throw new HeaderException($"the data_offsets of '{name}' must be two numbers, [begin, end]");
        }

        if (ElementSize(dtype) == 0)
        {
            throw new HeaderException($"tensor '{name}' has dtype {dtype}; StaticNet reads F32, and F16, BF16 and F64 converted to F32");
        }

        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static void CheckRanges(List<Entry> entries, long dataLength)
    {
        foreach (Entry entry in entries)
        {
            if (entry.Begin > entry.End || entry.End > dataLength)
            {
                throw new HeaderException($"tensor '{entry.Name}' has data_offsets [{entry.Begin}, {entry.End}], outside the data section of {dataLength} bytes");
            }

            long elements = 1;
            foreach (long extent in entry.Shape)
            {
                elements = extent == 0 || elements <= dataLength / extent ? elements * extent : dataLength + 1;
            }

            if (elements * ElementSize(entry.DType) != entry.End - entry.Begin)
            {
                throw new HeaderException($"tensor '{entry.Name}' spans {entry.End - entry.Begin} bytes, but its shape [{string.Join(", ", entry.Shape)}] of {entry.DType} needs {elements * ElementSize(entry.DType)}");
            }
        }

        long expected = 0;
        foreach (Entry entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin != expected)
            {
                throw new HeaderException(entry.Begin < expected
                    ? $"tensor '{entry.Name}' at bytes [{entry.Begin}, {entry.End}] overlaps the tensor before it, which ends at {expected}"
                    : $"tensor '{entry.Name}' starts at byte {entry.Begin}, leaving a gap after byte {expected}");
            }

            expected = entry.End;
        }

        if (expected != dataLength)
        {
            throw new HeaderException($"the tensors cover {expected} bytes, but the data section holds {dataLength}: the file has trailing bytes");
        }
    }

    private static int ElementSize(string dtype) => dtype switch
    {
        "F32" => 4,
        "F16" or "BF16" => 2,
        "F64" => 8,
        _ => 0,
    };

    /// <summary>Reads little-endian values into float32: F16 and BF16 exactly, F64 rounded to the nearest float32.</summary>
    private static float[] Convert(byte[] file, int start, string dtype, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = dtype switch
            {
                "F32" => Bits.ToSingle((int)ReadLittleEndian(file, start + (4 * i), 4)),
                "BF16" => Bits.ToSingle((int)ReadLittleEndian(file, start + (2 * i), 2) << 16),
                "F16" => HalfToSingle((ushort)ReadLittleEndian(file, start + (2 * i), 2)),
                _ => (float)Bits.ToDouble((long)ReadLittleEndian(file, start + (8 * i), 8)),
            };
        }

        return values;
    }

    private static ulong ReadLittleEndian(byte[] bytes, int start, int size)
    {
        ulong value = 0;
        for (int i = size - 1; i >= 0; i--)
        {
            value = (value << 8) | bytes[start + i];
        }

        return value;
    }

    /// <summary>IEEE binary16 to binary32, exactly: every half value is a float.</summary>
    private static float HalfToSingle(ushort half)
    {
        int sign = (half & 0x8000) << 16;
        int exponent = (half >> 10) & 0x1F;
        int mantissa = half & 0x3FF;
        if (exponent == 0x1F)
        {
            return Bits.ToSingle(sign | 0x7F800000 | (mantissa << 13));
        }

        if (exponent == 0)
        {
            // Zero or subnormal: mantissa × 2^-24, exact in float32.
            float magnitude = mantissa * (1f / 16777216f);
            return sign == 0 ? magnitude : -magnitude;
        }

        return Bits.ToSingle(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    private sealed record Entry(string Name, string DType, long[] Shape, long Begin, long End);

    /// <summary>The reinterpretation of bits as floating point that netstandard2.0's BitConverter lacks.</summary>
    [StructLayout(LayoutKind.Explicit)]
    private struct Bits
    {
        [FieldOffset(0)] private int _int32;
        [FieldOffset(0)] private float _single;
        [FieldOffset(0)] private long _int64;
        [FieldOffset(0)] private double _double;

        public static float ToSingle(int bits) => new Bits { _int32 = bits }._single;

        public static double ToDouble(long bits) => new Bits { _int64 = bits }._double;
    }

    /// <summary>The header breaks a rule; the message, a clause after "cannot be compiled in:", says which.</summary>
    private sealed class HeaderException(string message) : Exception(message);

    /// <summary>A forward-only reader of the JSON subset safetensors headers use: objects, strings and arrays of non-negative integers.</summary>
    private struct JsonCursor(byte[] bytes, int position, int end)
    {
        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        private int _position = position;

        public void Expect(char c, string problem)
        {
            if (!TryConsume(c))
            {
                throw new HeaderException(problem);
            }
        }

        public bool TryConsume(char c)
        {
            SkipWhitespace();
            if (_position < end && bytes[_position] == c)
            {
                _position++;
                return true;
            }

            return false;
        }

        public void ExpectEnd()
        {
            SkipWhitespace();
            if (_position != end)
            {
                throw new HeaderException("the header has content after its JSON object");
            }
        }

        public string ReadString()
        {
            Expect('"', "the header holds a value that is not a string where a string belongs");
            var text = new StringBuilder();
            int run = _position;
            while (true)
            {
                if (_position >= end)
                {
                    throw new HeaderException("a string in the header is not closed");
                }

                byte b = bytes[_position];
                if (b == '"' || b == '\\' || b < 0x20)
                {
                    text.Append(Decode(run, _position - run));
                    if (b == '"')
                    {
                        _position++;
                        return text.ToString();
                    }

                    if (b < 0x20)
                    {
                        throw new HeaderException("a string in the header holds a control character");
                    }

                    _position++;
                    text.Append(ReadEscape());
                    run = _position;
                    continue;
                }

                _position++;
            }
        }

        public long[] ReadSizes(string what, int maxCount)
        {
            Expect('[', $"{what} must be an array");
            var sizes = new List<long>();
            if (TryConsume(']'))
            {
                return sizes.ToArray();
            }

            do
            {
                if (sizes.Count == maxCount)
                {
                    throw new HeaderException($"{what} has more than {maxCount} numbers");
                }

                sizes.Add(ReadSize(what));
            }
            while (TryConsume(','));

            Expect(']', $"{what} is not closed");
            return sizes.ToArray();
        }

        private long ReadSize(string what)
        {
            SkipWhitespace();
            int start = _position;
            long value = 0;
            while (_position < end && bytes[_position] is >= (byte)'0' and <= (byte)'9')
            {
                if (value > (long.MaxValue - 9) / 10)
                {
                    throw new HeaderException($"{what} holds a number too large");
                }

                value = (value * 10) + (bytes[_position++] - '0');
            }

            bool leadingZero = _position - start > 1 && bytes[start] == '0';
            bool fraction = _position < end && bytes[_position] is (byte)'.' or (byte)'e' or (byte)'E';
            if (_position == start || leadingZero || fraction)
            {
                throw new HeaderException($"{what} must hold non-negative integers");
            }

            return value;
        }

        private string ReadEscape()
        {
            if (_position >= end)
            {
                throw new HeaderException("a string in the header ends in an escape");
            }

            byte b = bytes[_position++];
            switch (b)
            {
                case (byte)'"': return "\"";
                case (byte)'\\': return "\\";
                case (byte)'/': return "/";
                case (byte)'b': return "\b";
                case (byte)'f': return "\f";
                case (byte)'n': return "\n";
                case (byte)'r': return "\r";
                case (byte)'t': return "\t";
                case (byte)'u':
                    if (_position + 4 > end || !int.TryParse(Encoding.ASCII.GetString(bytes, _position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                    {
                        throw new HeaderException("a string in the header has a \\u escape without four hex digits");
                    }

                    _position += 4;
                    return ((char)code).ToString();
                default:
                    throw new HeaderException("a string in the header has an unknown escape");
            }
        }

        private string Decode(int start, int count)
        {
            try
            {
                return StrictUtf8.GetString(bytes, start, count);
            }
            catch (DecoderFallbackException)
            {
                throw new HeaderException("a string in the header is not valid UTF-8");
            }
        }

        private void SkipWhitespace()
        {
            while (_position < end && bytes[_position] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
            {
                _position++;
            }
        }
    }
}
