using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using StaticNet.Generator;
using StaticNet.Generator.Model;
using StaticNet.Generator.TrainedWeights;
using Xunit;

namespace StaticNet.Tests.Generator;

/// <summary>
/// Weights files compiled in by the generator: each problem is a diagnostic at the <c>Weights</c> argument, the
/// parameters are those the runtime's loader reads from the same bytes, and a hostile file cannot break the build.
/// </summary>
public class TrainedWeightsGeneratorTests
{
    private const string SeedDeclaration = """
        using StaticNet;
        [Network(Inputs = 2, {|#0:Weights = "model.safetensors"|})]
        [Dense(5, Activation.ReLU)]
        [Dense(1, Activation.Sigmoid)]
        public partial class Model;
        """;

    private static string Encode(string path, byte[] file) => WeightsText.Write(path, file);

    [Fact]
    public Task SN0017_a_file_that_is_not_an_additional_file_names_the_ones_that_are()
    {
        var test = GeneratorHarness.DiagnosticTest(SeedDeclaration);
        test.TestState.AdditionalFiles.Add(("/project/obj/other.staticnet-weights", Encode("Models/other.safetensors", SafetensorsFiles.SeedNet())));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Diagnostics.WeightsNotFound).WithLocation(0)
            .WithArguments("Model", "model.safetensors", "; the weights files it lists are 'Models/other.safetensors'"));
        return test.RunAsync();
    }

    [Fact]
    public Task SN0018_a_truncated_file_says_what_is_wrong() =>
        VerifyProblem(SafetensorsFiles.SeedNet()[..100], new DiagnosticResult(Diagnostics.WeightsDamaged).WithLocation(0)
            .WithArguments("model.safetensors", "Model", "its header length is 280 bytes, but only 92 follow: it is truncated or not safetensors"));

    [Fact]
    public Task SN0019_another_architecture_names_both()
    {
        byte[] file = new SeedNet(seed: 1).ToBytes();
        var test = GeneratorHarness.DiagnosticTest(SeedDeclaration.Replace("[Dense(5, Activation.ReLU)]", "[Dense(6, Activation.ReLU)]"));
        test.TestState.AdditionalFiles.Add(("/project/obj/model.staticnet-weights", Encode("model.safetensors", file)));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Diagnostics.WeightsMismatch).WithLocation(0)
            .WithArguments("model.safetensors", "Model", "2-6(ReLU)-1(Sigmoid)", "the file holds 2-5(ReLU)-1(Sigmoid)"));
        return test.RunAsync();
    }

    [Fact]
    public Task A_file_of_a_network_without_biases_compiles_into_its_declaration()
    {
        var test = GeneratorHarness.DiagnosticTest("""
            using StaticNet;
            [Network(Inputs = 4, Weights = "model.safetensors")]
            [Dense(6, Activation.Tanh, UseBias = false)]
            [Dense(3, Activation.Linear)]
            public partial class Model;
            """);
        test.TestState.AdditionalFiles.Add(("/project/obj/model.staticnet-weights", Encode("model.safetensors", new NoBiasRegisterNet(seed: 1).ToBytes())));
        return test.RunAsync();
    }

    [Fact]
    public Task SN0019_a_file_with_biases_for_a_layer_without_names_both_architectures()
    {
        var test = GeneratorHarness.DiagnosticTest(SeedDeclaration.Replace("[Dense(5, Activation.ReLU)]", "[Dense(5, Activation.ReLU, UseBias = false)]"));
        test.TestState.AdditionalFiles.Add(("/project/obj/model.staticnet-weights", Encode("model.safetensors", new SeedNet(seed: 1).ToBytes())));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Diagnostics.WeightsMismatch).WithLocation(0)
            .WithArguments("model.safetensors", "Model", "2-5(ReLU, no bias)-1(Sigmoid)", "the file holds 2-5(ReLU)-1(Sigmoid)"));
        return test.RunAsync();
    }

    [Fact]
    public Task SN0019_tensors_of_other_shapes_without_an_architecture_list_what_the_file_holds()
    {
        string header = SafetensorsFiles.SeedNetTensors.Replace("\"shape\":[5,2]", "\"shape\":[2,5]");
        byte[] file = SafetensorsFiles.Build("{" + header + "}", new byte[SafetensorsFiles.SeedNetDataBytes]);
        return VerifyProblem(file, new DiagnosticResult(Diagnostics.WeightsMismatch).WithLocation(0).WithArguments(
            "model.safetensors", "Model", "2-5(ReLU)-1(Sigmoid)",
            "it needs layers.0.weight [5, 2], and the file holds layers.0.bias [5], layers.0.weight [2, 5], layers.1.bias [1], layers.1.weight [1, 5]"));
    }

    [Fact]
    public Task SN0020_a_value_that_is_not_finite_names_the_tensor_and_index()
    {
        float[] values = Enumerable.Range(0, 21).Select(i => i / 8f).ToArray();
        values[3] = float.NaN;
        return VerifyProblem(SafetensorsFiles.Build("{" + SafetensorsFiles.SeedNetTensors + "}", SafetensorsFiles.Floats(values)),
            new DiagnosticResult(Diagnostics.WeightsNotFinite).WithLocation(0).WithArguments("model.safetensors", "Model", "tensor 'layers.0.bias' holds NaN at index 3"));
    }

    [Fact]
    public Task SN0021_a_file_over_the_limit_gives_its_size()
    {
        var test = GeneratorHarness.DiagnosticTest(SeedDeclaration);
        string header = WeightsText.Write("model.safetensors", new byte[SizeBudget.MaxWeightsBytes + 1], withData: false);
        test.TestState.AdditionalFiles.Add(("/project/obj/model.staticnet-weights", header));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Diagnostics.WeightsTooLarge).WithLocation(0)
            .WithArguments("model.safetensors", "Model", "67108865", "67108864"));
        return test.RunAsync();
    }

    [Fact]
    public Task SN0022_a_file_with_a_feature_scaling_compiles_in_with_a_warning()
    {
        var scaling = new FeatureScaling(ScalingMethod.Standardize, [1f, 2f], [3f, 4f]);
        var test = GeneratorHarness.DiagnosticTest(SeedDeclaration);
        test.TestState.AdditionalFiles.Add(("/project/obj/model.staticnet-weights", Encode("model.safetensors", new SeedNet(seed: 2).ToBytes(scaling))));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Diagnostics.WeightsScalingNotApplied).WithLocation(0)
            .WithArguments("model.safetensors", "Model", "standardize"));
        return test.RunAsync();
    }

    [Theory]
    [InlineData("F32", "layers.")]
    [InlineData("F16", "")]
    [InlineData("BF16", "net.")]
    [InlineData("F64", "")]
    public void The_compiled_in_parameters_are_those_the_runtime_loads_from_the_same_bytes(string dtype, string sequentialPrefix)
    {
        // Random bit patterns cover every kind of value of the dtype: subnormal, negative zero, large, tiny.
        var random = new Random(dtype.Length * 31);
        byte[] file = RandomFile(dtype, sequentialPrefix, random);

        float[] compiledIn = CompiledIn(file, out _);
        float[] loaded = ModelFileTests.Canonical(ModelFile.Load<SeedNet>(file));

        Assert.Equal(loaded.Select(BitConverter.SingleToInt32Bits), compiledIn.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Optimizer_state_in_the_file_is_left_out()
    {
        var network = new SeedNet(seed: 4);
        var optimizer = new Adam(0.01f);
        var data = new Dataset(new float[,] { { 0, 1 }, { 1, 0 } }, new float[,] { { 1 }, { 0 } });
        network.Fit(data, new FitOptions { Loss = Loss.MeanSquaredError, Optimizer = optimizer, Epochs = 2, BatchSize = 2, Verbose = Verbosity.Silent });
        var stream = new MemoryStream();
        network.Save(stream, optimizer: optimizer);

        float[] compiledIn = CompiledIn(stream.ToArray(), out string base64);

        Assert.Equal(ModelFileTests.Canonical(network), compiledIn);
        Assert.Equal(SeedNet.ParameterCount * sizeof(float), Convert.FromBase64String(base64).Length);
    }

    [Fact]
    public void Mutated_files_are_refused_with_a_diagnostic_or_compiled_in_never_crashing_the_generator()
    {
        byte[] valid = new SeedNet(seed: 6).ToBytes(metadata: new Dictionary<string, string> { ["note"] = "é\"\\\n" });
        var random = new Random(12);
        for (int trial = 0; trial < 400; trial++)
        {
            byte[] file = (byte[])valid.Clone();
            int flips = 1 + random.Next(4);
            for (int f = 0; f < flips; f++)
            {
                file[random.Next(file.Length)] = (byte)random.Next(256);
            }

            if (trial % 10 == 0)
            {
                file = file[..random.Next(file.Length)];
            }

            var (_, diagnostics, result) = RunWith(file);

            Assert.Null(result.Results.Single().Exception);
            Assert.All(diagnostics, d => Assert.Contains(d.Id, new[] { "SN0018", "SN0019", "SN0020" }));
            bool compiledIn = result.GeneratedTrees.Any(t => t.FilePath.EndsWith("-weights.g.cs", StringComparison.Ordinal));
            Assert.Equal(diagnostics.IsEmpty, compiledIn);
        }
    }

    [Fact]
    public void A_hostile_header_is_refused_without_reading_past_the_file()
    {
        string deep = "{\"a\":" + new string('[', 100_000) + "}";
        string manyDims = "{\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1,1,1,1,1],\"data_offsets\":[0,4]}}";
        string overflow = "{\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,16]}}";
        foreach ((byte[] file, string problem) in new[]
        {
            (SafetensorsFiles.Build(deep, []), "tensor 'a' must be an object"),
            (SafetensorsFiles.Build(manyDims, new byte[4]), "the shape of 'layers.0.weight' has more than 8 numbers"),
            (SafetensorsFiles.Build(overflow, new byte[16]), "tensor 'layers.0.weight' spans 16 bytes, but its shape [4611686018427387904, 4] of F32 needs 68"),
            (SafetensorsFiles.Build("{}", [], declaredLength: ulong.MaxValue), "its header length is 18446744073709551615 bytes, but only 8 follow: it is truncated or not safetensors"),
        })
        {
            WeightsFile read = WeightsText.Read(SourceText.From(Encode("model.safetensors", file)), default)!;

            Assert.Equal(WeightsProblemKind.Damaged, read.Problem!.Kind);
            Assert.Equal(problem, read.Problem.Message);
        }
    }

    [Fact]
    public void Editing_the_weights_file_emits_again_and_editing_code_does_not()
    {
        string source = """
            using StaticNet;
            [Network(Inputs = 2, Weights = "model.safetensors")]
            [Dense(5, Activation.ReLU)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Model { public int Helper() { return 1; } }
            """;
        Compilation compilation = GeneratorHarness.Compile(source);
        var first = new InMemoryText("/p/obj/model.staticnet-weights", Encode("model.safetensors", new SeedNet(seed: 1).ToBytes()));
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).AddAdditionalTexts([first]).RunGenerators(compilation);

        Compilation edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(),
            compilation.SyntaxTrees.First().WithChangedText(SourceText.From(source.Replace("return 1;", "return 2;"))));
        GeneratorRunResult afterCodeEdit = driver.RunGenerators(edited).GetRunResult().Results.Single();
        Assert.All(afterCodeEdit.TrackedSteps[TrackingNames.WeightsFiles].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.All(afterCodeEdit.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));

        var second = new InMemoryText(first.Path, Encode("model.safetensors", new SeedNet(seed: 2).ToBytes()));
        driver = driver.ReplaceAdditionalText(first, second);
        GeneratorRunResult afterFileEdit = driver.RunGenerators(edited).GetRunResult().Results.Single();
        Assert.Contains(afterFileEdit.TrackedSteps[TrackingNames.Model].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(afterFileEdit.GeneratedSources, s => s.HintName.EndsWith("-weights.g.cs", StringComparison.Ordinal));
    }

    private static Task VerifyProblem(byte[] file, DiagnosticResult expected)
    {
        var test = GeneratorHarness.DiagnosticTest(SeedDeclaration);
        test.TestState.AdditionalFiles.Add(("/project/obj/model.staticnet-weights", Encode("model.safetensors", file)));
        test.ExpectedDiagnostics.Add(expected);
        return test.RunAsync();
    }

    private static (Compilation Output, ImmutableArray<Diagnostic> Diagnostics, GeneratorDriverRunResult Result) RunWith(byte[] file)
    {
        Compilation compilation = GeneratorHarness.Compile(SeedDeclaration.Replace("{|#0:", "").Replace("|}", ""));
        GeneratorDriver driver = GeneratorHarness.CreateDriver()
            .AddAdditionalTexts([new InMemoryText("/p/obj/model.staticnet-weights", Encode("model.safetensors", file))])
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return (output, diagnostics, driver.GetRunResult());
    }

    /// <summary>The parameters the generator compiles in from <paramref name="file"/> for SeedNet's declaration, decoded.</summary>
    private static float[] CompiledIn(byte[] file, out string base64)
    {
        WeightsFile read = WeightsText.Read(SourceText.From(Encode("model.safetensors", file)), default)!;
        NetworkSpec spec = new("Model.g.cs", default, default, "Model", "class", new ConstructionSpec(false, true), 2,
            new[] { new LayerSpec(5, ActivationKind.ReLU), new LayerSpec(1, ActivationKind.Sigmoid) }.ToEquatableArray(), "model.safetensors");
        WeightsMatch match = WeightsMatcher.Match(spec, "model.safetensors", [read]);
        Assert.Null(match.Problem);
        base64 = match.Trained!.Base64;
        byte[] bytes = Convert.FromBase64String(base64);
        return Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i))).ToArray();
    }

    /// <summary>SeedNet's four tensors in one dtype, named as <c>layers.{i}</c> or as an <c>nn.Sequential</c>'s Linears 0 and 2, with random finite values.</summary>
    private static byte[] RandomFile(string dtype, string prefix, Random random)
    {
        (string Name, int[] Shape)[] tensors = [("0.bias", [5]), ("0.weight", [5, 2]), ("2.bias", [1]), ("2.weight", [1, 5])];
        int size = dtype switch { "F16" or "BF16" => 2, "F64" => 8, _ => 4 };
        var header = new StringBuilder("{");
        var data = new List<byte>();
        foreach ((string name, int[] shape) in tensors)
        {
            int count = shape.Aggregate(1, (a, b) => a * b);
            string fullName = prefix == "layers." ? "layers." + name.Replace("2.", "1.", StringComparison.Ordinal) : prefix + name;
            header.Append(CultureInfo.InvariantCulture, $"\"{fullName}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{data.Count},{data.Count + (count * size)}]}},");
            for (int i = 0; i < count; i++)
            {
                byte[] value = new byte[size];
                do
                {
                    random.NextBytes(value);
                }
                while (!IsFinite(dtype, value));

                data.AddRange(value);
            }
        }

        return SafetensorsFiles.Build(header.ToString().TrimEnd(',') + "}", [.. data]);
    }

    private static bool IsFinite(string dtype, byte[] value) => dtype switch
    {
        "F16" => Half.IsFinite(BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(value))),
        "BF16" => float.IsFinite(BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(value) << 16)),
        "F64" => float.IsFinite((float)BinaryPrimitives.ReadDoubleLittleEndian(value)),
        _ => float.IsFinite(BinaryPrimitives.ReadSingleLittleEndian(value)),
    };

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
