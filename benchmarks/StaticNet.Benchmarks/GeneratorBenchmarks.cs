using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticNet.Generator;

namespace StaticNet.Benchmarks;

/// <summary>
/// One full generator run (parse, model, emit) over a compilation holding one declaration: the
/// cost an IDE pays when the declaration itself is edited.
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

    [Params("12x512", "FMNIST")]
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
            [CSharpSyntaxTree.ParseText(Declaration == "FMNIST" ? Fmnist : Deep, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Console.WriteLine($"// generated source for {Declaration}: {GeneratedLength()} characters");
    }

    [Benchmark]
    public GeneratorDriver GeneratorRun() =>
        CSharpGeneratorDriver.Create(new NetworkGenerator()).RunGenerators(_compilation);

    private int GeneratedLength() => GeneratorRun().GetRunResult().GeneratedTrees.Single().Length;
}
