using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Xunit;

namespace StaticNet.Tests.Generator;

/// <summary>
/// Declarations as they look while being typed, or broken: the generator must never throw, never
/// add an error to a file it generated, and report its own diagnostic where one is due.
/// </summary>
public class RobustnessTests
{
    public static IEnumerable<object?[]> Corpus() =>
    [
        // source, the generator diagnostic due (null: none; the compiler reports the problem)
        ["[Network(Inputs = 2)] [Dense()] public partial class M;", null],
        ["[Network(Inputs = 2)] [Dense(] public partial class M;", null],
        ["[Network(Inputs = 2)] [Dense(4, Activation.)] public partial class M;", null],
        ["[Network(Inputs = 2)] [Dense(4, Activation.Rulu)] public partial class M;", null],
        ["[Network(Inputs = 2)] [Dense(\"4\")] public partial class M;", null],
        ["[Network(Inputs = 2)] [Dense(4.5f)] public partial class M;", null],
        ["[Network(Inputs = \"two\")] [Dense(1)] public partial class M;", null],
        ["[Network(Inputs = 2, Outputs = 3)] [Dense(1)] public partial class M;", null],
        ["[Network(Inputs = )] [Dense(1)] public partial class M;", null],
        ["[Network(Inputs = 2)] [Dense(1)] public partial class", null],
        ["[Network(Inputs = 2)] [Dense(1)] public partial class M {", null],
        ["[Network(Inputs = 2)] [Dense(1)] public partial class M : IMissing;", null],
        ["[Network(Inputs = 2)] [Dense(1)] public partial class M { void F() { int x = } }", null],
        ["[Network(Inputs = 2)] [Dense(Undefined.Width)] public partial class M;", null],
        ["[Network(Inputs = 2)] [Dense(1, Activation.Sigmoid, 3)] public partial class M;", null],
        ["[Network(Inputs = 2)] [Dense(1)] public partial interface M;", null],
        ["[Network(Inputs = 2)] [Dense(1)] public partial struct M;", null],
        ["[Network(Inputs = 2)] [Dense(1)] public enum M { A }", null],
        ["[Network(Inputs = 2)] [Dense(1)] public partial record M;", null],
        ["[Network(Inputs = 2)] [Dense(1)] public partial record struct M;", null],
        ["[Network(Inputs = Width)] [Dense(Width * 2)] [Dense(1)] public partial class M { const int Width = 3; }", null],
        ["[Network(Inputs = int.MaxValue)] [Dense(int.MaxValue)] public partial class M;", "SN0009"],
        ["[Network(Inputs = 2)] [Dense(1 << 14)] [Dense(1 << 14)] [Dense(1)] public partial class M;", "SN0009"],
        ["[Network(Inputs = 2)] [Dense(-2147483648)] public partial class M;", "SN0004"],
        ["[Network(Inputs = 2)] [Dense(4, (Activation)(-1))] public partial class M;", "SN0006"],
        ["[Network(Inputs = 0)] public partial class M;", "SN0002"],
        ["[Network(Inputs = 2)] [Network(Inputs = 3)] [Dense(1)] public partial class M;", null],
        ["[Dense(1)] public partial struct M;", "SN0010"],
        ["[Network(Inputs = 2)] [Dense(1)] file partial class M;", "SN0012"],
        ["[Network(Inputs = 2)] [Dense(1)] public abstract partial class M;", null],
        ["[Network(Inputs = 2)] [Dense(1)] public sealed partial class M { public void Train() { } }", null],
        ["[Network(Inputs = 2)] [Dense(1)] public partial class M { public partial void Hook(); }", null],
    ];

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Broken_declarations_never_crash_the_generator_or_break_generated_code(string declaration, string? expectedDiagnostic)
    {
        (Compilation output, ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult result) =
            GeneratorHarness.Run("using StaticNet;\n" + declaration);

        Assert.All(result.Results, r => Assert.Null(r.Exception));
        var generatedFiles = result.GeneratedTrees.Select(t => t.FilePath).ToHashSet();
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error && generatedFiles.Contains(d.Location.SourceTree?.FilePath ?? ""));
        if (expectedDiagnostic is null)
        {
            Assert.Empty(diagnostics);
        }
        else
        {
            Assert.Contains(diagnostics, d => d.Id == expectedDiagnostic);
        }
    }

    [Fact]
    public void Constants_from_another_file_and_const_expressions_size_the_network()
    {
        (Compilation output, ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult result) = GeneratorHarness.Run(
            "namespace App; public static class Sizes { public const int In = 4; public const int Hidden = In * 8 - 1; }",
            "using StaticNet; using App; [Network(Inputs = Sizes.In)] [Dense(Sizes.Hidden, Activation.GELU)] [Dense(sizeof(int))] public partial class M;");

        Assert.Empty(diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        string generated = Assert.Single(result.GeneratedTrees).ToString();
        Assert.Contains("public const int ParameterCount = 283;", generated);
    }
}
