using System.Text.Json;
using StaticNet.Kernels;
using Xunit;

namespace StaticNet.Tests;

/// <summary>The network of the PyTorch fixture silu-gelu-softmax.onnx.</summary>
[Network(Inputs = 7)]
[Dense(6, Activation.SiLU)]
[Dense(5, Activation.GELU)]
[Dense(4, Activation.Softmax)]
public partial class SiluGeluSoftmaxNet;

/// <summary>The network of the PyTorch fixture tanh-elu-leaky-softplus.onnx.</summary>
[Network(Inputs = 3)]
[Dense(4, Activation.Tanh)]
[Dense(4, Activation.ELU)]
[Dense(3, Activation.LeakyReLU)]
[Dense(2, Activation.Softplus)]
[Dense(2, Activation.Linear)]
public partial class TanhEluLeakySoftplusNet;

/// <summary>The shape of the PyTorch fixture gelu-erf.onnx, whose GELU is the exact (erf) form.</summary>
[Network(Inputs = 3)]
[Dense(4, Activation.GELU)]
[Dense(2, Activation.Linear)]
public partial class GeluNet;

/// <summary>
/// ONNX models read into declared networks: files the real PyTorch exporter wrote (Data/pytorch, made by
/// make_fixtures.py with PyTorch 1.13), the models SaveOnnx writes, and damaged ones.
/// </summary>
public sealed class OnnxImportTests : IDisposable
{
    private readonly TemporaryDirectory _files = new();

    public void Dispose() => _files.Dispose();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "pytorch", name);

    [Fact]
    public void Models_PyTorch_exported_compute_PyTorchs_outputs()
    {
        AssertPyTorchOutputs(ModelFile.LoadOnnx<SeedNet>(Fixture("seed-relu-sigmoid.onnx")), "seed-relu-sigmoid");
        AssertPyTorchOutputs(ModelFile.LoadOnnx<SiluGeluSoftmaxNet>(Fixture("silu-gelu-softmax.onnx")), "silu-gelu-softmax");
        AssertPyTorchOutputs(ModelFile.LoadOnnx<TanhEluLeakySoftplusNet>(Fixture("tanh-elu-leaky-softplus.onnx")), "tanh-elu-leaky-softplus");
    }

    [Theory]
    [MemberData(nameof(TestNetworks.Names), MemberType = typeof(TestNetworks))]
    public void What_SaveOnnx_writes_loads_back_bit_for_bit(string name)
    {
        IGeneratedNetwork saved = TestNetworks.Create(name, seed: 8);
        var stream = new MemoryStream();
        saved.SaveOnnx(stream);
        IGeneratedNetwork loaded = TestNetworks.Create(name, seed: 9);

        ModelFile.LoadOnnxInto(loaded, new MemoryStream(stream.ToArray()));

        Assert.Equal(ModelFileTests.Canonical(saved), ModelFileTests.Canonical(loaded));
    }

    [Fact]
    public void Another_architecture_is_refused_naming_both_and_the_network_keeps_its_parameters()
    {
        var network = new XorNet(seed: 1);
        float[] before = ModelFileTests.Canonical(network);

        var error = Assert.Throws<ModelFileException>(() => ModelFile.LoadOnnxInto(network, Fixture("seed-relu-sigmoid.onnx")));

        Assert.Contains("The file holds 2-5(ReLU)-1(Sigmoid) but XorNet is 2-8(Tanh)-1(Sigmoid).", error.Message);
        Assert.StartsWith(Fixture("seed-relu-sigmoid.onnx"), error.Message);
        Assert.Equal(before, ModelFileTests.Canonical(network));
    }

    [Fact]
    public void GELU_in_its_exact_erf_form_is_refused_with_the_export_that_fits()
    {
        var error = Assert.Throws<ModelFileException>(() => ModelFile.LoadOnnx<GeluNet>(Fixture("gelu-erf.onnx")));

        Assert.Contains("exact (erf) form", error.Message);
        Assert.Contains("approximate=\"tanh\"", error.Message);
    }

    [Fact]
    public void MatMul_then_Add_of_the_bias_is_a_layer_as_Gemm_is()
    {
        var expected = new SeedNet(seed: 3);
        float[] canonical = ModelFileTests.Canonical(expected);
        byte[] model = MatMulModel(canonical);

        SeedNet loaded = ModelFile.LoadOnnx<SeedNet>(new MemoryStream(model));

        Assert.Equal(canonical, ModelFileTests.Canonical(loaded));
    }

    [Fact]
    public void Damaged_models_are_a_ModelFileException_or_load_never_anything_else()
    {
        var stream = new MemoryStream();
        new FmnistNet(seed: 2).SaveOnnx(stream);
        byte[] valid = stream.ToArray();
        var random = new Random(21);
        var network = new FmnistNet(seed: 4);
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] model = (byte[])valid.Clone();
            // Mostly the graph's structure, which sits after the weights.
            for (int f = 0; f < 1 + random.Next(3); f++)
            {
                model[valid.Length - 1 - random.Next(Math.Min(valid.Length, 2000))] = (byte)random.Next(256);
            }

            if (trial % 7 == 0)
            {
                model = model[..random.Next(model.Length)];
            }

            try
            {
                ModelFile.LoadOnnxInto(network, new MemoryStream(model), "mutated");
            }
            catch (ModelFileException e)
            {
                Assert.StartsWith("mutated", e.Message);
            }
        }
    }

    private static void AssertPyTorchOutputs(INetwork network, string fixture)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Fixture(fixture + ".json")));
        float[][] inputs = Rows(json.RootElement.GetProperty("inputs"));
        float[][] outputs = Rows(json.RootElement.GetProperty("outputs"));
        float[] actual = new float[network.Shape.Outputs];
        for (int r = 0; r < inputs.Length; r++)
        {
            network.Predict(inputs[r], actual);
            for (int o = 0; o < actual.Length; o++)
            {
                Assert.True(Math.Abs(outputs[r][o] - actual[o]) <= 1e-5 * Math.Max(1, Math.Abs(outputs[r][o])), $"{fixture} row {r} output {o}: PyTorch {outputs[r][o]}, StaticNet {actual[o]}");
            }
        }
    }

    private static float[][] Rows(JsonElement rows) =>
        [.. rows.EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetSingle()).ToArray())];

    /// <summary>SeedNet's two layers as MatMul(x, W) with W [inputs, units], then Add of the bias, as some exporters write them.</summary>
    private static byte[] MatMulModel(float[] canonical)
    {
        var graph = new ProtoWriter();
        string x = "x";
        int offset = 0;
        foreach ((int inputs, int units, string activation) in new[] { (2, 5, "Relu"), (5, 1, "Sigmoid") })
        {
            float[] w = new float[inputs * units];
            for (int u = 0; u < units; u++)
            {
                for (int i = 0; i < inputs; i++)
                {
                    w[(i * units) + u] = canonical[offset + (u * inputs) + i];
                }
            }

            string name = $"l{offset}";
            graph.Message(5, Tensor(name + ".w", [inputs, units], w));
            graph.Message(5, Tensor(name + ".b", [units], canonical.AsSpan(offset + (inputs * units), units).ToArray()));
            graph.Message(1, Node("MatMul", [x, name + ".w"], name + ".mm"));
            graph.Message(1, Node("Add", [name + ".b", name + ".mm"], name + ".z"));
            graph.Message(1, Node(activation, [name + ".z"], name + ".a"));
            x = name + ".a";
            offset += (inputs + 1) * units;
        }

        graph.Message(11, new ProtoWriter().String(1, "x")).Message(12, new ProtoWriter().String(1, x));
        var model = new MemoryStream();
        new ProtoWriter().Int(1, 8).Message(7, graph).Message(8, new ProtoWriter().String(1, "").Int(2, 13)).CopyTo(model);
        return model.ToArray();
    }

    private static ProtoWriter Node(string op, string[] inputs, string output)
    {
        var node = new ProtoWriter();
        foreach (string input in inputs)
        {
            node.String(1, input);
        }

        return node.String(2, output).String(4, op);
    }

    private static ProtoWriter Tensor(string name, long[] dims, float[] values)
    {
        var tensor = new ProtoWriter();
        foreach (long dim in dims)
        {
            tensor.Int(1, dim);
        }

        tensor.Int(2, 1).String(8, name);
        foreach (float value in values)
        {
            tensor.Float(4, value);
        }

        return tensor;
    }
}
