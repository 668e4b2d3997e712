using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using StaticNet.Generator;

namespace StaticNet.Tests.Generator;

/// <summary>Runs the generator over source text, offline, against .NET 10 reference assemblies and the StaticNet runtime.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References =
        [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(INetwork).Assembly.Location)];

    public static CSharpCompilation Compile(params string[] sources) => Compile(ParseOptions, sources);

    public static CSharpCompilation Compile(CSharpParseOptions parseOptions, params string[] sources) =>
        CSharpCompilation.Create(
            "Consumer",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, parseOptions, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(bool trackSteps = false) => CreateDriver(ParseOptions, trackSteps);

    public static GeneratorDriver CreateDriver(CSharpParseOptions parseOptions, bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            parseOptions: parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator once and returns the compilation with its output, and the generator's diagnostics.</summary>
    public static (Compilation Output, ImmutableArray<Diagnostic> Diagnostics, GeneratorDriverRunResult Result) Run(params string[] sources)
    {
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(Compile(sources), out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return (output, diagnostics, driver.GetRunResult());
    }

    /// <summary>
    /// A test of the testing library that checks diagnostics, with their exact spans, from markup
    /// such as <c>{|SN0005:Activation.Softmax|}</c>.
    /// </summary>
    public static CSharpSourceGeneratorTest<NetworkGenerator, DefaultVerifier> DiagnosticTest(string source)
    {
        var test = new CSharpSourceGeneratorTest<NetworkGenerator, DefaultVerifier>
        {
            // An empty set: the references below are all the compilation needs, nothing is downloaded.
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck,
        };
        test.TestState.Sources.Add(source);
        test.TestState.AdditionalReferences.AddRange(References);
        return test;
    }
}
