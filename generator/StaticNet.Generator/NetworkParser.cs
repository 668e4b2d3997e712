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

    /// <summary>The generated code uses collection expressions and inline arrays, both C# 12.</summary>
    private const LanguageVersion MinimumLanguageVersion = LanguageVersion.CSharp12;
    public const string DenseAttributeName = "StaticNet.DenseAttribute";
    public const string DropoutAttributeName = "StaticNet.DropoutAttribute";

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        if (type.TypeKind != TypeKind.Class || declaration.Identifier.IsMissing || !OwnsTheNetworkAttribute(type, context.Attributes[0]))
        {
            // A record struct, a class still without a name, or a second [Network] on another partial
            // declaration: the compiler already reports each, and the first declaration generates.
            return new ParseResult(null, ImmutableArray<Diagnostic>.Empty);
        }

        var diagnostics = new List<Diagnostic>();
        string name = type.Name;
        Location nameLocation = declaration.Identifier.GetLocation();

        if (declaration.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < MinimumLanguageVersion } options)
        {
            diagnostics.Add(Create(Diagnostics.LanguageVersionTooLow, nameLocation, name, options.LanguageVersion.ToDisplayString()));
        }

        if (IsGenericOrInGeneric(type))
        {
            diagnostics.Add(Create(Diagnostics.GenericNotSupported, nameLocation, name));
        }

        ReportUnextendableTypes(type, nameLocation, diagnostics);
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
        string? weights = network.NamedArguments.FirstOrDefault(a => a.Key == "Weights").Value.Value as string;
        bool training = network.NamedArguments.FirstOrDefault(a => a.Key == "Training").Value.Value as bool? ?? true;
        List<LayerSpec>? layers = ReadLayers(type, nameLocation, diagnostics, cancellationToken, out float inputDropout);
        bool hasPrimaryConstructor = type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax { ParameterList: not null });
        if (layers is not null)
        {
            var generated = new HashSet<string>(GeneratedMembers.Names(layers.Count, trained: weights is not null, training));
            if (generated.Contains(name))
            {
                diagnostics.Add(Create(Diagnostics.NameOfGeneratedMember, nameLocation, name));
            }

            ReportCollisions(type, generated, hasPrimaryConstructor, training, diagnostics);
        }

        ReportBaseTypes(type, context.SemanticModel.Compilation, hasPrimaryConstructor, diagnostics, cancellationToken);

        NetworkSpec? spec = null;
        if (diagnostics.Count == 0 && inputs is int inputCount && layers is not null && WithinBudget(name, inputCount, layers, nameLocation, diagnostics))
        {
            spec = new NetworkSpec(
                HintNames.For(type),
                NamespaceParts(type.ContainingNamespace).ToEquatableArray(),
                SelfAndContainingTypes(type).Skip(1).Reverse().Select(t => new ContainingTypeSpec(KeywordOf(t), t.Name)).ToEquatableArray(),
                name,
                KeywordOf(type),
                new ConstructionSpec(hasPrimaryConstructor, CanBeCreatedByNew(type, hasPrimaryConstructor)),
                inputCount,
                layers.ToEquatableArray(),
                weights,
                training,
                InputDropout: inputDropout);
        }

        return new ParseResult(spec, diagnostics.ToImmutableArray(), weights is null ? null : NamedArgumentLocation(network, "Weights"));
    }

    /// <summary>Reports [Dense] layers on a declaration of a type that has no [Network] attribute.</summary>
    public static ImmutableArray<Diagnostic> ParseOrphanLayers(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        bool isNetwork = context.TargetSymbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == NetworkAttributeName);
        return isNetwork
            ? ImmutableArray<Diagnostic>.Empty
            : ImmutableArray.Create(Create(Diagnostics.LayersWithoutNetwork, AttributeLocation(context.Attributes[0]), context.TargetSymbol.Name));
    }

    private static void ReportCollisions(INamedTypeSymbol type, HashSet<string> generated, bool hasPrimaryConstructor, bool training, List<Diagnostic> diagnostics)
    {
        foreach (ISymbol member in type.GetMembers())
        {
            if (member.IsImplicitlyDeclared)
            {
                continue;
            }

            // The generator declares a parameterless constructor and, for a network that trains, one taking
            // the seed, unless a primary constructor leaves it none to declare.
            bool collides = member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
                ? !hasPrimaryConstructor && !constructor.IsStatic &&
                  (constructor.Parameters.Length == 0 ||
                   (training && constructor.Parameters.Length == 1 && constructor.Parameters[0].Type.SpecialType == SpecialType.System_Int32))
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
                    diagnostics.Add(Create(Diagnostics.MemberCollision, BaseListLocation(type), type.Name, $"{baseType.Name}.{member.Name}"));
                }
            }
        }
    }

    /// <summary>
    /// Reports a base class that is itself a network (every generated member would hide one of its own), and,
    /// where the generated constructors call <c>base()</c>, a base class that has no such constructor.
    /// </summary>
    private static void ReportBaseTypes(INamedTypeSymbol type, Compilation compilation, bool hasPrimaryConstructor, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        INamedTypeSymbol? direct = type.BaseType;
        if (direct is null || direct.SpecialType == SpecialType.System_Object || direct.TypeKind == TypeKind.Error)
        {
            // No base class, or one the compiler cannot find and already reports.
            return;
        }

        for (INamedTypeSymbol? baseType = direct; baseType is { SpecialType: not SpecialType.System_Object }; baseType = baseType.BaseType)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (baseType.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == NetworkAttributeName))
            {
                diagnostics.Add(Create(Diagnostics.DerivesFromNetwork, BaseListLocation(type), type.Name, baseType.Name));
                return;
            }
        }

        bool callableWithoutArguments = direct.InstanceConstructors.Any(c =>
            c.Parameters.All(p => p.IsOptional || p.IsParams) && compilation.IsSymbolAccessibleWithin(c, type));
        if (!hasPrimaryConstructor && !callableWithoutArguments)
        {
            diagnostics.Add(Create(Diagnostics.BaseWithoutParameterlessConstructor, BaseListLocation(type), type.Name, direct.Name));
        }
    }

    /// <summary>Reports a network that is static or file-local, or nested in a file-local type: the generated part, in a file of its own, could not extend it.</summary>
    private static void ReportUnextendableTypes(INamedTypeSymbol type, Location nameLocation, List<Diagnostic> diagnostics)
    {
        if (type.IsStatic || type.IsFileLocal)
        {
            diagnostics.Add(Create(Diagnostics.UnsupportedTypeKind, nameLocation, type.Name, type.IsStatic ? "static" : "file-local", "declare the network as a non-static partial class without the 'file' modifier"));
        }

        foreach (INamedTypeSymbol containing in SelfAndContainingTypes(type).Skip(1).Where(t => t.IsFileLocal))
        {
            diagnostics.Add(Create(
                Diagnostics.UnsupportedTypeKind, containing.Locations.FirstOrDefault(), containing.Name, "file-local",
                $"remove the 'file' modifier or move '{type.Name}' out of it"));
        }
    }

    /// <summary>
    /// Whether this [Network] attribute is the first of the type's. A second one on another partial
    /// declaration is the compiler's error; only the first may generate, or both would emit one file.
    /// </summary>
    private static bool OwnsTheNetworkAttribute(INamedTypeSymbol type, AttributeData attribute)
    {
        AttributeData? first = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == NetworkAttributeName);
        return first?.ApplicationSyntaxReference is not { } owner || attribute.ApplicationSyntaxReference is not { } reference ||
            (owner.SyntaxTree == reference.SyntaxTree && owner.Span == reference.Span);
    }

    /// <summary>Whether <c>new T()</c> makes a usable instance, as <c>ModelFile.Load&lt;T&gt;</c> needs.</summary>
    private static bool CanBeCreatedByNew(INamedTypeSymbol type, bool hasPrimaryConstructor)
    {
        if (type.IsAbstract || (hasPrimaryConstructor && !type.InstanceConstructors.Any(c => c.Parameters.Length == 0)))
        {
            return false;
        }

        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (current.GetMembers().Any(m => m is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true }))
            {
                return false;
            }
        }

        return true;
    }

    private static Location? BaseListLocation(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax())
            .OfType<TypeDeclarationSyntax>()
            .Select(t => t.BaseList?.Types.FirstOrDefault()?.Type.GetLocation())
            .FirstOrDefault(l => l is not null);

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

    private static List<LayerSpec>? ReadLayers(INamedTypeSymbol type, Location nameLocation, List<Diagnostic> diagnostics, CancellationToken cancellationToken, out float inputDropout)
    {
        inputDropout = 0;
        var declared = type.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() is DenseAttributeName or DropoutAttributeName)
            .ToList();

        if (!declared.Any(IsDense))
        {
            diagnostics.Add(Create(Diagnostics.NoLayers, nameLocation, type.Name));
            return null;
        }

        // Order is source order, which needs every layer to be on the same declaration.
        var trees = declared.Select(a => a.ApplicationSyntaxReference?.SyntaxTree).Distinct().ToList();
        var owners = declared
            .Select(a => a.ApplicationSyntaxReference?.GetSyntax(cancellationToken).FirstAncestorOrSelf<TypeDeclarationSyntax>())
            .Distinct()
            .ToList();
        if (owners.Count > 1 || trees.Count > 1 || owners[0] is null)
        {
            diagnostics.Add(Create(Diagnostics.LayersOnSeveralDeclarations, AttributeLocation(declared[declared.Count - 1]), type.Name));
            return null;
        }

        declared.Sort((x, y) => x.ApplicationSyntaxReference!.Span.Start.CompareTo(y.ApplicationSyntaxReference!.Span.Start));

        int denseCount = declared.Count(IsDense);
        var layers = new List<LayerSpec>(denseCount);
        bool valid = true;
        int dropouts = 0;
        bool afterDropout = false;
        foreach (AttributeData attribute in declared)
        {
            if (!IsDense(attribute))
            {
                if (attribute.AttributeConstructor is null || attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not double rate)
                {
                    return null;
                }

                Location? location = ConstructorArgumentLocation(attribute, 0);
                string which = Number(dropouts++);
                if (!(rate >= 0 && rate < 1))
                {
                    diagnostics.Add(Create(Diagnostics.DropoutRateOutOfRange, location, which, type.Name, rate.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
                    valid = false;
                }
                else if (afterDropout)
                {
                    diagnostics.Add(Create(Diagnostics.DropoutTwiceInARow, AttributeLocation(attribute), which, type.Name));
                    valid = false;
                }
                else if (layers.Count == denseCount)
                {
                    diagnostics.Add(Create(Diagnostics.DropoutAfterLastLayer, AttributeLocation(attribute), which, type.Name));
                    valid = false;
                }
                else if (layers.Count == 0)
                {
                    inputDropout = (float)rate;
                }
                else
                {
                    layers[layers.Count - 1] = layers[layers.Count - 1] with { Dropout = (float)rate };
                }

                afterDropout = true;
                continue;
            }

            afterDropout = false;
            int i = layers.Count;
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
            else if (activation == (int)ActivationKind.Softmax && i != denseCount - 1)
            {
                diagnostics.Add(Create(Diagnostics.SoftmaxNotLast, ConstructorArgumentLocation(attribute, 1), Number(i), type.Name));
                valid = false;
            }

            int initializer = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Initializer").Value.Value as int? ?? 0;
            if (initializer is < (int)InitializerKind.GlorotUniform or > (int)InitializerKind.LeCunNormal)
            {
                diagnostics.Add(Create(Diagnostics.UndefinedInitializer, NamedArgumentLocation(attribute, "Initializer"), Number(i), type.Name, Number(initializer)));
                valid = false;
            }

            float[] penalties = new float[2];
            string[] penaltyNames = ["L1", "L2"];
            for (int p = 0; p < penaltyNames.Length; p++)
            {
                double penalty = attribute.NamedArguments.FirstOrDefault(a => a.Key == penaltyNames[p]).Value.Value as double? ?? 0;
                if (!(penalty >= 0) || double.IsInfinity(penalty) || float.IsInfinity((float)penalty))
                {
                    diagnostics.Add(Create(
                        Diagnostics.PenaltyOutOfRange, NamedArgumentLocation(attribute, penaltyNames[p]), Number(i), type.Name, penaltyNames[p],
                        penalty.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
                    valid = false;
                }

                penalties[p] = (float)penalty;
            }

            bool useBias = attribute.NamedArguments.FirstOrDefault(a => a.Key == "UseBias").Value.Value as bool? ?? true;
            layers.Add(new LayerSpec(units, (ActivationKind)activation, Initializer: (InitializerKind)initializer, L1: penalties[0], L2: penalties[1], UseBias: useBias));
        }

        return valid ? layers : null;
    }

    private static bool IsDense(AttributeData attribute) => attribute.AttributeClass?.ToDisplayString() == DenseAttributeName;

    private static bool WithinBudget(string name, int inputs, List<LayerSpec> layers, Location location, List<Diagnostic> diagnostics)
    {
        string? excess = null;
        long parameters = 0;
        int width = inputs;
        foreach (LayerSpec layer in layers)
        {
            parameters += ((long)width + (layer.UseBias ? 1 : 0)) * layer.Units;
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

    private static string KeywordOf(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };

    private static IEnumerable<string> NamespaceParts(INamespaceSymbol? ns)
    {
        var parts = new Stack<string>();
        for (; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            parts.Push(ns.Name);
        }

        return parts;
    }

    private static Location? AttributeLocation(AttributeData attribute) =>
        attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation();

    private static Location? NamedArgumentLocation(AttributeData attribute, string name) =>
        attribute.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax { ArgumentList: { } list }
            ? list.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)?.GetLocation() ?? AttributeLocation(attribute)
            : AttributeLocation(attribute);

    /// <summary>
    /// The argument that gave the constructor's parameter <paramref name="index"/> its value: the one named
    /// for it (<c>units: 0</c>, in any order), or else the positional one at that place.
    /// </summary>
    private static Location? ConstructorArgumentLocation(AttributeData attribute, int index)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax() is not AttributeSyntax { ArgumentList: { } list } ||
            attribute.AttributeConstructor is not { } constructor)
        {
            return AttributeLocation(attribute);
        }

        string parameter = constructor.Parameters[index].Name;
        AttributeArgumentSyntax? argument = list.Arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == parameter);
        if (argument is null && list.Arguments.Where(a => a.NameEquals is null).ElementAtOrDefault(index) is { NameColon: null } positional)
        {
            argument = positional;
        }

        return argument?.GetLocation() ?? AttributeLocation(attribute);
    }

    private static Diagnostic Create(DiagnosticDescriptor descriptor, Location? location, params object[] arguments) =>
        Diagnostic.Create(descriptor, location, arguments);

    private static string Number(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
