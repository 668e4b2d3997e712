using System.Buffers.Binary;
using System.Globalization;
using Xunit;

namespace StaticNet.Tests;

/// <summary>
/// Files as PyTorch users write them, assembled byte by byte: an <c>nn.Sequential</c>'s parameter names, and
/// half, bfloat16 and double tensors converted to float32 with their overflow and NaN checks.
/// </summary>
public sealed class PyTorchFileTests : IDisposable
{
    // SeedNet's tensors in data order (layers.0.bias, layers.0.weight, layers.1.bias, layers.1.weight) with their shapes.
    private static readonly (string Name, int[] Shape)[] Tensors = [("0.bias", [5]), ("0.weight", [5, 2]), ("1.bias", [1]), ("1.weight", [1, 5])];

    private readonly TemporaryDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("", 0, 2)]
    [InlineData("", 0, 1)]
    [InlineData("net.", 1, 3)]
    public void An_nn_Sequentials_names_load_as_the_Linear_layers_in_order(string prefix, int first, int second)
    {
        // Sequential(Linear, ReLU, Linear, Sigmoid) names its Linears 0 and 2; the activations have no parameters.
        string[] names = [$"{prefix}{first}.bias", $"{prefix}{first}.weight", $"{prefix}{second}.bias", $"{prefix}{second}.weight"];
        string path = _files.Write("sequential.safetensors", File("F32", names, Values(i => i / 100f), 4, (v, b) => BinaryPrimitives.WriteSingleLittleEndian(b, v)));

        SeedNet network = ModelFile.Load<SeedNet>(path);

        Assert.Equal(Expected(i => i / 100f), ModelFileTests.Canonical(network));
    }

    [Theory]
    [InlineData("F16")]
    [InlineData("BF16")]
    [InlineData("F64")]
    public void Half_bfloat16_and_double_tensors_load_as_float32(string dtype)
    {
        // Quarters are exact in every one of these types.
        float[] values = Values(i => (i - 10) / 4f);
        byte[] file = dtype switch
        {
            "F16" => File(dtype, Names(), values, 2, (v, b) => BinaryPrimitives.WriteUInt16LittleEndian(b, BitConverter.HalfToUInt16Bits((Half)v))),
            "BF16" => File(dtype, Names(), values, 2, (v, b) => BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)(BitConverter.SingleToInt32Bits(v) >> 16))),
            _ => File(dtype, Names(), values, 8, (v, b) => BinaryPrimitives.WriteDoubleLittleEndian(b, v)),
        };

        SeedNet network = ModelFile.Load<SeedNet>(file);

        Assert.Equal(Expected(i => (i - 10) / 4f), ModelFileTests.Canonical(network));
    }

    [Theory]
    [InlineData("F64", 1e39, "holds a value beyond float32's range at index 3")]
    [InlineData("F64", double.NaN, "holds NaN at index 3")]
    [InlineData("F16", double.PositiveInfinity, "holds Infinity at index 3")]
    public void A_value_that_is_not_a_finite_float32_is_refused_naming_the_tensor_and_index(string dtype, double bad, string message)
    {
        float[] values = Values(i => i / 4f);
        byte[] file = dtype == "F64"
            ? File(dtype, Names(), values, 8, (v, b) => BinaryPrimitives.WriteDoubleLittleEndian(b, v), (3, bad))
            : File(dtype, Names(), values, 2, (v, b) => BinaryPrimitives.WriteUInt16LittleEndian(b, BitConverter.HalfToUInt16Bits((Half)v)), (3, bad));
        var network = new SeedNet(seed: 1);
        float[] before = network.Parameters.ToArray();

        var error = Assert.Throws<ModelFileException>(() => ModelFile.LoadInto(network, new MemoryStream(file)));

        Assert.Contains($"Tensor 'layers.0.bias' {message}", error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Theory]
    [InlineData("F32")]
    [InlineData("F16")]
    [InlineData("BF16")]
    [InlineData("F64")]
    public void A_state_dict_PyTorch_converted_to_each_dtype_predicts_as_PyTorch(string dtype)
    {
        // Data/pytorch/make_fixtures.py: an nn.Sequential's state_dict in each dtype, and PyTorch's outputs of it.
        string directory = Path.Combine(AppContext.BaseDirectory, "Data", "pytorch");
        SeedNet network = ModelFile.Load<SeedNet>(Path.Combine(directory, $"sequential-{dtype.ToLowerInvariant()}.safetensors"));
        using var json = System.Text.Json.JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(directory, "sequential.json")));
        float[][] inputs = [.. json.RootElement.GetProperty("inputs").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray())];
        float[][] outputs = [.. json.RootElement.GetProperty(dtype).EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray())];

        float[] output = new float[1];
        for (int r = 0; r < inputs.Length; r++)
        {
            network.Predict(inputs[r], output);
            Assert.True(Math.Abs(outputs[r][0] - output[0]) <= 1e-6, $"row {r}: PyTorch {outputs[r][0]}, StaticNet {output[0]}");
        }
    }

    private static string[] Names() => [.. Tensors.Select(t => "layers." + t.Name)];

    /// <summary>Each value in data order: <paramref name="value"/> of its position.</summary>
    private static float[] Values(Func<int, float> value) => [.. Enumerable.Range(0, 21).Select(value)];

    /// <summary>The canonical layout of those values: weights before biases, layer by layer.</summary>
    private static float[] Expected(Func<int, float> value)
    {
        float[] data = Values(value);
        return [.. data[5..15], .. data[0..5], .. data[16..21], data[15]];
    }

    /// <summary>A safetensors file of SeedNet's tensors under <paramref name="names"/>, in data order, of one dtype.</summary>
    private static byte[] File(string dtype, string[] names, float[] values, int size, Action<float, Span<byte>> write, (int Index, double Value)? replace = null)
    {
        var header = new List<string>();
        int offset = 0;
        int value = 0;
        byte[] data = new byte[values.Length * size];
        for (int t = 0; t < names.Length; t++)
        {
            int count = Tensors[t].Shape.Aggregate(1, (a, b) => a * b);
            header.Add(string.Create(CultureInfo.InvariantCulture,
                $"\"{names[t]}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", Tensors[t].Shape)}],\"data_offsets\":[{offset},{offset + (count * size)}]}}"));
            for (int i = 0; i < count; i++, value++)
            {
                if (replace is { } r && r.Index == value)
                {
                    if (size == 8)
                    {
                        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(value * size), r.Value);
                    }
                    else
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(value * size), BitConverter.HalfToUInt16Bits((Half)r.Value));
                    }
                }
                else
                {
                    write(values[value], data.AsSpan(value * size));
                }
            }

            offset += count * size;
        }

        return SafetensorsFiles.Build("{" + string.Join(",", header) + "}", data);
    }
}
