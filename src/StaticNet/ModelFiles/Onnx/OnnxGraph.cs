using System;
using System.Collections.Generic;
using System.Globalization;

namespace StaticNet;

/// <summary>A node of an ONNX graph: its operator, named inputs and outputs, and the attributes the importer reads.</summary>
internal sealed record OnnxNode(string Op, string Name, string[] Inputs, string[] Outputs, Dictionary<string, OnnxAttribute> Attributes)
{
    public long Int(string name, long fallback) => Attributes.TryGetValue(name, out OnnxAttribute a) ? a.Int : fallback;

    public float Float(string name, float fallback) => Attributes.TryGetValue(name, out OnnxAttribute a) ? a.Float : fallback;

    public string Describe() => Name.Length > 0 ? $"{Op} node '{Quoting.Shorten(Name)}'" : $"{Op} node";
}

/// <summary>An attribute's value, of whichever kind it holds.</summary>
internal readonly record struct OnnxAttribute(long Int, float Float, string? Text, OnnxTensor? Tensor);

/// <summary>A float tensor of an ONNX graph, its values converted to float32.</summary>
internal sealed record OnnxTensor(string Name, long[] Dims, float[] Values)
{
    public string Shape => "[" + string.Join(", ", Dims) + "]";
}

/// <summary>
/// The parts of an ONNX model a dense network is read from: the graph's nodes, its constant tensors
/// (initializers and Constant nodes) and the names of its inputs and outputs.
/// </summary>
internal sealed class OnnxGraph
{
    // Field numbers and enum values from onnx.proto3.
    private const int TensorFloat = 1;
    private const int TensorDouble = 11;

    private OnnxGraph()
    {
    }

    public List<OnnxNode> Nodes { get; } = [];

    public Dictionary<string, OnnxTensor> Constants { get; } = new(StringComparer.Ordinal);

    public List<string> Inputs { get; } = [];

    public List<string> Outputs { get; } = [];

    /// <exception cref="FormatException">The bytes are not an ONNX model this reader can take; the message says why.</exception>
    public static OnnxGraph Read(ReadOnlySpan<byte> model)
    {
        var reader = new ProtoReader(model);
        var graph = new OnnxGraph();
        bool hasGraph = false;
        while (reader.Next(out int field, out int wire))
        {
            if (field == 7 && wire == ProtoReader.LengthDelimited)
            {
                graph.ReadGraph(reader.ReadBytes());
                hasGraph = true;
            }
            else
            {
                reader.Skip(wire);
            }
        }

        if (!hasGraph)
        {
            throw new FormatException("it holds no graph: it is not an ONNX model");
        }

        foreach (OnnxNode node in graph.Nodes)
        {
            if (node.Op == "Constant" && node.Outputs.Length == 1 && node.Attributes.TryGetValue("value", out OnnxAttribute value) && value.Tensor is { } tensor)
            {
                graph.Constants[node.Outputs[0]] = tensor with { Name = node.Outputs[0] };
            }
        }

        return graph;
    }

    private void ReadGraph(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        while (reader.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 1 when wire == ProtoReader.LengthDelimited:
                    Nodes.Add(ReadNode(reader.ReadBytes()));
                    break;
                case 5 when wire == ProtoReader.LengthDelimited:
                    OnnxTensor? tensor = ReadTensor(reader.ReadBytes());
                    if (tensor is not null)
                    {
                        Constants[tensor.Name] = tensor;
                    }

                    break;
                case 11 or 12 when wire == ProtoReader.LengthDelimited:
                    (field == 11 ? Inputs : Outputs).Add(ReadValueInfoName(reader.ReadBytes()));
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
    }

    private static string ReadValueInfoName(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        string name = "";
        while (reader.Next(out int field, out int wire))
        {
            if (field == 1 && wire == ProtoReader.LengthDelimited)
            {
                name = reader.ReadString();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return name;
    }

    private static OnnxNode ReadNode(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal);
        string name = "", op = "", domain = "";
        while (reader.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 1 when wire == ProtoReader.LengthDelimited:
                    inputs.Add(reader.ReadString());
                    break;
                case 2 when wire == ProtoReader.LengthDelimited:
                    outputs.Add(reader.ReadString());
                    break;
                case 3 when wire == ProtoReader.LengthDelimited:
                    name = reader.ReadString();
                    break;
                case 4 when wire == ProtoReader.LengthDelimited:
                    op = reader.ReadString();
                    break;
                case 5 when wire == ProtoReader.LengthDelimited:
                    (string key, OnnxAttribute value) = ReadAttribute(reader.ReadBytes());
                    attributes[key] = value;
                    break;
                case 7 when wire == ProtoReader.LengthDelimited:
                    domain = reader.ReadString();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        // Operators of other domains (com.microsoft's fused ones, for example) are not the standard ones of that name.
        return new OnnxNode(domain is "" or "ai.onnx" ? op : $"{domain}.{op}", name, [.. inputs], [.. outputs], attributes);
    }

    private static (string Name, OnnxAttribute Value) ReadAttribute(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        string name = "";
        long integer = 0;
        float number = 0;
        string? text = null;
        OnnxTensor? tensor = null;
        while (reader.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 1 when wire == ProtoReader.LengthDelimited:
                    name = reader.ReadString();
                    break;
                case 2 when wire == ProtoReader.Fixed32:
                    number = reader.ReadFloat();
                    break;
                case 3 when wire == ProtoReader.Varint:
                    integer = reader.ReadInt64();
                    break;
                case 4 when wire == ProtoReader.LengthDelimited:
                    text = reader.ReadString();
                    break;
                case 5 when wire == ProtoReader.LengthDelimited:
                    tensor = ReadTensor(reader.ReadBytes());
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return (name, new OnnxAttribute(integer, number, text, tensor));
    }

    /// <summary>A float or double tensor, or <see langword="null"/> for one of another type, which no dense layer reads.</summary>
    private static OnnxTensor? ReadTensor(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        var dims = new List<long>();
        var floats = new List<float>();
        var doubles = new List<double>();
        ReadOnlySpan<byte> raw = default;
        long type = 0;
        string name = "";
        bool external = false;
        while (reader.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 1 when wire == ProtoReader.Varint:
                    dims.Add(reader.ReadInt64());
                    break;
                case 1 when wire == ProtoReader.LengthDelimited:
                    var packedDims = new ProtoReader(reader.ReadBytes());
                    while (packedDims.HasMore)
                    {
                        dims.Add(packedDims.ReadInt64());
                    }

                    break;
                case 2 when wire == ProtoReader.Varint:
                    type = reader.ReadInt64();
                    break;
                case 4 when wire == ProtoReader.Fixed32:
                    floats.Add(reader.ReadFloat());
                    break;
                case 4 when wire == ProtoReader.LengthDelimited:
                    var packedFloats = new ProtoReader(reader.ReadBytes());
                    while (packedFloats.HasMore)
                    {
                        floats.Add(packedFloats.ReadFloat());
                    }

                    break;
                case 8 when wire == ProtoReader.LengthDelimited:
                    name = reader.ReadString();
                    break;
                case 9 when wire == ProtoReader.LengthDelimited:
                    raw = reader.ReadBytes();
                    break;
                case 10 when wire == ProtoReader.Fixed64:
                    doubles.Add(reader.ReadDouble());
                    break;
                case 10 when wire == ProtoReader.LengthDelimited:
                    var packedDoubles = new ProtoReader(reader.ReadBytes());
                    while (packedDoubles.HasMore)
                    {
                        doubles.Add(packedDoubles.ReadDouble());
                    }

                    break;
                case 14 when wire == ProtoReader.Varint:
                    external = reader.ReadInt64() == 1;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (type is not (TensorFloat or TensorDouble))
        {
            return null;
        }

        if (external)
        {
            throw new FormatException($"tensor '{Quoting.Shorten(name)}' keeps its values in an external file, which StaticNet does not read; save the model with its data inside");
        }

        long count = 1;
        foreach (long dim in dims)
        {
            if (dim < 0 || (dim > 0 && count > int.MaxValue / dim))
            {
                throw new FormatException($"tensor '{Quoting.Shorten(name)}' has dimensions [{string.Join(", ", dims)}]");
            }

            count *= dim;
        }

        int size = type == TensorFloat ? sizeof(float) : sizeof(double);
        int stored = raw.Length > 0 ? raw.Length / size : type == TensorFloat ? floats.Count : doubles.Count;
        if ((raw.Length > 0 && raw.Length % size != 0) || stored != count)
        {
            throw new FormatException($"tensor '{Quoting.Shorten(name)}' of shape [{string.Join(", ", dims)}] holds {stored.ToString(CultureInfo.InvariantCulture)} values");
        }

        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            double value = raw.Length > 0
                ? (type == TensorFloat ? System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(raw[(4 * i)..]) : System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(raw[(8 * i)..]))
                : (type == TensorFloat ? floats[i] : doubles[i]);
            values[i] = (float)value;
            if (!float.IsFinite(values[i]))
            {
                throw new FormatException($"tensor '{Quoting.Shorten(name)}' holds {(double.IsFinite(value) ? "a value beyond float32's range" : value.ToString(CultureInfo.InvariantCulture))} at index {i}; parameters must be finite");
            }
        }

        return new OnnxTensor(name, [.. dims], values);
    }
}
