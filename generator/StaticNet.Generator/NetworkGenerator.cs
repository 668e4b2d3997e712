using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticNet.Generator.Model;

namespace StaticNet.Generator;

/// <summary>
/// Generates the forward and backward passes, optimizer steps and prediction API of every
/// partial class marked with [Network] and [Dense] attributes.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult> parsed = context.SyntaxProvider.ForAttributeWithMetadataName(
            NetworkParser.NetworkAttributeName,
            static (node, _) => node is ClassDeclarationSyntax,
            NetworkParser.Parse);

        // Diagnostics travel on their own output so that the source output depends on the
        // value-equatable network model alone and stays cached while only locations move.
        context.RegisterSourceOutput(
            parsed.Select(static (result, _) => result.Diagnostics),
            static (output, diagnostics) =>
            {
                foreach (Diagnostic diagnostic in diagnostics)
                {
                    output.ReportDiagnostic(diagnostic);
                }
            });

        context.RegisterSourceOutput(
            parsed.Select(static (result, _) => result.Network).Where(static network => network is not null),
            static (output, network) => output.AddSource(network!.HintName, NetworkEmitter.Emit(network)));
    }
}
