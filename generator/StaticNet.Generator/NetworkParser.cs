using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticNet.Generator.Model;

namespace StaticNet.Generator;

/// <summary>
/// Reads a [Network] class into a <see cref="NetworkSpec"/>, or into diagnostics when the
/// declaration is invalid. Anything the compiler itself reports (a missing argument, a wrong
/// type) yields no network and no diagnostic of ours: the user sees the compiler's error.
/// </summary>
internal static class NetworkParser
{
    public const string NetworkAttributeName = "StaticNet.NetworkAttribute";
    public const string DenseAttributeName = "StaticNet.DenseAttribute";

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        if (type.TypeKind != TypeKind.Class || declaration.Identifier.IsMissing)
        {
            // A record struct, or a class still without a name: the compiler already reports it.
            return new ParseResult(null, ImmutableArray<Diagnostic>.Empty);
        }

        var diagnostics = new List<Diagnostic>();
        string name = type.Name;
        Location nameLocation = declaration.Identifier.GetLocation();

        if (IsGenericOrInGeneric(type))
        {
            diagnostics.Add(Create(Diagnostics.GenericNotSupported, nameLocation, name));
        }

        if (type.IsStatic || type.IsFileLocal)
        {
            diagnostics.Add(Create(Diagnostics.UnsupportedTypeKind, nameLocation, name, type.IsStatic ? "static" : "file-local"));
        }

        foreach (INamedTypeSymbol partialCandidate in SelfAndContainingTypes(type))
        {
            if (!AllDeclarationsArePartial(partialCandidate, cancellationToken))
            {
                Location location = partialCandidate.Equals(type, SymbolEqualityComparer.Default)
                    ? nameLocation
                    : partialCandidate.Locations.FirstOrDefault() ?? nameLocation;
                diagnostics.Add(Create(Diagnostics.NotPartial, location, partialCandidate.Name));
            }
        }

        AttributeData network = context.Attributes[0];
        int? inputs = ReadInputs(network, name, diagnostics);
        List<LayerSpec>? layers = ReadLayers(type, nameLocation, diagnostics, cancellationToken);
        if (layers is not null)
        {
            ReportCollisions(type, layers.Count, diagnostics);
        }

        NetworkSpec? spec = null;
        if (diagnostics.Count == 0 && inputs is int inputCount && layers is not null && WithinBudget(name, inputCount, layers, nameLocation, diagnostics))
        {
            spec = new NetworkSpec(
                type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
                name,
                type.IsRecord ? "record" : "class",
                type.IsAbstract,
                SelfAndContainingTypes(type).Skip(1).Reverse().Select(DeclarationOf).ToEquatableArray(),
                inputCount,
                layers.ToEquatableArray());
        }

        return new ParseResult(spec, diagnostics.ToImmutableArray());
    }

    /// <summary>Reports [Dense] layers on a declaration of a type that has no [Network] attribute.</summary>
    public static ImmutableArray<Diagnostic> ParseOrphanLayers(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        bool isNetwork = context.TargetSymbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == NetworkAttributeName);
        return isNetwork
            ? ImmutableArray<Diagnostic>.Empty
            : ImmutableArray.Create(Create(Diagnostics.LayersWithoutNetwork, AttributeLocation(context.Attributes[0]), context.TargetSymbol.Name));
    }

    private static void ReportCollisions(INamedTypeSymbol type, int layerCount, List<Diagnostic> diagnostics)
    {
        var generated = new HashSet<string>(GeneratedMembers.Names(layerCount));
        foreach (ISymbol member in type.GetMembers())
        {
            if (member.IsImplicitlyDeclared)
            {
                continue;
            }

            // The generator declares a parameterless constructor and one taking the seed.
            bool collides = member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
                ? constructor.Parameters.Length == 0 ||
                  (constructor.Parameters.Length == 1 && constructor.Parameters[0].Type.SpecialType == SpecialType.System_Int32)
                : generated.Contains(member.Name);
            if (collides)
            {
                string memberName = member is IMethodSymbol { MethodKind: MethodKind.Constructor } c
                    ? $"{type.Name}({string.Join(", ", c.Parameters.Select(p => p.Type.ToDisplayString()))})"
                    : member.Name;
                diagnostics.Add(Create(Diagnostics.MemberCollision, member.Locations.FirstOrDefault(), type.Name, memberName));
            }
        }

        for (INamedTypeSymbol? baseType = type.BaseType; baseType is { SpecialType: not SpecialType.System_Object }; baseType = baseType.BaseType)
        {
            foreach (ISymbol member in baseType.GetMembers())
            {
                if (member.DeclaredAccessibility != Accessibility.Private && !member.IsImplicitlyDeclared && generated.Contains(member.Name))
                {
                    Location? location = type.DeclaringSyntaxReferences
                        .Select(r => r.GetSyntax())
                        .OfType<TypeDeclarationSyntax>()
                        .Select(t => t.BaseList?.Types.FirstOrDefault()?.GetLocation())
                        .FirstOrDefault(l => l is not null);
                    diagnostics.Add(Create(Diagnostics.MemberCollision, location, type.Name, $"{baseType.Name}.{member.Name}"));
                }
            }
        }
    }

    private static int? ReadInputs(AttributeData network, string name, List<Diagnostic> diagnostics)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in network.NamedArguments)
        {
            if (argument.Key == "Inputs")
            {
                if (argument.Value.Kind != TypedConstantKind.Primitive || argument.Value.Value is not int inputs)
                {
                    return null;
                }

                if (inputs < 1)
                {
                    diagnostics.Add(Create(Diagnostics.InputsTooSmall, NamedArgumentLocation(network, "Inputs"), name, inputs.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    return null;
                }

                return inputs;
            }
        }

        diagnostics.Add(Create(Diagnostics.InputsTooSmall, AttributeLocation(network), name, "0 (not set)"));
        return null;
    }

    private static List<LayerSpec>? ReadLayers(INamedTypeSymbol type, Location nameLocation, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var dense = type.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() == DenseAttributeName)
            .ToList();

        if (dense.Count == 0)
        {
            diagnostics.Add(Create(Diagnostics.NoLayers, nameLocation, type.Name));
            return null;
        }

        // Order is source order, which needs every layer to be on the same declaration.
        var trees = dense.Select(a => a.ApplicationSyntaxReference?.SyntaxTree).Distinct().ToList();
        var owners = dense
            .Select(a => a.ApplicationSyntaxReference?.GetSyntax(cancellationToken).FirstAncestorOrSelf<TypeDeclarationSyntax>())
            .Distinct()
            .ToList();
        if (owners.Count > 1 || trees.Count > 1 || owners[0] is null)
        {
            diagnostics.Add(Create(Diagnostics.LayersOnSeveralDeclarations, AttributeLocation(dense[dense.Count - 1]), type.Name));
            return null;
        }

        dense.Sort((x, y) => x.ApplicationSyntaxReference!.Span.Start.CompareTo(y.ApplicationSyntaxReference!.Span.Start));

        var layers = new List<LayerSpec>(dense.Count);
        bool valid = true;
        for (int i = 0; i < dense.Count; i++)
        {
            AttributeData attribute = dense[i];
            if (attribute.AttributeConstructor is null || attribute.ConstructorArguments.Length != 2 ||
                attribute.ConstructorArguments[0].Value is not int units ||
                attribute.ConstructorArguments[1].Value is not int activation)
            {
                // The compiler reports the broken attribute; emitting would only add noise.
                return null;
            }

            if (units < 1)
            {
                diagnostics.Add(Create(Diagnostics.UnitsTooSmall, ConstructorArgumentLocation(attribute, 0), Number(i), type.Name, Number(units)));
                valid = false;
            }

            if (activation is < (int)ActivationKind.Linear or > (int)ActivationKind.Softplus)
            {
                diagnostics.Add(Create(Diagnostics.UndefinedActivation, ConstructorArgumentLocation(attribute, 1), Number(i), type.Name, Number(activation)));
                valid = false;
            }
            else if (activation == (int)ActivationKind.Softmax && i != dense.Count - 1)
            {
                diagnostics.Add(Create(Diagnostics.SoftmaxNotLast, ConstructorArgumentLocation(attribute, 1), Number(i), type.Name));
                valid = false;
            }

            layers.Add(new LayerSpec(units, (ActivationKind)activation));
        }

        return valid ? layers : null;
    }

    private static bool WithinBudget(string name, int inputs, List<LayerSpec> layers, Location location, List<Diagnostic> diagnostics)
    {
        string? excess = null;
        long parameters = 0;
        int width = inputs;
        foreach (LayerSpec layer in layers)
        {
            parameters += ((long)width + 1) * layer.Units;
            width = layer.Units;
        }

        if (layers.Count > SizeBudget.MaxLayers)
        {
            excess = $"has {Number(layers.Count)} layers";
        }
        else if (inputs > SizeBudget.MaxInputs)
        {
            excess = $"has {Number(inputs)} inputs";
        }
        else if (layers.Max(l => l.Units) > SizeBudget.MaxUnits)
        {
            excess = $"has a layer of {Number(layers.Max(l => l.Units))} units";
        }
        else if (parameters > SizeBudget.MaxParameters)
        {
            excess = $"has {parameters.ToString(System.Globalization.CultureInfo.InvariantCulture)} parameters";
        }

        if (excess is null)
        {
            return true;
        }

        diagnostics.Add(Create(
            Diagnostics.TooLarge, location, name, excess, Number(SizeBudget.MaxLayers), Number(SizeBudget.MaxInputs),
            Number(SizeBudget.MaxUnits), SizeBudget.MaxParameters.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return false;
    }

    private static IEnumerable<INamedTypeSymbol> SelfAndContainingTypes(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            yield return current;
        }
    }

    private static bool IsGenericOrInGeneric(INamedTypeSymbol type) =>
        SelfAndContainingTypes(type).Any(t => t.TypeParameters.Length > 0);

    private static bool AllDeclarationsArePartial(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        type.DeclaringSyntaxReferences.All(r =>
            r.GetSyntax(cancellationToken) is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));

    private static string DeclarationOf(INamedTypeSymbol type)
    {
        string keyword = type switch
        {
            { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
            { IsRecord: true } => "record",
            { TypeKind: TypeKind.Struct } => "struct",
            { TypeKind: TypeKind.Interface } => "interface",
            _ => "class",
        };
        return $"partial {keyword} {type.Name}";
    }

    private static Location? AttributeLocation(AttributeData attribute) =>
        attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation();

    private static Location? NamedArgumentLocation(AttributeData attribute, string name) =>
        attribute.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax { ArgumentList: { } list }
            ? list.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)?.GetLocation() ?? AttributeLocation(attribute)
            : AttributeLocation(attribute);

    private static Location? ConstructorArgumentLocation(AttributeData attribute, int index) =>
        attribute.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax { ArgumentList: { } list } &&
        list.Arguments.Where(a => a.NameEquals is null).ElementAtOrDefault(index) is { } argument
            ? argument.GetLocation()
            : AttributeLocation(attribute);

    private static Diagnostic Create(DiagnosticDescriptor descriptor, Location? location, params object[] arguments) =>
        Diagnostic.Create(descriptor, location, arguments);

    private static string Number(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
