using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticNet.Generator.Model;
using StaticNet.Generator.TrainedWeights;

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

        // Each weights file is read and checked once per change of its text, whichever declarations name it.
        IncrementalValuesProvider<WeightsFile> weightsFiles = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(WeightsText.Extension, StringComparison.OrdinalIgnoreCase))
            .Select(static (text, cancellationToken) => WeightsText.Read(text.GetText(cancellationToken), cancellationToken))
            .Where(static file => file is not null)
            .Select(static (file, _) => file!)
            .WithTrackingName(TrackingNames.WeightsFiles);

        IncrementalValuesProvider<ParseResult> resolved = parsed
            .Combine(weightsFiles.Collect())
            .Select(static (pair, _) => CompileInWeights(pair.Left, pair.Right));

        // Diagnostics travel on their own output so that the source output depends on the
        // value-equatable network model alone and stays cached while only locations move.
        context.RegisterSourceOutput(resolved.Select(static (result, _) => result.Diagnostics), Report);
        context.RegisterSourceOutput(orphanLayers, Report);

        IncrementalValuesProvider<NetworkSpec> networks = resolved
            .Select(static (result, _) => result.Network)
            .Where(static network => network is not null)
            .Select(static (network, _) => network!)
            .WithTrackingName(TrackingNames.Model);
        context.RegisterSourceOutput(networks, static (output, network) =>
        {
            output.AddSource(network.HintName, NetworkEmitter.Emit(network));
            if (network.Trained is not null)
            {
                output.AddSource(HintNames.TrainedData(network.HintName), NetworkEmitter.EmitTrainedData(network));
            }
        });
    }

    /// <summary>Matches a declaration's <c>Weights</c> file and adds its parameters to the network, or the reason they cannot be.</summary>
    private static ParseResult CompileInWeights(ParseResult parsed, ImmutableArray<WeightsFile> files)
    {
        if (parsed.Network is not { WeightsPath: { } path } network)
        {
            return parsed;
        }

        WeightsMatch match = WeightsMatcher.Match(network, path, files);
        ImmutableArray<Diagnostic> diagnostics = parsed.Diagnostics;
        foreach (WeightsMessage? message in new[] { match.Problem, match.Warning })
        {
            if (message is not null)
            {
                diagnostics = diagnostics.Add(Diagnostic.Create(message.Descriptor, parsed.WeightsLocation, message.Arguments));
            }
        }

        return parsed with { Network = network with { Trained = match.Trained }, Diagnostics = diagnostics };
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
    public const string WeightsFiles = "StaticNet.WeightsFiles";
}
