using Microsoft.CodeAnalysis;

namespace StaticNet.Generator;

/// <summary>The diagnostics the generator reports. Ids are stable; docs/diagnostics.md explains each.</summary>
internal static class Diagnostics
{
    private const string Category = "StaticNet";

    public static readonly DiagnosticDescriptor NotPartial = Create(
        "SN0001",
        "Network type must be partial",
        "'{0}' must be declared partial so StaticNet can add the generated network to it; write 'partial class {0}'");

    public static readonly DiagnosticDescriptor InputsTooSmall = Create(
        "SN0002",
        "Network needs at least one input",
        "[Network] on '{0}' sets Inputs = {1}; a network needs at least one input, e.g. [Network(Inputs = 2)]");

    public static readonly DiagnosticDescriptor NoLayers = Create(
        "SN0003",
        "Network has no layers",
        "'{0}' declares no layers; add at least one [Dense(units, activation)] attribute after [Network]");

    public static readonly DiagnosticDescriptor UnitsTooSmall = Create(
        "SN0004",
        "Layer needs at least one unit",
        "Layer {0} of '{1}' has {2} units; a layer needs at least one, e.g. [Dense(8, Activation.ReLU)]");

    public static readonly DiagnosticDescriptor SoftmaxNotLast = Create(
        "SN0005",
        "Softmax only on the last layer",
        "Layer {0} of '{1}' uses Activation.Softmax, which is only allowed on the last layer; use Activation.ReLU or another element-wise activation here");

    public static readonly DiagnosticDescriptor UndefinedActivation = Create(
        "SN0006",
        "Activation is not defined",
        "Layer {0} of '{1}' uses activation value {2}, which is not a member of StaticNet.Activation; use a named member such as Activation.ReLU");

    public static readonly DiagnosticDescriptor LayersOnSeveralDeclarations = Create(
        "SN0007",
        "Layers spread over several partial declarations",
        "The [Dense] layers of '{0}' are spread over several partial declarations, so their order is ambiguous; put all of them on one declaration");

    public static readonly DiagnosticDescriptor GenericNotSupported = Create(
        "SN0008",
        "Generic network types are not supported",
        "'{0}' is generic or nested in a generic type, which StaticNet does not support; declare the network in a non-generic type");

    public static readonly DiagnosticDescriptor TooLarge = Create(
        "SN0009",
        "Network exceeds the size budget",
        "'{0}' {1}; the size budget is at most {2} layers, {3} inputs, {4} units per layer and {5} parameters in all");

    public static readonly DiagnosticDescriptor LayersWithoutNetwork = Create(
        "SN0010",
        "Layers without [Network]",
        "'{0}' has [Dense] layers but no [Network] attribute, so no network is generated; add [Network(Inputs = n)] before the layers");

    public static readonly DiagnosticDescriptor MemberCollision = Create(
        "SN0011",
        "Member name used by the generated network",
        "'{0}' declares or inherits '{1}', which StaticNet generates for the network; rename the member");

    public static readonly DiagnosticDescriptor UnsupportedTypeKind = Create(
        "SN0012",
        "Network type cannot be extended",
        "'{0}' is {1}, so the generated part cannot be added to it; declare the network as a non-static partial class");

    private static DiagnosticDescriptor Create(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
