using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace StaticNet;

/// <summary>
/// Writes a network as an ONNX model: IR version 8, the default domain at opset 13. Each layer is one Gemm
/// with the weights in PyTorch's [units, inputs] layout (<c>transB = 1</c>) and the bias, then its activation
/// as the ONNX operator of the same definition (Relu, LeakyRelu with alpha 0.01, Sigmoid, Tanh, Softmax on
/// the last axis, Elu with alpha 1, Softplus) or, where opset 13 has none, as its exact decomposition: SiLU as
/// x·Sigmoid(x), GELU's tanh form as 0.5·x·(1 + Tanh(√(2/π)·(x + 0.044715·x³))). The graph's input and output
/// are float tensors named <c>input</c> [batch, inputs] and <c>output</c> [batch, outputs], the batch symbolic.
/// </summary>
internal static class OnnxExport
{
    public const string InputName = "input";
    public const string OutputName = "output";
    public const int Opset = 13;
    private const int IrVersion = 8;

    // Enum values and field numbers from onnx.proto3.
    private const int TensorFloat = 1;
    private const int AttributeFloat = 1;
    private const int AttributeInt = 2;

    private const float GeluScale = 0.7978845608028654f;
    private const float GeluCubic = 0.044715f;

    /// <summary>Writes the model of a network of <paramref name="shape"/> whose parameters are <paramref name="canonical"/>, in PyTorch's layout.</summary>
    public static void Write(NetworkShape shape, ReadOnlySpan<float> canonical, Stream destination)
    {
        var graph = new ProtoWriter();
        var constants = new HashSet<string>(StringComparer.Ordinal);
        string x = InputName;
        int offset = 0;
        for (int l = 0; l < shape.Layers.Count; l++)
        {
            DenseLayer layer = shape.Layers[l];
            string prefix = string.Create(CultureInfo.InvariantCulture, $"layers.{l}");
            string weight = prefix + ".weight", bias = prefix + ".bias";
            graph.Message(5, Tensor(weight, [layer.Units, layer.Inputs], canonical.Slice(offset, layer.Inputs * layer.Units)));
            if (layer.UseBias)
            {
                graph.Message(5, Tensor(bias, [layer.Units], canonical.Slice(offset + (layer.Inputs * layer.Units), layer.Units)));
            }

            offset += layer.ParameterCount;

            string result = l == shape.Layers.Count - 1 ? OutputName : prefix + ".output";
            string z = layer.Activation == Activation.Linear ? result : prefix + ".z";
            graph.Message(1, Node("Gemm", layer.UseBias ? [x, weight, bias] : [x, weight], z, prefix + ".gemm", IntAttribute("transB", 1)));
            Activate(graph, constants, layer.Activation, z, result, prefix);
            x = result;
        }

        graph.String(2, "staticnet")
            .Message(11, ValueInfo(InputName, shape.Inputs))
            .Message(12, ValueInfo(OutputName, shape.Outputs));

        new ProtoWriter()
            .Int(1, IrVersion)
            .String(2, "StaticNet")
            .String(3, typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "")
            .Message(7, graph)
            .Message(8, new ProtoWriter().String(1, "").Int(2, Opset))
            .CopyTo(destination);
    }

    private static void Activate(ProtoWriter graph, HashSet<string> constants, Activation activation, string z, string a, string prefix)
    {
        switch (activation)
        {
            case Activation.Linear:
                return;
            case Activation.ReLU:
                graph.Message(1, Node("Relu", [z], a, prefix + ".relu"));
                return;
            case Activation.LeakyReLU:
                graph.Message(1, Node("LeakyRelu", [z], a, prefix + ".leaky_relu", FloatAttribute("alpha", 0.01f)));
                return;
            case Activation.Sigmoid:
                graph.Message(1, Node("Sigmoid", [z], a, prefix + ".sigmoid"));
                return;
            case Activation.Tanh:
                graph.Message(1, Node("Tanh", [z], a, prefix + ".tanh"));
                return;
            case Activation.Softmax:
                graph.Message(1, Node("Softmax", [z], a, prefix + ".softmax", IntAttribute("axis", -1)));
                return;
            case Activation.ELU:
                graph.Message(1, Node("Elu", [z], a, prefix + ".elu", FloatAttribute("alpha", 1f)));
                return;
            case Activation.Softplus:
                graph.Message(1, Node("Softplus", [z], a, prefix + ".softplus"));
                return;
            case Activation.SiLU:
                graph.Message(1, Node("Sigmoid", [z], prefix + ".sigmoid", prefix + ".silu.sigmoid"));
                graph.Message(1, Node("Mul", [z, prefix + ".sigmoid"], a, prefix + ".silu"));
                return;
            case Activation.GELU:
                string half = Constant(graph, constants, "gelu.half", 0.5f);
                string one = Constant(graph, constants, "gelu.one", 1f);
                string scale = Constant(graph, constants, "gelu.scale", GeluScale);
                string cubic = Constant(graph, constants, "gelu.cubic", GeluCubic);
                string p = prefix + ".gelu.";
                graph.Message(1, Node("Mul", [z, z], p + "square", p + "square"));
                graph.Message(1, Node("Mul", [p + "square", z], p + "cube", p + "cube"));
                graph.Message(1, Node("Mul", [cubic, p + "cube"], p + "cubic", p + "cubic"));
                graph.Message(1, Node("Add", [z, p + "cubic"], p + "sum", p + "sum"));
                graph.Message(1, Node("Mul", [scale, p + "sum"], p + "inner", p + "inner"));
                graph.Message(1, Node("Tanh", [p + "inner"], p + "tanh", p + "tanh"));
                graph.Message(1, Node("Add", [one, p + "tanh"], p + "one_plus", p + "one_plus"));
                graph.Message(1, Node("Mul", [half, z], p + "half", p + "half"));
                graph.Message(1, Node("Mul", [p + "half", p + "one_plus"], a, p + "product"));
                return;
            default:
                throw new NotSupportedException($"No ONNX form is defined for {activation}.");
        }
    }

    /// <summary>A scalar initializer, declared once per model.</summary>
    private static string Constant(ProtoWriter graph, HashSet<string> constants, string name, float value)
    {
        if (constants.Add(name))
        {
            graph.Message(5, Tensor(name, [], [value]));
        }

        return name;
    }

    private static ProtoWriter Node(string op, string[] inputs, string output, string name, ProtoWriter? attribute = null)
    {
        var node = new ProtoWriter();
        foreach (string input in inputs)
        {
            node.String(1, input);
        }

        node.String(2, output).String(3, name).String(4, op);
        return attribute is null ? node : node.Message(5, attribute);
    }

    private static ProtoWriter IntAttribute(string name, long value) => new ProtoWriter().String(1, name).Int(20, AttributeInt).Int(3, value);

    private static ProtoWriter FloatAttribute(string name, float value) => new ProtoWriter().String(1, name).Int(20, AttributeFloat).Float(2, value);

    private static ProtoWriter Tensor(string name, long[] dims, ReadOnlySpan<float> values)
    {
        var tensor = new ProtoWriter();
        foreach (long dim in dims)
        {
            tensor.Int(1, dim);
        }

        // raw_data is little-endian whatever the machine.
        byte[] raw = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), values[i]);
        }

        return tensor.Int(2, TensorFloat).String(8, name).Bytes(9, raw);
    }

    /// <summary>A [batch, width] float tensor whose first dimension is symbolic, so one model serves every batch size.</summary>
    private static ProtoWriter ValueInfo(string name, int width)
    {
        var shape = new ProtoWriter()
            .Message(1, new ProtoWriter().String(2, "batch"))
            .Message(1, new ProtoWriter().Int(1, width));
        var tensorType = new ProtoWriter().Int(1, TensorFloat).Message(2, shape);
        return new ProtoWriter().String(1, name).Message(2, new ProtoWriter().Message(1, tensorType));
    }
}
