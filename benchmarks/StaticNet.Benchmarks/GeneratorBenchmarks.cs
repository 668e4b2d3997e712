using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using StaticNet.Generator;
using StaticNet.Generator.TrainedWeights;

namespace StaticNet.Benchmarks;

/// <summary>
/// One full generator run (parse, model, emit) over a compilation holding one declaration: the
/// cost an IDE pays when the declaration itself is edited. "FMNIST+weights" compiles in the
/// Embedded sample's trained model (941 KB): reading its text copy, checking it and writing its literal.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private static readonly string Deep = "using StaticNet;\n[Network(Inputs = 512)]\n" +
        string.Concat(Enumerable.Repeat("[Dense(512, Activation.ReLU)]\n", 11)) + "[Dense(10, Activation.Softmax)]\npublic partial class Deep;";

    private const string Fmnist = """
        using StaticNet;
        [Network(Inputs = 784)]
        [Dense(256, Activation.ReLU)]
        [Dense(128, Activation.ReLU)]
        [Dense(10, Activation.Softmax)]
        public partial class Fmnist;
        """;

    private CSharpCompilation _compilation = null!;
    private AdditionalText[] _weights = [];

    [Params("12x512", "FMNIST", "FMNIST+weights")]
    public string Declaration { get; set; } = "FMNIST";

    [GlobalSetup]
    public void Setup()
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal))
            .Append(typeof(INetwork).Assembly.Location)
            .Select(path => MetadataReference.CreateFromFile(path));
        _compilation = CSharpCompilation.Create(
            "Consumer",
            [CSharpSyntaxTree.ParseText(Declaration switch
            {
                "FMNIST" => Fmnist,
                "FMNIST+weights" => Fmnist.Replace("Inputs = 784", "Inputs = 784, Weights = \"fashion-mnist.safetensors\"", StringComparison.Ordinal),
                _ => Deep,
            }, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        if (Declaration == "FMNIST+weights")
        {
            string model = Path.Combine(AppContext.BaseDirectory, "fashion-mnist.safetensors");
            _weights = [new WeightsCopy(WeightsText.Write("fashion-mnist.safetensors", File.ReadAllBytes(model)))];
        }

        Console.WriteLine($"// generated source for {Declaration}: {GeneratedLength()} characters");
    }

    [Benchmark]
    public GeneratorDriver GeneratorRun() =>
        CSharpGeneratorDriver.Create([new NetworkGenerator().AsSourceGenerator()], _weights).RunGenerators(_compilation);

    private int GeneratedLength() => GeneratorRun().GetRunResult().GeneratedTrees.Sum(tree => tree.Length);

    /// <summary>The text copy of a weights file, as the build hands it to the compiler.</summary>
    private sealed class WeightsCopy(string text) : AdditionalText
    {
        public override string Path => "obj/fashion-mnist.staticnet-weights";

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
