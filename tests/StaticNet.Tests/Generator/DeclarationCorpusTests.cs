using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace StaticNet.Tests.Generator;

/// <summary>
/// Valid C# declarations of every form a user may write, each compiled with the real generator.
/// A declaration without markup must compile clean (no error anywhere, no warning in generated code,
/// with nullable annotations on and off, all warnings and documentation diagnostics enabled) and its
/// networks must run; one with <c>{|SN0004:text|}</c> markup must produce exactly those diagnostics
/// at exactly those spans, and no generated code that fails to compile. A declaration the language
/// itself rejects says so with <c>// compiler: CS0579</c>: the compiler's error is then the outcome,
/// and the generator adds nothing.
/// </summary>
public partial class DeclarationCorpusTests
{
    private const string FileSeparator = "\n// next file\n";

    public static TheoryData<string, string> Corpus() => new()
    {
        // Names: escaped keywords, Unicode, contextual keywords, and names of generated members.
        { "an escaped keyword as the class name", "[Network(Inputs = 2)] [Dense(1)] public partial class @event;" },
        { "an escaped keyword as a containing type", "public partial class @operator { [Network(Inputs = 2)] [Dense(1)] public partial class Model; }" },
        { "escaped keywords in a file-scoped namespace", "namespace X.@namespace.@class; [Network(Inputs = 2)] [Dense(3, Activation.ReLU)] [Dense(1)] public partial class Model;" },
        { "escaped keywords everywhere", "namespace @class { public partial struct @struct { [Network(Inputs = 2)] [Dense(1)] internal partial class @int; } }" },
        { "an escaped name that is not a keyword", "[Network(Inputs = 2)] [Dense(1)] public partial class @Model;" },
        { "a Unicode class name", "[Network(Inputs = 2)] [Dense(1)] public partial class Réseau;" },
        { "a class name in CJK characters", "namespace 模型; [Network(Inputs = 2)] [Dense(1)] public partial class 网络;" },
        { "a Unicode escape in the class name", "[Network(Inputs = 2)] [Dense(1)] public partial class \\u0052eseau;" },
        { "a contextual keyword as the class name", "[Network(Inputs = 2)] [Dense(1)] public partial class async;" },
        { "the contextual keyword var as the class name", "[Network(Inputs = 2)] [Dense(1)] public partial class @var;" },
        { "a class named like a runtime namespace", "namespace App; [Network(Inputs = 2)] [Dense(1)] public partial class StaticNet;" },
        { "a class named like a runtime type", "[Network(Inputs = 2)] [Dense(1)] public partial class INetwork;" },
        { "a class named like the runtime's kernels", "[Network(Inputs = 2)] [Dense(1)] public partial class Kernels;" },
        { "a class named like types the generated code uses", "namespace App; [Network(Inputs = 2)] [Dense(1)] public partial class Vector; [Network(Inputs = 2)] [Dense(1)] public partial class MemoryMarshal;" },
        { "nested types named like types the generated code uses", "[Network(Inputs = 2)] [Dense(4, global::StaticNet.Activation.ReLU)] [Dense(1)] public partial class Model { public class Span; public class Vector; public class Unsafe; public class Math; public class SeededRandom; public class Activation; }" },
        { "members named like the generated code's locals and parameters", "[Network(Inputs = 2)] [Dense(4, Activation.ReLU)] [Dense(1)] public partial class Model { private int x, y, r, rows, even, odd, random, input, output, inputs, outputs, layer, part, parts, buffers, lanes, columns; public int Sum => x + y + r + rows + even + odd + random + input + output + inputs + outputs + layer + part + parts + buffers + lanes + columns; }" },
        { "a class named System", "namespace App; [Network(Inputs = 2)] [Dense(1)] public partial class System;" },
        { "two classes whose names differ only in case", "[Network(Inputs = 2)] [Dense(1)] public partial class Net; [Network(Inputs = 3)] [Dense(2)] public partial class NET;" },
        { "two namespaces that differ only in case", "namespace App.Models { [Network(Inputs = 2)] [Dense(1)] public partial class Net; } namespace App.models { [Network(Inputs = 2)] [Dense(1)] public partial class Net; }" },
        { "a class named like a layer member of a layer it does not have", "[Network(Inputs = 2)] [Dense(1)] public partial class Layer5Weights;" },
        { "a class named Input", "[Network(Inputs = 2)] [Dense(1)] public partial class {|SN0013:Input|};" },
        { "a class named Output", "[Network(Inputs = 2)] [Dense(1)] public partial class {|SN0013:Output|};" },
        { "a class named Summary", "[Network(Inputs = 2)] [Dense(1)] public partial class {|SN0013:Summary|};" },
        { "a class named Predict", "[Network(Inputs = 2)] [Dense(1)] public partial class {|SN0013:Predict|};" },
        { "a class named Shape", "[Network(Inputs = 2)] [Dense(1)] public partial class {|SN0013:Shape|};" },
        { "a class named InputSize", "[Network(Inputs = 2)] [Dense(1)] public partial class {|SN0013:InputSize|};" },
        { "a class named like a layer member", "[Network(Inputs = 2)] [Dense(1)] public partial class {|SN0013:Layer0Weights|};" },
        { "an escaped class name of a generated member", "[Network(Inputs = 2)] [Dense(1)] public partial class {|SN0013:@Load|};" },
        { "a nested type named Input", "[Network(Inputs = 2)] [Dense(1)] public partial class Model { public class {|SN0011:Input|} { } }" },
        { "a nested enum named Output", "[Network(Inputs = 2)] [Dense(1)] public partial class Model { public enum {|SN0011:Output|} { A } }" },
        { "a nested network named like a generated member", "[Network(Inputs = 2)] [Dense(1)] public partial class Outer { [Network(Inputs = 2)] [Dense(1)] public partial class {|SN0011:{|SN0013:Summary|}|}; }" },
        { "a nested network with an ordinary name", "[Network(Inputs = 2)] [Dense(1)] public partial class Outer { [Network(Inputs = 3)] [Dense(2)] public partial class Inner; }" },

        // Containers.
        { "the global namespace", "[Network(Inputs = 2)] [Dense(1)] partial class Model;" },
        { "a block namespace", "namespace App { [Network(Inputs = 2)] [Dense(1)] public partial class Model; }" },
        { "nested block namespaces", "namespace App { namespace Models.Tabular { [Network(Inputs = 2)] [Dense(1)] public partial class Model; } }" },
        { "a namespace inside the runtime's", "namespace StaticNet.Models; [Network(Inputs = 2)] [Dense(1)] public partial class Model;" },
        { "a namespace named like the runtime's types", "namespace App.INetwork.Kernels; [Network(Inputs = 2)] [Dense(1)] public partial class Model;" },
        { "a namespace named System", "namespace App.System; [Network(Inputs = 2)] [Dense(1)] public partial class Model;" },
        { "nested in a class", "public partial class Outer { [Network(Inputs = 2)] [Dense(1)] public partial class Model; }" },
        { "nested in a struct", "public partial struct Outer { [Network(Inputs = 2)] [Dense(1)] public partial class Model; }" },
        { "nested in a readonly struct", "public readonly partial struct Outer { [Network(Inputs = 2)] [Dense(1)] public partial class Model; }" },
        { "nested in a ref struct", "public ref partial struct Outer { [Network(Inputs = 2)] [Dense(1)] public partial class Model; }" },
        { "nested in a record", "public partial record Outer { [Network(Inputs = 2)] [Dense(1)] public partial class Model; }" },
        { "nested in a positional record", "public partial record Outer(int Size) { [Network(Inputs = 2)] [Dense(1)] public partial class Model; }" },
        { "nested in a record struct", "public partial record struct Outer { [Network(Inputs = 2)] [Dense(1)] public partial class Model; }" },
        { "nested in an interface", "public partial interface IOuter { [Network(Inputs = 2)] [Dense(1)] public partial class Model; }" },
        { "nested in a static class", "public static partial class Outer { [Network(Inputs = 2)] [Dense(1)] public partial class Model; }" },
        { "nested in a sealed abstract-free class two levels deep", "public sealed partial class A { internal partial class B { [Network(Inputs = 2)] [Dense(1)] private partial class Model; } }" },
        { "nested in a class with a primary constructor", "public partial class Outer(int size) { public int Size => size; [Network(Inputs = 2)] [Dense(1)] public partial class Model; }" },
        { "nested in an unsafe class", "public unsafe partial class Outer { [Network(Inputs = 2)] [Dense(1)] public partial class Model; }" },
        { "nested protected and private", "public partial class Outer { [Network(Inputs = 2)] [Dense(1)] protected partial class A; [Network(Inputs = 2)] [Dense(1)] private partial class B; [Network(Inputs = 2)] [Dense(1)] protected internal partial class C; }" },
        { "nested in a file-local class", "file partial class {|SN0012:Outer|} { [Network(Inputs = 2)] [Dense(1)] public partial class Model; }" },
        { "nested in a class nested in a file-local class", "file partial class {|SN0012:Outer|} { public partial class Middle { [Network(Inputs = 2)] [Dense(1)] public partial class Model; } }" },
        { "a file-local network", "[Network(Inputs = 2)] [Dense(1)] file partial class {|SN0012:Model|};" },
        { "nested in a generic class", "public partial class Outer<T> { [Network(Inputs = 2)] [Dense(1)] public partial class {|SN0008:Model|}; }" },
        { "nested in a generic struct two levels up", "public partial struct Outer<T> { public partial class Middle { [Network(Inputs = 2)] [Dense(1)] public partial class {|SN0008:Model|}; } }" },
        { "nested in a type that is not partial", "public class {|SN0001:Outer|} { [Network(Inputs = 2)] [Dense(1)] public partial class Model; }" },

        // Type forms.
        { "a sealed class", "[Network(Inputs = 2)] [Dense(1)] public sealed partial class Model;" },
        { "an internal class", "[Network(Inputs = 2)] [Dense(1)] internal partial class Model;" },
        { "an abstract class", "[Network(Inputs = 2)] [Dense(1)] public abstract partial class Model { public abstract string Name { get; } }" },
        { "an unsafe class", "[Network(Inputs = 2)] [Dense(1)] public unsafe partial class Model { private int* _p; }" },
        { "a static class", "[Network(Inputs = 2)] [Dense(1)] public static partial class {|SN0012:Model|};" },
        { "a record", "[Network(Inputs = 2)] [Dense(1)] public partial record Model;" },
        { "a sealed record", "[Network(Inputs = 2)] [Dense(1)] public sealed partial record Model { public string Name { get; init; } = \"m\"; }" },
        { "an abstract record", "[Network(Inputs = 2)] [Dense(1)] public abstract partial record Model;" },
        { "a record declared with the class keyword", "[Network(Inputs = 2)] [Dense(1)] public partial record class Model;" },
        { "a positional record", "[Network(Inputs = 2)] [Dense(1)] public partial record Model(string Name, int Version = 1);" },
        { "a class with a primary constructor", "[Network(Inputs = 2)] [Dense(1)] public partial class Model(string name) { public string Name => name; }" },
        { "a class with an empty primary constructor", "[Network(Inputs = 2)] [Dense(1)] public partial class Model();" },
        { "a class with a primary constructor of one int", "[Network(Inputs = 2)] [Dense(1)] public partial class Model(int size) { public int Size => size; }" },
        { "a class with a required member", "[Network(Inputs = 2)] [Dense(1)] public partial class Model { public required string Name { get; init; } }" },
        { "a record with a required member", "[Network(Inputs = 2)] [Dense(1)] public partial record Model { public required int Version { get; init; } }" },
        { "a class with its own constructors", "[Network(Inputs = 2)] [Dense(1)] public partial class Model { public Model(string name) : this(name.Length) { } static Model() { } ~Model() { } }" },
        { "a user constructor taking an int", "[Network(Inputs = 2)] [Dense(1)] public partial class Model { public {|SN0011:Model|}(int size) { } }" },
        { "a user parameterless constructor", "[Network(Inputs = 2)] [Dense(1)] public partial class Model { public {|SN0011:Model|}() { } }" },
        { "partial over several files", "[Network(Inputs = 2)] [Dense(4, Activation.ReLU)] [Dense(1)] public partial class Model { public int A; }" + FileSeparator + "public partial class Model { public int B; }" + FileSeparator + "public sealed partial class Model : System.IDisposable { public void Dispose() { } }" },
        { "the network attribute and the layers on different declarations", "[Network(Inputs = 2)] public partial class Model;" + FileSeparator + "[Dense(4, Activation.Tanh)] [Dense(1)] public partial class Model;" },
        { "the network attribute on two partial declarations", "// compiler: CS0579\n[Network(Inputs = 2)] [Dense(1)] public partial class Model;" + FileSeparator + "[Network(Inputs = 2)] public partial class Model;" },

        // Inheritance and interfaces.
        { "an ordinary base class", "public class Base { public string Name { get; set; } = \"\"; protected void Log() { } } [Network(Inputs = 2)] [Dense(1)] public partial class Model : Base;" },
        { "an abstract base class", "public abstract class Base { public abstract int Version { get; } } [Network(Inputs = 2)] [Dense(1)] public partial class Model : Base { public override int Version => 1; }" },
        { "a base class from the BCL", "[Network(Inputs = 2)] [Dense(1)] public partial class Model : System.Collections.Generic.List<int>;" },
        { "a base class with private members of generated names", "public class Base { private int Predict() => 0; private int Shape = 1; public int Get() => Predict() + Shape; } [Network(Inputs = 2)] [Dense(1)] public partial class Model : Base;" },
        { "a base class with a protected member of a generated name", "public class Base { protected int Parameters; } [Network(Inputs = 2)] [Dense(1)] public partial class Model : {|SN0011:Base|};" },
        { "a base class two levels up with a generated name", "public class Root { public void Summary() { } } public class Base : Root; [Network(Inputs = 2)] [Dense(1)] public partial class Model : {|SN0011:Base|};" },
        { "a base class without a parameterless constructor", "public class Base(string name) { public string Name => name; } [Network(Inputs = 2)] [Dense(1)] public partial class Model : {|SN0015:Base|} { public Model(string name, bool b) : base(name) { } }" },
        { "a base class whose parameterless constructor is private", "public class Base { private Base() { } public Base(int x) { } } [Network(Inputs = 2)] [Dense(1)] public partial class Model : {|SN0015:Base|} { public Model(string name) : base(name.Length) { } }" },
        { "a base class whose constructor has only optional parameters", "public class Base { public Base(int size = 4, params string[] names) { } } [Network(Inputs = 2)] [Dense(1)] public partial class Model : Base;" },
        { "a primary constructor that passes the base's arguments", "public class Base(string name) { public string Name => name; } [Network(Inputs = 2)] [Dense(1)] public partial class Model(string name) : Base(name);" },
        { "a base class whose parameterless constructor is protected", "public abstract class Base { protected Base() { } } [Network(Inputs = 2)] [Dense(1)] public partial class Model : Base;" },
        { "a network derived from a network", "[Network(Inputs = 2)] [Dense(1)] public partial class Base; [Network(Inputs = 2)] [Dense(1)] public partial class Model : {|SN0014:Base|};" },
        { "a network derived from a class derived from a network", "[Network(Inputs = 2)] [Dense(1)] public partial class Root; public partial class Base : Root; [Network(Inputs = 2)] [Dense(1)] public partial class Model : {|SN0014:Base|};" },
        { "an ordinary class derived from a network", "[Network(Inputs = 2)] [Dense(1)] public partial class Base; public sealed class Model : Base { public Model() : base(3) { } }" },
        { "an interface with a member of a generated name", "public interface IScorer { float Predict(float[] x); } [Network(Inputs = 2)] [Dense(1)] public partial class Model : IScorer { public float {|SN0011:Predict|}(float[] x) => 0; }" },
        { "an ordinary interface", "public interface INamed { string Name { get; } } [Network(Inputs = 2)] [Dense(1)] public partial class Model : INamed, System.IDisposable { public string Name => \"m\"; public void Dispose() { } }" },

        // Member clashes.
        { "a field named Input", "[Network(Inputs = 2)] [Dense(1)] public partial class Model { private int {|SN0011:Input|}; }" },
        { "an overload of Predict", "[Network(Inputs = 2)] [Dense(1)] public partial class Model { public float {|SN0011:Predict|}(int x) => x; }" },
        { "an escaped member name", "[Network(Inputs = 2)] [Dense(1)] public partial class Model { public void {|SN0011:@Predict|}() { } }" },
        { "a property named Shape", "[Network(Inputs = 2)] [Dense(1)] public partial class Model { public int {|SN0011:Shape|} { get; } }" },
        { "a constant named InputSize", "[Network(Inputs = 2)] [Dense(1)] public partial class Model { public const int {|SN0011:InputSize|} = 2; }" },
        { "an event named Load", "[Network(Inputs = 2)] [Dense(1)] public partial class Model { public event System.Action? {|SN0011:Load|}; }" },
        { "ordinary members beside the generated ones", "[Network(Inputs = 2)] [Dense(1)] public partial class Model { public override string ToString() => \"m\"; public int Seed { get; set; } public float Score(float a, float b) { var o = Predict(new Input(a, b)); return o[0]; } }" },

        // Attribute forms.
        { "named arguments in reverse order", "[Network(Inputs = 2)] [Dense(activation: Activation.ReLU, units: 3)] [Dense(1)] public partial class Model;" },
        { "reversed named arguments with units below one", "[Network(Inputs = 2)] [Dense(activation: Activation.ReLU, {|SN0004:units: 0|})] public partial class Model;" },
        { "reversed named arguments with an undefined activation", "[Network(Inputs = 2)] [Dense({|SN0006:activation: (Activation)42|}, units: 3)] public partial class Model;" },
        { "a named activation with Softmax before the last layer", "[Network(Inputs = 2)] [Dense(units: 3, {|SN0005:activation: Activation.Softmax|})] [Dense(1)] public partial class Model;" },
        { "a positional unit and a named activation", "[Network(Inputs = 2)] [Dense(3, activation: Activation.Tanh)] [Dense(units: 1)] public partial class Model;" },
        { "constant expressions", "[Network(Inputs = sizeof(double) - 6)] [Dense(Hidden * 2 + 1, (Activation)1)] [Dense((int)Activation.Sigmoid - 2)] public partial class Model { private const int Hidden = 3; }" },
        { "constants of another class", "public static class Sizes { public const int In = 3, Hidden = In * 4; } [Network(Inputs = Sizes.In)] [Dense(Sizes.Hidden, Activation.GELU)] [Dense(1)] public partial class Model;" },
        { "aliases of both attributes", "using NN = StaticNet.NetworkAttribute; using Layer = StaticNet.DenseAttribute; [NN(Inputs = 2)] [Layer(4, Activation.ReLU)] [Layer(1)] public partial class Model;" },
        { "a global alias in another file", "[Net(Inputs = 2)] [Dense(1)] public partial class Model;" + FileSeparator + "global using Net = StaticNet.NetworkAttribute;" },
        { "fully qualified attribute names", "[global::StaticNet.NetworkAttribute(Inputs = 2)] [StaticNet.Dense(4)] [global::StaticNet.DenseAttribute(1, global::StaticNet.Activation.Sigmoid)] public partial class Model;" },
        { "all attributes in one list", "[Network(Inputs = 2), Dense(4, Activation.ReLU), Dense(1)] public partial class Model;" },
        { "an explicit type target", "[type: Network(Inputs = 2)] [type: Dense(1)] public partial class Model;" },
        { "layers before the network attribute", "[Dense(4, Activation.ReLU)] [Network(Inputs = 2)] [Dense(1)] public partial class Model;" },
        { "other attributes between the layers", "[Network(Inputs = 2)] [Dense(4, Activation.ReLU)] [System.Serializable] [System.Obsolete(\"old\")] [Dense(1)] public partial class Model;" },
        { "inputs below one", "[Network({|SN0002:Inputs = -1|})] [Dense(1)] public partial class Model;" },
        { "inputs not set", "[{|SN0002:Network|}] [Dense(1)] public partial class Model;" },
        { "inputs set twice", "// compiler: CS0643\n[Network(Inputs = 2, Inputs = 3)] [Dense(1)] public partial class Model;" },

        // Size limits.
        { "the most layers the budget allows", "[Network(Inputs = 2)]" + string.Concat(Enumerable.Repeat("[Dense(2, Activation.Tanh)]", 63)) + "[Dense(1)] public partial class Model;" },
        { "one layer more than the budget allows", "[Network(Inputs = 2)]" + string.Concat(Enumerable.Repeat("[Dense(2, Activation.Tanh)]", 64)) + "[Dense(1)] public partial class {|SN0009:Model|};" },
        { "the most inputs the budget allows", "[Network(Inputs = 1 << 20)] [Dense(1)] public partial class Model;" },
        { "one input more than the budget allows", "[Network(Inputs = (1 << 20) + 1)] [Dense(1)] public partial class {|SN0009:Model|};" },
        { "the widest layer the budget allows", "[Network(Inputs = 1)] [Dense(1 << 14, Activation.ReLU)] [Dense(1)] public partial class Model;" },
        { "a layer one unit wider than the budget allows", "[Network(Inputs = 1)] [Dense((1 << 14) + 1)] public partial class {|SN0009:Model|};" },
        { "the widest typed input", "[Network(Inputs = 4096)] [Dense(3, Activation.Softmax)] public partial class Model;" },
        { "one input wider than the typed input", "[Network(Inputs = 4097)] [Dense(3)] public partial class Model;" },

        // Language versions.
        { "the oldest language version the generated code needs", "// langversion: 12\n[Network(Inputs = 2)] [Dense(4, Activation.ReLU)] [Dense(1)] public partial class Model;" },
        { "a language version older than the generated code needs", "// langversion: 11\n[Network(Inputs = 2)] [Dense(1)] public partial class {|SN0016:Model|} { }" },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Every_declaration_compiles_clean_and_runs_or_gets_its_diagnostic(string form, string declaration)
    {
        Assert.False(string.IsNullOrEmpty(form));
        Case @case = Case.Parse(declaration);

        foreach (NullableContextOptions nullable in new[] { NullableContextOptions.Enable, NullableContextOptions.Disable })
        {
            (Compilation output, ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult result) = Run(@case, nullable);

            Assert.All(result.Results, r => Assert.Null(r.Exception));
            var generated = result.GeneratedTrees.ToHashSet();
            AssertNone(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && generated.Contains(d.Location.SourceTree!)));
            Assert.Equal(
                @case.Expected.OrderBy(e => e.ToString()),
                diagnostics.Select(d => new ExpectedDiagnostic(d.Id, d.Location.SourceTree?.FilePath ?? "", d.Location.SourceSpan)).OrderBy(e => e.ToString()));

            if (@case.CompilerError is { } compilerError)
            {
                Assert.Contains(output.GetDiagnostics(), d => d.Id == compilerError);
                continue;
            }

            AssertNone(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            if (@case.Expected.Count == 0 && nullable == NullableContextOptions.Enable)
            {
                Assert.NotEmpty(result.GeneratedTrees);
                RunEveryNetwork(output);
            }
        }
    }

    /// <summary>Every name the generator writes into a two-layer network, from the generator's own list.</summary>
    public static TheoryData<string> GeneratedNames() => [.. StaticNet.Generator.GeneratedMembers.Names(layerCount: 2, trained: false)];

    [Theory]
    [MemberData(nameof(GeneratedNames))]
    public void A_class_or_a_member_named_like_any_generated_member_gets_its_diagnostic(string name)
    {
        foreach (string declaration in new[]
        {
            $"[Network(Inputs = 2)] [Dense(3, Activation.ReLU)] [Dense(1)] public partial class {{|SN0013:{name}|}};",
            $"[Network(Inputs = 2)] [Dense(3, Activation.ReLU)] [Dense(1)] public partial class Model {{ private static int {{|SN0011:{name}|}}; }}",
            $"[Network(Inputs = 2)] [Dense(3, Activation.ReLU)] [Dense(1)] public partial class Model {{ public sealed class {{|SN0011:{name}|}}; }}",
            $"public abstract class Base {{ protected void {name}() {{ }} }} [Network(Inputs = 2)] [Dense(3, Activation.ReLU)] [Dense(1)] public partial class Model : {{|SN0011:Base|}};",
        })
        {
            Case @case = Case.Parse(declaration);
            (Compilation output, ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult result) = Run(@case, NullableContextOptions.Enable);
            Assert.All(result.Results, r => Assert.Null(r.Exception));
            Assert.Empty(result.GeneratedTrees);
            Assert.Equal(
                @case.Expected.Select(e => e.ToString()),
                diagnostics.Select(d => new ExpectedDiagnostic(d.Id, d.Location.SourceTree?.FilePath ?? "", d.Location.SourceSpan).ToString()));
        }
    }

    private static void AssertNone(IEnumerable<Diagnostic> diagnostics)
    {
        string[] found = diagnostics.Select(d => d.ToString()).ToArray();
        Assert.True(found.Length == 0, string.Join("\n", found.Take(5)));
    }

    private static (Compilation, ImmutableArray<Diagnostic>, GeneratorDriverRunResult) Run(Case @case, NullableContextOptions nullable)
    {
        CSharpParseOptions parseOptions = GeneratorHarness.ParseOptions
            .WithLanguageVersion(@case.LanguageVersion)
            .WithDocumentationMode(DocumentationMode.Diagnose);
        CSharpCompilation compilation = GeneratorHarness.Compile(parseOptions, [.. @case.Sources])
            .WithOptions(new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: nullable,
                warningLevel: 9999,
                allowUnsafe: true));
        GeneratorDriver driver = GeneratorHarness.CreateDriver(parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return (output, diagnostics, driver.GetRunResult());
    }

    /// <summary>Creates every generated network that can be created and checks that it predicts finite values.</summary>
    private static void RunEveryNetwork(Compilation output)
    {
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));

        var context = new AssemblyLoadContext("corpus", isCollectible: true);
        try
        {
            image.Position = 0;
            Assembly assembly = context.LoadFromStream(image);
            var networks = assembly.GetTypes().Where(t => t.GetCustomAttribute<NetworkAttribute>() is not null).ToList();
            Assert.NotEmpty(networks);
            foreach (Type type in networks.Where(t => !t.IsAbstract))
            {
                INetwork network = Create(type);
                Assert.Contains(network.Parameters.ToArray(), p => p != 0);
                float[] input = Enumerable.Range(0, network.Shape.Inputs).Select(i => (float)Math.Sin(i)).ToArray();
                float[] prediction = new float[network.Shape.Outputs];
                network.Predict(input, prediction);
                Assert.All(prediction, p => Assert.True(float.IsFinite(p), $"{type.Name} predicted {p}"));
                AssertLoadRoundTrips(type, network, input, prediction);
            }
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>
    /// <c>Load</c> exists exactly where <c>new()</c> can create the network, and then reads back what
    /// <c>Save</c> wrote; elsewhere <c>ModelFile.LoadInto</c> serves.
    /// </summary>
    private static void AssertLoadRoundTrips(Type type, INetwork network, float[] input, float[] prediction)
    {
        bool creatable = type.GetConstructor(Type.EmptyTypes) is not null && type.GetCustomAttribute<System.Runtime.CompilerServices.RequiredMemberAttribute>() is null;
        MethodInfo? load = type.GetMethod("Load", BindingFlags.Public | BindingFlags.Static, [typeof(string)]);
        Assert.Equal(creatable, load is not null);

        using var directory = new TemporaryDirectory();
        string path = Path.Combine(directory.Path, "model.safetensors");
        network.Save(path);
        INetwork loaded;
        if (load is not null)
        {
            loaded = (INetwork)load.Invoke(null, [path])!;
        }
        else
        {
            loaded = Create(type);
            ModelFile.LoadInto(loaded, path);
        }

        float[] again = new float[prediction.Length];
        loaded.Predict(input, again);
        Assert.Equal(prediction, again);
    }

    /// <summary>Creates a network through its shortest constructor other than a record's copy constructor, with placeholder arguments.</summary>
    private static INetwork Create(Type type)
    {
        ConstructorInfo constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .Where(c => c.GetParameters() is not [{ } only] || only.ParameterType != type)
            .OrderBy(c => c.GetParameters().Length)
            .First();
        object?[] arguments = constructor.GetParameters().Select(p => p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : "name").ToArray();
        return (INetwork)constructor.Invoke(arguments);
    }

    private sealed record ExpectedDiagnostic(string Id, string File, TextSpan Span)
    {
        public override string ToString() => $"{Id} {File} {Span}";
    }

    /// <summary>One corpus entry: its files with the markup removed, the diagnostics the markup marks, and its settings.</summary>
    private sealed record Case(IReadOnlyList<string> Sources, IReadOnlyList<ExpectedDiagnostic> Expected, string? CompilerError, LanguageVersion LanguageVersion)
    {
        public static Case Parse(string declaration)
        {
            var sources = new List<string>();
            var expected = new List<ExpectedDiagnostic>();
            string[] files = declaration.Split(FileSeparator);
            for (int f = 0; f < files.Length; f++)
            {
                // One global using serves every file, and lets a file of the case begin with its own.
                sources.Add(RemoveMarkup((f == 0 ? "global using StaticNet;\n" : "") + files[f], $"Source{f}.cs", expected));
            }

            string? compilerError = CompilerErrorPattern().Match(declaration) is { Success: true } error ? error.Groups[1].Value : null;
            LanguageVersion version = LanguageVersion.Latest;
            if (LanguageVersionPattern().Match(declaration) is { Success: true } match)
            {
                Assert.True(LanguageVersionFacts.TryParse(match.Groups[1].Value, out version));
            }

            return new Case(sources, expected, compilerError, version);
        }

        /// <summary>Removes <c>{|ID:text|}</c> markup, nested or not, recording each marked span.</summary>
        private static string RemoveMarkup(string text, string file, List<ExpectedDiagnostic> expected)
        {
            var result = new System.Text.StringBuilder();
            var open = new Stack<(string Id, int Start)>();
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '{' && i + 1 < text.Length && text[i + 1] == '|')
                {
                    int colon = text.IndexOf(':', i);
                    open.Push((text.Substring(i + 2, colon - i - 2), result.Length));
                    i = colon;
                }
                else if (text[i] == '|' && i + 1 < text.Length && text[i + 1] == '}' && open.Count > 0)
                {
                    (string id, int start) = open.Pop();
                    expected.Add(new ExpectedDiagnostic(id, file, TextSpan.FromBounds(start, result.Length)));
                    i++;
                }
                else
                {
                    result.Append(text[i]);
                }
            }

            return result.ToString();
        }
    }

    [GeneratedRegex(@"// compiler: (CS\d{4})")]
    private static partial Regex CompilerErrorPattern();

    [GeneratedRegex(@"// langversion: (\d+)")]
    private static partial Regex LanguageVersionPattern();
}
