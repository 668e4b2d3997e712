using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticNet.Generator;
using StaticNet.Generator.Model;
using Xunit;

namespace StaticNet.Tests.Generator;

/// <summary>The generator stays cheap while a user types: what did not change is not parsed into a new model or emitted again.</summary>
public class IncrementalTests
{
    private const string NetworkSource = """
        using StaticNet;
        namespace App;
        [Network(Inputs = 2)]
        [Dense(5, Activation.ReLU)]
        [Dense(1, Activation.Sigmoid)]
        public partial class Model
        {
            public int Helper() { return 1; }
        }
        """;

    private const string OtherSource = "namespace App; public static class Other { public static int Value() => 1; }";

    [Fact]
    public void Running_again_on_the_same_compilation_is_cached()
    {
        Compilation compilation = GeneratorHarness.Compile(NetworkSource, OtherSource);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        GeneratorRunResult result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        Assert.All(Reasons(result.TrackedSteps[TrackingNames.Parse]), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(Reasons(result.TrackedSteps[TrackingNames.Model]), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(OutputReasons(result), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void Editing_an_unrelated_file_leaves_the_model_and_output_cached()
    {
        Compilation compilation = GeneratorHarness.Compile(NetworkSource, OtherSource);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        GeneratorRunResult result = driver.RunGenerators(Edit(compilation, 1, "=> 1", "=> 2")).GetRunResult().Results.Single();

        Assert.All(Reasons(result.TrackedSteps[TrackingNames.Model]), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(OutputReasons(result), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void Editing_a_method_body_in_the_network_class_parses_again_but_emits_nothing_new()
    {
        Compilation compilation = GeneratorHarness.Compile(NetworkSource, OtherSource);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        GeneratorRunResult result = driver.RunGenerators(Edit(compilation, 0, "return 1;", "return 2;")).GetRunResult().Results.Single();

        // The class's syntax changed, so it is parsed again, but into an equal model.
        Assert.DoesNotContain(IncrementalStepRunReason.Cached, Reasons(result.TrackedSteps[TrackingNames.Parse]));
        Assert.All(Reasons(result.TrackedSteps[TrackingNames.Model]), r => Assert.Contains(r, new[] { IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Cached }));
        Assert.All(OutputReasons(result), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void Changing_a_layer_size_regenerates_the_network()
    {
        Compilation compilation = GeneratorHarness.Compile(NetworkSource, OtherSource);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        GeneratorDriverRunResult run = driver.RunGenerators(Edit(compilation, 0, "Dense(5,", "Dense(6,")).GetRunResult();
        GeneratorRunResult result = run.Results.Single();

        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(result.TrackedSteps[TrackingNames.Model]));
        Assert.Contains(IncrementalStepRunReason.Modified, OutputReasons(result));
        Assert.Contains("public const int ParameterCount = 25;", run.GeneratedTrees.Single().ToString());
    }

    [Fact]
    public void The_pipeline_model_holds_no_compiler_objects()
    {
        Type[] forbidden = [typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Compilation), typeof(SemanticModel), typeof(Location), typeof(AttributeData)];
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([typeof(NetworkSpec)]);
        while (pending.Count > 0)
        {
            Type type = pending.Pop();
            if (!seen.Add(type))
            {
                continue;
            }

            Assert.DoesNotContain(forbidden, f => f.IsAssignableFrom(type));
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                pending.Push(field.FieldType);
                foreach (Type argument in field.FieldType.GetGenericArguments())
                {
                    pending.Push(argument);
                }
            }
        }

        // The walk reached the layers and the arrays that hold them.
        Assert.Contains(typeof(LayerSpec), seen);
        Assert.Contains(typeof(EquatableArray<LayerSpec>), seen);
    }

    [Fact]
    public void Equal_declarations_parse_to_equal_models()
    {
        NetworkSpec First(string source) =>
            (NetworkSpec)GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(GeneratorHarness.Compile(source))
                .GetRunResult().Results.Single().TrackedSteps[TrackingNames.Model].Single().Outputs.Single().Value;

        Assert.Equal(First(NetworkSource), First(NetworkSource.Replace("return 1;", "return 3;")));
        Assert.NotEqual(First(NetworkSource), First(NetworkSource.Replace("Activation.ReLU", "Activation.Tanh")));
    }

    [Fact]
    public void Pragma_warning_disable_suppresses_a_diagnostic_because_it_points_into_source()
    {
        const string Declaration = "[Network(Inputs = 2)] [Dense(4, Activation.Softmax)] [Dense(1)] public partial class M;";
        (_, ImmutableArray<Diagnostic> reported, _) = GeneratorHarness.Run("using StaticNet;\n" + Declaration);
        (_, ImmutableArray<Diagnostic> suppressed, _) = GeneratorHarness.Run("using StaticNet;\n#pragma warning disable SN0005\n" + Declaration);

        Assert.Contains(reported, d => d.Id == "SN0005" && !d.IsSuppressed);
        Assert.DoesNotContain(suppressed, d => d.Id == "SN0005" && !d.IsSuppressed);
    }

    private static Compilation Edit(Compilation compilation, int tree, string from, string to)
    {
        SyntaxTree old = compilation.SyntaxTrees.ElementAt(tree);
        string text = old.ToString();
        Assert.Contains(from, text);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text.Replace(from, to), GeneratorHarness.ParseOptions, old.FilePath));
    }

    private static IEnumerable<IncrementalStepRunReason> Reasons(ImmutableArray<IncrementalGeneratorRunStep> steps) =>
        steps.SelectMany(s => s.Outputs).Select(o => o.Reason);

    private static IEnumerable<IncrementalStepRunReason> OutputReasons(GeneratorRunResult result) =>
        result.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).DefaultIfEmpty(IncrementalStepRunReason.New);
}
