using System.Text;
using StaticNet;

namespace StaticNet.Benchmarks;

/// <summary>
/// Writes a dense network as an ONNX model (IR version 8, opset 13): one Gemm per layer with the
/// canonical weights as initializers (transB = 1 reads them as PyTorch stores them), then the
/// activation. A hand-written protobuf encoder of the few messages needed keeps the suite one
/// <c>dotnet run</c>, with no Python or ONNX package.
/// </summary>
public static class OnnxModelWriter
{
    /// <summary>The graph's input: [batch, inputs] floats.</summary>
    public const string InputName = "input";

    /// <summary>The graph's output: [batch, outputs] floats.</summary>
    public const string OutputName = "output";

    // Field numbers and enum values from onnx.proto3.
    private const int TensorFloat = 1;
    private const int AttributeInt = 2;

    /// <summary>The serialized ModelProto.</summary>
    public static byte[] Write(IReadOnlyList<CanonicalLayer> layers)
    {
        var graph = new ProtoWriter();
        string x = InputName;
        for (int l = 0; l < layers.Count; l++)
        {
            (DenseLayer shape, float[] weight, float[] bias) = layers[l];
            string w = $"layers.{l}.weight", b = $"layers.{l}.bias";
            graph.Message(5, Tensor(w, [shape.Units, shape.Inputs], weight));
            graph.Message(5, Tensor(b, [shape.Units], bias));
            string last = l == layers.Count - 1 ? OutputName : $"a{l}";
            string? op = shape.Activation switch
            {
                Activation.Linear => null,
                Activation.ReLU => "Relu",
                Activation.Sigmoid => "Sigmoid",
                Activation.Softmax => "Softmax",
                _ => throw new NotSupportedException($"No ONNX operator written for {shape.Activation}."),
            };
            string z = op is null ? last : $"z{l}";
            graph.Message(1, Node("Gemm", [x, w, b], z, new ProtoWriter().String(1, "transB").Int(20, AttributeInt).Int(3, 1)));
            if (op is not null)
            {
                graph.Message(1, Node(op, [z], last, null));
            }

            x = last;
        }

        graph.String(2, "staticnet")
            .Message(11, ValueInfo(InputName, layers[0].Shape.Inputs))
            .Message(12, ValueInfo(OutputName, layers[^1].Shape.Units));

        return new ProtoWriter()
            .Int(1, 8)
            .String(2, "StaticNet.Benchmarks")
            .Message(7, graph)
            .Message(8, new ProtoWriter().String(1, "").Int(2, 13))
            .ToArray();
    }

    private static ProtoWriter Node(string op, string[] inputs, string output, ProtoWriter? attribute)
    {
        var node = new ProtoWriter();
        foreach (string input in inputs)
        {
            node.String(1, input);
        }

        node.String(2, output).String(4, op);
        return attribute is null ? node : node.Message(5, attribute);
    }

    private static ProtoWriter Tensor(string name, long[] dims, float[] values)
    {
        var tensor = new ProtoWriter();
        foreach (long dim in dims)
        {
            tensor.Int(1, dim);
        }

        byte[] raw = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian.");
        }

        return tensor.Int(2, TensorFloat).String(8, name).Bytes(9, raw);
    }

    // A [batch, width] float tensor whose first dimension is symbolic, so one model serves every batch size.
    private static ProtoWriter ValueInfo(string name, int width)
    {
        var shape = new ProtoWriter()
            .Message(1, new ProtoWriter().String(2, "batch"))
            .Message(1, new ProtoWriter().Int(1, width));
        var tensorType = new ProtoWriter().Int(1, TensorFloat).Message(2, shape);
        return new ProtoWriter().String(1, name).Message(2, new ProtoWriter().Message(1, tensorType));
    }

    /// <summary>Protobuf's wire format: varints and length-delimited fields, enough for ONNX.</summary>
    private sealed class ProtoWriter
    {
        private readonly MemoryStream _stream = new();

        public ProtoWriter Int(int field, long value)
        {
            Varint((ulong)field << 3);
            Varint((ulong)value);
            return this;
        }

        public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public ProtoWriter Bytes(int field, byte[] value)
        {
            Varint(((ulong)field << 3) | 2);
            Varint((ulong)value.Length);
            _stream.Write(value);
            return this;
        }

        public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

        public byte[] ToArray() => _stream.ToArray();

        private void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                _stream.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            _stream.WriteByte((byte)value);
        }
    }
}
