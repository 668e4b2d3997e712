using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using StaticNet.Kernels;
using Xunit;

namespace StaticNet.Tests;

/// <summary>Models SaveOnnx writes, run by the real ONNX Runtime, compute what the networks compute.</summary>
public sealed class OnnxExportTests : IDisposable
{
    private readonly TemporaryDirectory _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>Every activation, in hidden and last layers, the straight-line, lanes and general code paths, and layers without biases.</summary>
    public static TheoryData<string> Networks() =>
        ["LinearNet", "ReLUNet", "LeakyReLUNet", "SigmoidNet", "TanhNet", "ELUNet", "SiLUNet", "GELUNet", "SoftplusNet", "SoftmaxNet", "RegisterNet", "LanesNet", "FmnistNet", "WideNet", "NoBiasNet", "NoBiasRegisterNet"];

    [Theory]
    [MemberData(nameof(Networks))]
    public void ONNX_Runtime_computes_the_networks_outputs_within_1e_5(string name)
    {
        IGeneratedNetwork network = TestNetworks.Create(name, seed: 17);
        RandomizeBiases(network, seed: 5);
        const int Rows = 37;
        float[] inputs = RandomInputs(Rows * network.Shape.Inputs, seed: 3);
        float[] expected = new float[Rows * network.Shape.Outputs];
        network.PredictBatch(inputs, expected);
        var stream = new MemoryStream();
        network.SaveOnnx(stream);

        float[] actual = Run(stream.ToArray(), inputs, Rows, network.Shape.Inputs);

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"{name} output {i}: StaticNet {expected[i]}, ONNX Runtime {actual[i]}");
        }
    }

    [Fact]
    public void A_saved_file_is_what_the_stream_gets_and_names_its_input_and_output()
    {
        var network = new SeedNet(seed: 2);
        string path = _files.File("seed.onnx");
        network.SaveOnnx(path);
        var stream = new MemoryStream();
        network.SaveOnnx(stream);

        Assert.Equal(stream.ToArray(), File.ReadAllBytes(path));
        using var session = new InferenceSession(path);
        Assert.Equal("input", session.InputMetadata.Keys.Single());
        Assert.Equal("output", session.OutputMetadata.Keys.Single());
        Assert.Equal([-1, 2], session.InputMetadata["input"].Dimensions);
        Assert.Equal([-1, 1], session.OutputMetadata["output"].Dimensions);
    }

    [Fact]
    public void A_network_with_a_non_finite_parameter_is_not_saved_and_the_old_file_stays()
    {
        var network = new SeedNet(seed: 2);
        string path = _files.File("seed.onnx");
        network.SaveOnnx(path);
        byte[] before = File.ReadAllBytes(path);
        network.Parameters[3] = float.NaN;

        var error = Assert.Throws<InvalidOperationException>(() => network.SaveOnnx(path));

        Assert.Contains("non-finite", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        var stream = new MemoryStream();
        Assert.Throws<InvalidOperationException>(() => network.SaveOnnx(stream));
        Assert.Equal(0, stream.Length);
    }

    private static float[] Run(byte[] model, float[] inputs, int rows, int width)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        var tensor = new DenseTensor<float>(inputs, [rows, width]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", tensor)]);
        return results.Single(r => r.Name == "output").AsTensor<float>().ToArray();
    }

    private static float[] RandomInputs(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 6) - 3)).ToArray();
    }

    /// <summary>Glorot initialisation leaves biases at zero; non-zero ones check that ONNX adds them where StaticNet does.</summary>
    private static void RandomizeBiases(INetwork network, int seed)
    {
        float[] canonical = new float[network.Shape.ParameterCount];
        network.CopyParametersTo(canonical);
        var random = new Random(seed);
        int offset = 0;
        foreach (DenseLayer layer in network.Shape.Layers)
        {
            for (int u = 0; u < (layer.UseBias ? layer.Units : 0); u++)
            {
                canonical[offset + (layer.Inputs * layer.Units) + u] = (float)((random.NextDouble() * 0.4) - 0.2);
            }

            offset += layer.ParameterCount;
        }

        network.CopyParametersFrom(canonical);
    }
}
