using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace StaticNet.Generator;

/// <summary>
/// Names the generated file of a network. Roslyn accepts only file-name characters in a hint name and
/// compares hint names ignoring case, while C# names may hold other characters and differ only in case.
/// </summary>
internal static class HintNames
{
    /// <summary>
    /// The namespace and type names joined by dots, e.g. <c>App.Models.Outer.Model.g.cs</c>, with any other
    /// character replaced by '_'. Where a namespace or type along the way has a sibling whose name reads the
    /// same once so folded, a hash of the exact full name keeps the file name apart.
    /// </summary>
    public static string For(INamedTypeSymbol type)
    {
        var chain = new List<ISymbol>();
        for (ISymbol? current = type; current is not null && current is not INamespaceSymbol { IsGlobalNamespace: true }; current = current.ContainingSymbol)
        {
            chain.Add(current);
        }

        chain.Reverse();
        string exact = string.Join(".", chain.Select(s => s.MetadataName));
        string name = string.Join(".", chain.Select(s => FileNameCharacters(s.MetadataName)));
        bool ambiguous = chain.Any(symbol => Siblings(symbol).Any(other => other.MetadataName != symbol.MetadataName && Fold(other.MetadataName) == Fold(symbol.MetadataName)));
        return ambiguous ? $"{name}.{Hash(exact)}.g.cs" : name + ".g.cs";
    }

    /// <summary>
    /// The file of a network's compiled-in parameters, beside its main file: <c>App.Model-weights.g.cs</c>. No
    /// type name holds '-', so no other network's file can be named so.
    /// </summary>
    public static string TrainedData(string hintName) => hintName.Substring(0, hintName.Length - ".g.cs".Length) + "-weights.g.cs";

    private static IEnumerable<ISymbol> Siblings(ISymbol symbol) => symbol.ContainingSymbol switch
    {
        INamespaceSymbol ns => ns.GetMembers(),
        INamedTypeSymbol type => type.GetTypeMembers(),
        _ => Enumerable.Empty<ISymbol>(),
    };

    private static string Fold(string name) => FileNameCharacters(name).ToUpperInvariant();

    private static string FileNameCharacters(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            text.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
        }

        return text.ToString();
    }

    /// <summary>FNV-1a over the UTF-16 code units: stable across processes, unlike <see cref="string.GetHashCode()"/>.</summary>
    private static string Hash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }

        return hash.ToString("x8", CultureInfo.InvariantCulture);
    }
}
