using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace StaticNet;

/// <summary>One dense layer read from an ONNX graph: its activation and parameters in PyTorch's layout.</summary>
internal sealed record OnnxLayer(int Inputs, int Units, Activation Activation, float[] Weight, float[]? Bias);

/// <summary>
/// Reads the layers of an ONNX multilayer perceptron: from the graph's input, a chain of Gemm (or MatMul, then
/// Add of the bias) nodes over constant weights, each followed by its activation. An activation is recognised
/// by its operators: Relu, LeakyRelu (alpha 0.01), Sigmoid, Tanh, Softmax, Elu (alpha 1), Softplus, Sigmoid and
/// Mul (SiLU, as PyTorch exports it), and Gelu with the tanh approximation or its decomposition into Mul, Add,
/// Pow and Tanh (GELU's tanh form). Nothing between two layers, or Identity, is Linear.
/// </summary>
internal static class OnnxImport
{
    private static readonly HashSet<string> GeluDecomposition = new(StringComparer.Ordinal) { "Mul", "Add", "Pow", "Tanh", "Div", "Sub" };

    /// <exception cref="FormatException">The graph is not such a chain, or uses an operator outside it; the message names the node.</exception>
    public static List<OnnxLayer> ReadLayers(OnnxGraph graph)
    {
        var consumers = new Dictionary<string, List<OnnxNode>>(StringComparer.Ordinal);
        foreach (OnnxNode node in graph.Nodes)
        {
            foreach (string input in node.Inputs.Where(i => i.Length > 0).Distinct())
            {
                if (!consumers.TryGetValue(input, out List<OnnxNode>? list))
                {
                    consumers[input] = list = [];
                }

                list.Add(node);
            }
        }

        string[] inputs = [.. graph.Inputs.Where(i => !graph.Constants.ContainsKey(i))];
        if (inputs.Length != 1 || graph.Outputs.Count != 1)
        {
            throw new FormatException($"its graph has {inputs.Length} inputs and {graph.Outputs.Count} outputs besides its weights; a dense network has one of each");
        }

        var layers = new List<OnnxLayer>();
        var linearNodes = new HashSet<OnnxNode>(ReferenceEqualityComparer.Instance);
        string current = inputs[0];
        while (current != graph.Outputs[0] || layers.Count == 0)
        {
            List<OnnxNode> next = Consumers(consumers, current);
            if (next.Count == 1 && !linearNodes.Add(next[0]))
            {
                throw new FormatException($"{next[0].Describe()} is reached twice: the graph has a cycle");
            }

            if (next.Count != 1 || next[0].Op is not ("Gemm" or "MatMul"))
            {
                throw new FormatException(next.Count == 0
                    ? $"tensor '{Quoting.Shorten(current)}' is used by no node and is not the graph's output"
                    : $"layer {layers.Count.ToString(CultureInfo.InvariantCulture)} should start with a Gemm or MatMul node reading '{Quoting.Shorten(current)}', but it is read by {string.Join(", ", next.Select(n => n.Describe()))}");
            }

            (int units, int width, float[] weight, float[]? bias, string z) = ReadLinear(graph, consumers, next[0], current);
            if (layers.Count > 0 && width != layers[^1].Units)
            {
                throw new FormatException($"{next[0].Describe()} takes {width} inputs, but the layer before it has {layers[^1].Units} units");
            }

            (Activation activation, string output) = ReadActivation(graph, consumers, z);
            layers.Add(new OnnxLayer(width, units, activation, weight, bias));
            current = output;
        }

        return layers;
    }

    /// <summary>
    /// The architecture the layers make, in <see cref="NetworkShape.ToString"/>'s form, for a network of <paramref name="shape"/>:
    /// a layer without a bias in the file fits one with biases (they load as zeros) as well as one without.
    /// </summary>
    public static string Describe(List<OnnxLayer> layers, NetworkShape shape)
    {
        var text = new StringBuilder().Append(layers[0].Inputs);
        for (int i = 0; i < layers.Count; i++)
        {
            bool wanted = i < shape.Layers.Count && shape.Layers[i].UseBias;
            NetworkShape.Describe(text, layers[i].Units, layers[i].Activation, layers[i].Bias is not null || wanted);
        }

        return text.ToString();
    }

    private static List<OnnxNode> Consumers(Dictionary<string, List<OnnxNode>> consumers, string tensor) =>
        consumers.TryGetValue(tensor, out List<OnnxNode>? nodes) ? nodes.Where(n => n.Op != "Identity").Concat(nodes.Where(n => n.Op == "Identity").SelectMany(n => Consumers(consumers, n.Outputs[0]))).ToList() : [];

    private static (int Units, int Inputs, float[] Weight, float[]? Bias, string Output) ReadLinear(
        OnnxGraph graph, Dictionary<string, List<OnnxNode>> consumers, OnnxNode node, string input)
    {
        if (node.Inputs.Length < 2 || node.Outputs.Length != 1)
        {
            throw new FormatException($"{node.Describe()} has {node.Inputs.Length} inputs and {node.Outputs.Length} outputs");
        }

        OnnxTensor weight = Constant(graph, node, 1);
        if (weight.Dims.Length != 2)
        {
            throw new FormatException($"{node.Describe()} multiplies by '{Quoting.Shorten(weight.Name)}' of shape {weight.Shape}, which is not a matrix");
        }

        bool transposed;
        string output = node.Outputs[0];
        OnnxTensor? bias = null;
        if (node.Op == "Gemm")
        {
            if (node.Int("transA", 0) != 0 || node.Float("alpha", 1) != 1 || node.Float("beta", 1) != 1 || node.Inputs[0] != input)
            {
                throw new FormatException($"{node.Describe()} is not x·W + b: it sets transA, alpha or beta, or takes the weights first");
            }

            transposed = node.Int("transB", 0) != 0;
            bias = node.Inputs.Length > 2 && node.Inputs[2].Length > 0 ? Constant(graph, node, 2) : null;
        }
        else
        {
            if (node.Inputs[0] != input)
            {
                throw new FormatException($"{node.Describe()} takes the weights first; a dense layer computes x·W");
            }

            transposed = false;
            List<OnnxNode> after = Consumers(consumers, output);
            if (after.Count == 1 && after[0].Op == "Add" && after[0].Inputs.Length == 2)
            {
                OnnxNode add = after[0];
                string other = add.Inputs[0] == output ? add.Inputs[1] : add.Inputs[0];
                if (graph.Constants.TryGetValue(other, out OnnxTensor? added))
                {
                    bias = added;
                    output = add.Outputs[0];
                }
            }
        }

        int units = (int)(transposed ? weight.Dims[0] : weight.Dims[1]);
        int inputs = (int)(transposed ? weight.Dims[1] : weight.Dims[0]);
        float[] canonical = transposed ? weight.Values : Transpose(weight.Values, inputs, units);
        if (bias is not null && (bias.Values.Length != units || bias.Dims.Count(d => d != 1) > 1))
        {
            throw new FormatException($"{node.Describe()} adds '{Quoting.Shorten(bias.Name)}' of shape {bias.Shape} to {units} units");
        }

        return (units, inputs, canonical, bias?.Values, output);
    }

    /// <summary>The activation from <paramref name="z"/> to the next layer's input or the graph's output, known by its operators.</summary>
    private static (Activation Activation, string Output) ReadActivation(OnnxGraph graph, Dictionary<string, List<OnnxNode>> consumers, string z)
    {
        var produced = new HashSet<string>(StringComparer.Ordinal) { z };
        var nodes = new List<OnnxNode>();
        var pending = new Queue<string>([z]);
        string? output = null;
        while (pending.Count > 0)
        {
            string tensor = pending.Dequeue();
            if (tensor == graph.Outputs[0])
            {
                output = tensor;
            }

            foreach (OnnxNode node in Consumers(consumers, tensor))
            {
                if (node.Op is "Gemm" or "MatMul")
                {
                    output = output is null || output == tensor ? tensor : throw new FormatException($"the activation before {node.Describe()} has two results that go on");
                    continue;
                }

                if (!nodes.Contains(node))
                {
                    nodes.Add(node);
                    foreach (string result in node.Outputs.Where(produced.Add))
                    {
                        pending.Enqueue(result);
                    }
                }
            }
        }

        if (output is null)
        {
            throw new FormatException($"the nodes after '{Quoting.Shorten(z)}' reach neither another layer nor the graph's output");
        }

        string[] ops = [.. nodes.Select(n => n.Op).Distinct().Order(StringComparer.Ordinal)];
        Activation? activation = ops switch
        {
            [] => Activation.Linear,
            ["Relu"] => Activation.ReLU,
            ["LeakyRelu"] when Math.Abs(nodes[0].Float("alpha", 0.01f) - 0.01f) < 1e-7f => Activation.LeakyReLU,
            ["Sigmoid"] => Activation.Sigmoid,
            ["Tanh"] => Activation.Tanh,
            ["Softmax"] => Activation.Softmax,
            ["Elu"] when nodes[0].Float("alpha", 1f) == 1f => Activation.ELU,
            ["Softplus"] => Activation.Softplus,
            ["Mul", "Sigmoid"] when nodes.Count == 2 => Activation.SiLU,
            ["Gelu"] when nodes[0].Attributes.TryGetValue("approximate", out OnnxAttribute a) && a.Text == "tanh" => Activation.GELU,
            _ when ops.Contains("Tanh") && ops.All(GeluDecomposition.Contains) => Activation.GELU,
            _ => null,
        };

        if (activation is null)
        {
            string hint = ops.Contains("Erf") || ops.Contains("Gelu")
                ? "; it looks like GELU in its exact (erf) form, and StaticNet's GELU is the tanh form: export nn.GELU(approximate=\"tanh\")"
                : "";
            throw new FormatException($"the activation after '{Quoting.Shorten(z)}' is made of {string.Join(", ", ops)}, which is none StaticNet has{hint}");
        }

        return (activation.Value, output);
    }

    private static OnnxTensor Constant(OnnxGraph graph, OnnxNode node, int input) =>
        graph.Constants.TryGetValue(node.Inputs[input], out OnnxTensor? tensor)
            ? tensor
            : throw new FormatException($"{node.Describe()} reads '{Quoting.Shorten(node.Inputs[input])}', which is not a constant float tensor of the model");

    private static float[] Transpose(float[] values, int rows, int columns)
    {
        var transposed = new float[values.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                transposed[(c * rows) + r] = values[(r * columns) + c];
            }
        }

        return transposed;
    }
}
