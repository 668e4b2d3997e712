using System.Text;
using Xunit;

namespace StaticNet.Tests;

/// <summary>
/// Layers declared with <c>UseBias = false</c>: no bias parameters anywhere (count, model files, ONNX), a shape that
/// says so, and files of the biased twin refused. Their gradients, predictions on every path and round trips are in
/// the suites that run every test network (GradientTests, ForwardPassTests, ModelFileTests, OnnxExportTests).
/// </summary>
public class NoBiasTests
{
    [Fact]
    public void A_layer_without_biases_has_no_bias_parameters()
    {
        Assert.Equal((300 * 40) + ((40 * 33) + 33) + (33 * 5), NoBiasNet.ParameterCount);
        Assert.Equal(NoBiasNet.ParameterCount, NoBiasNet.Shape.ParameterCount);
        Assert.Equal("300-40(ReLU, no bias)-33(Tanh)-5(Softmax, no bias)", NoBiasNet.Shape.ToString());
        Assert.False(NoBiasNet.Shape.Layers[0].UseBias);
        Assert.True(NoBiasNet.Shape.Layers[1].UseBias);
    }

    [Fact]
    public void Its_model_file_holds_weights_alone_for_the_layers_without_biases()
    {
        byte[] file = new NoBiasNet(seed: 2).ToBytes();
        string header = Encoding.UTF8.GetString(file, 8, (int)BitConverter.ToUInt64(file, 0));

        Assert.Contains("\"layers.0.weight\"", header);
        Assert.DoesNotContain("\"layers.0.bias\"", header);
        Assert.Contains("\"layers.1.bias\"", header);
        Assert.DoesNotContain("\"layers.2.bias\"", header);
        Assert.Equal(new NoBiasNet(seed: 2).Parameters.ToArray(), ModelFile.Load<NoBiasNet>(file).Parameters.ToArray());
    }

    [Fact]
    public void A_file_of_the_same_layers_with_biases_is_refused_naming_both()
    {
        byte[] file = new BiasedTwinNet(seed: 1).ToBytes();

        var error = Assert.Throws<ModelFileException>(() => ModelFile.Load<NoBiasRegisterNet>(file));

        Assert.Contains("4-6(Tanh)-3(Linear)", error.Message);
        Assert.Contains("4-6(Tanh, no bias)-3(Linear)", error.Message);
    }

    [Fact]
    public void Its_ONNX_export_has_a_Gemm_without_a_bias_and_loads_back()
    {
        var network = new NoBiasRegisterNet(seed: 3);
        using var stream = new MemoryStream();
        network.SaveOnnx(stream);

        var loaded = ModelFile.LoadOnnx<NoBiasRegisterNet>(new MemoryStream(stream.ToArray()));

        Assert.Equal(network.Parameters.ToArray(), loaded.Parameters.ToArray());
        Assert.DoesNotContain("layers.0.bias", Encoding.Latin1.GetString(stream.ToArray()));
    }
}

/// <summary><see cref="NoBiasRegisterNet"/> with biases.</summary>
[Network(Inputs = 4)]
[Dense(6, Activation.Tanh)]
[Dense(3, Activation.Linear)]
public partial class BiasedTwinNet;
