using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticNet.Generator;
using Xunit;

namespace StaticNet.Tests.Generator;

public class GeneratorTests
{
    public static IEnumerable<object[]> Shapes() =>
    [
        ["[Dense(5, Activation.ReLU)] [Dense(1, Activation.Sigmoid)]", 2],
        ["[Dense(64, Activation.ReLU)] [Dense(64, Activation.ReLU)] [Dense(4)]", 16],
        ["[Dense(256, Activation.ReLU)] [Dense(128, Activation.ReLU)] [Dense(10, Activation.Softmax)]", 784],
        ["[Dense(1, Activation.Linear)]", 1],
        ["[Dense(3, Activation.GELU)] [Dense(33, Activation.ELU)] [Dense(7, Activation.SiLU)] [Dense(2, Activation.Softplus)]", 100],
    ];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Generated_code_compiles_without_warnings(string layers, int inputs)
    {
        string source = $$"""
            using StaticNet;
            namespace App.Models;
            [Network(Inputs = {{inputs}})]
            {{layers}}
            public partial class Model;
            """;

        (Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics) = Run(source);

        Assert.Empty(generatorDiagnostics);
        Assert.Single(output.SyntaxTrees, t => t.FilePath.EndsWith("App.Models.Model.g.cs", StringComparison.Ordinal));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Networks_in_the_global_namespace_and_nested_in_partial_types_compile()
    {
        string source = """
            using StaticNet;
            [Network(Inputs = 3)] [Dense(4, Activation.Tanh)]
            partial class Global;
            namespace Outer
            {
                public static partial class Models
                {
                    internal partial struct Holder
                    {
                        [Network(Inputs = 3)] [Dense(4, Activation.Tanh)]
                        private sealed partial class Inner;
                    }
                }
            }
            """;

        (Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics) = Run(source);

        Assert.Empty(generatorDiagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void A_declaration_the_compiler_rejects_gets_no_generator_diagnostic_and_no_output()
    {
        (Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics) =
            Run("using StaticNet;\n[Network(Inputs = 2)] [Dense(\"five\")] public partial class Model;");

        Assert.Empty(generatorDiagnostics);
        Assert.DoesNotContain(output.SyntaxTrees, t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void Constants_declared_elsewhere_size_the_network()
    {
        string source = """
            using StaticNet;
            static class Sizes { public const int Hidden = 2 * 6; public const int Features = 3; }
            [Network(Inputs = Sizes.Features)] [Dense(Sizes.Hidden, Activation.ReLU)] [Dense(Sizes.Hidden / 4)]
            public partial class Model;
            """;

        (Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics) = Run(source);

        Assert.Empty(generatorDiagnostics);
        string generated = output.SyntaxTrees.Single(t => t.FilePath.EndsWith("Model.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Contains("public const int InputSize = 3;", generated);
        Assert.Contains("public const int OutputSize = 3;", generated);
        Assert.Contains("public const int ParameterCount = 87;", generated);
    }

    [Fact]
    public void The_generators_activation_mirror_matches_the_runtime_enum()
    {
        Assert.Equal(
            Enum.GetValues<Activation>().Select(a => (a.ToString(), (int)a)),
            Enum.GetValues<StaticNet.Generator.Model.ActivationKind>().Select(a => (a.ToString(), (int)a)));
    }

    private static (Compilation Output, ImmutableArray<Diagnostic> Diagnostics) Run(string source)
    {
        (Compilation output, ImmutableArray<Diagnostic> diagnostics, _) = GeneratorHarness.Run(source);
        return (output, diagnostics);
    }
}
