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
        "'{0}' is {1}, so the generated part of the network, in a file of its own, cannot extend it; {2}");

    public static readonly DiagnosticDescriptor NameOfGeneratedMember = Create(
        "SN0013",
        "Network type named like a generated member",
        "'{0}' is also the name of a member StaticNet generates in every network, and a member cannot share its type's name; rename the class, e.g. '{0}Network'");

    public static readonly DiagnosticDescriptor DerivesFromNetwork = Create(
        "SN0014",
        "Network derives from another network",
        "'{0}' derives from '{1}', which is a network, so every generated member of '{0}' would hide one of '{1}'; derive both from a common base class that is not a network, or hold a '{1}' in a field");

    public static readonly DiagnosticDescriptor BaseWithoutParameterlessConstructor = Create(
        "SN0015",
        "Base class needs a parameterless constructor",
        "The generated constructors of '{0}' call 'base()', but '{1}' has no accessible constructor that takes no arguments; give '{1}' one, or declare a primary constructor that passes its arguments, e.g. 'partial class {0}(string name) : {1}(name)'");

    public static readonly DiagnosticDescriptor LanguageVersionTooLow = Create(
        "SN0016",
        "C# 12 or later is needed",
        "The code generated for '{0}' needs C# 12 or later, and this project compiles C# {1}; set <LangVersion>12</LangVersion> or later in the project file");

    public static readonly DiagnosticDescriptor WeightsNotFound = Create(
        "SN0017",
        "Weights file not in the project",
        "'{0}' names the weights file '{1}', which is not among the project's additional files; add <AdditionalFiles Include=\"{1}\" /> to the project file, with the path relative to it{2}");

    public static readonly DiagnosticDescriptor WeightsDamaged = Create(
        "SN0018",
        "Weights file cannot be read",
        "The weights file '{0}' of '{1}' cannot be compiled in: {2}");

    public static readonly DiagnosticDescriptor WeightsMismatch = Create(
        "SN0019",
        "Weights file holds another architecture",
        "The weights file '{0}' does not fit '{1}', which is {2}: {3}");

    public static readonly DiagnosticDescriptor WeightsNotFinite = Create(
        "SN0020",
        "Weights file holds a value that is not finite",
        "The weights file '{0}' of '{1}' cannot be compiled in: {2}; parameters must be finite");

    public static readonly DiagnosticDescriptor WeightsTooLarge = Create(
        "SN0021",
        "Weights file too large to compile in",
        "The weights file '{0}' of '{1}' is {2} bytes, over the limit of {3} bytes for weights compiled into an assembly; load it at run time with ModelFile.Load instead");

    public static readonly DiagnosticDescriptor WeightsScalingNotApplied = Create(
        "SN0022",
        "Compiled-in weights come with a feature scaling",
        "The weights file '{0}' of '{1}' holds a feature scaling ({2}), which a network with compiled-in weights does not apply; scale its inputs as in training, or load the file at run time with ScaledNetwork<{1}>.Load",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor DropoutRateOutOfRange = Create(
        "SN0023",
        "Dropout rate outside [0, 1)",
        "Dropout {0} of '{1}' has rate {2}; a rate is the share of values dropped, from 0 up to but not including 1, e.g. 0.2");

    public static readonly DiagnosticDescriptor DropoutAfterLastLayer = Create(
        "SN0024",
        "Dropout after the last layer",
        "Dropout {0} of '{1}' comes after its last [Dense] layer, where it would drop outputs the loss compares with the targets; move it between two layers, or remove it");

    public static readonly DiagnosticDescriptor DropoutTwiceInARow = Create(
        "SN0025",
        "Two dropouts in a row",
        "Dropout {0} of '{1}' follows another [Dropout] with no [Dense] layer between them; declare one [Dropout] with the rate wanted");

    public static readonly DiagnosticDescriptor PenaltyOutOfRange = Create(
        "SN0026",
        "Weight penalty negative or not finite",
        "Layer {0} of '{1}' has {2} = {3}; a weight penalty is finite and not negative, e.g. 0.001, or 0 for none");

    public static readonly DiagnosticDescriptor UndefinedInitializer = Create(
        "SN0027",
        "Undefined initializer",
        "Layer {0} of '{1}' uses initializer value {2}, which is not a defined Initializer; use one of the Initializer members");

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true);
}
