using System.Collections.Immutable;
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
            static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
            NetworkParser.Parse)
            .WithTrackingName(TrackingNames.Parse);

        IncrementalValuesProvider<ImmutableArray<Diagnostic>> orphanLayers = context.SyntaxProvider.ForAttributeWithMetadataName(
            NetworkParser.DenseAttributeName,
            static (node, _) => node is TypeDeclarationSyntax,
            NetworkParser.ParseOrphanLayers);

        // Diagnostics travel on their own output so that the source output depends on the
        // value-equatable network model alone and stays cached while only locations move.
        context.RegisterSourceOutput(parsed.Select(static (result, _) => result.Diagnostics), Report);
        context.RegisterSourceOutput(orphanLayers, Report);

        IncrementalValuesProvider<NetworkSpec> networks = parsed
            .Select(static (result, _) => result.Network)
            .Where(static network => network is not null)
            .Select(static (network, _) => network!)
            .WithTrackingName(TrackingNames.Model);
        context.RegisterSourceOutput(networks, static (output, network) => output.AddSource(network.HintName, NetworkEmitter.Emit(network)));
    }

    private static void Report(SourceProductionContext output, ImmutableArray<Diagnostic> diagnostics)
    {
        foreach (Diagnostic diagnostic in diagnostics)
        {
            output.ReportDiagnostic(diagnostic);
        }
    }
}

/// <summary>Names of the pipeline steps, for tests that check what the incremental driver cached.</summary>
internal static class TrackingNames
{
    public const string Parse = "StaticNet.Parse";
    public const string Model = "StaticNet.Model";
}
