using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace StaticNet;

/// <summary>
/// Reads the names PyTorch gives an <c>nn.Sequential</c>'s parameters (<c>0.weight</c>, <c>0.bias</c>,
/// <c>2.weight</c>, …, or <c>net.0.weight</c> inside a module): the Linear layers in order, whatever the
/// indexes of the activations between them, become StaticNet's <c>layers.{i}</c>.
/// </summary>
internal static partial class SequentialNames
{
    /// <summary>The tensors renamed to <c>layers.{i}</c> when every one is named as a Sequential's, else as they are.</summary>
    public static Dictionary<string, TensorEntry> ToLayers(Dictionary<string, TensorEntry> byName)
    {
        if (byName.Count == 0 || byName.Keys.Any(name => name.StartsWith("layers.", StringComparison.Ordinal)))
        {
            return byName;
        }

        var parsed = new List<(string Prefix, int Index, string Kind, TensorEntry Entry)>();
        foreach ((string name, TensorEntry entry) in byName)
        {
            Match match = Parameter().Match(name);
            if (!match.Success || !int.TryParse(match.Groups["index"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            {
                return byName;
            }

            parsed.Add((match.Groups["prefix"].Value, index, match.Groups["kind"].Value, entry));
        }

        if (parsed.Select(p => p.Prefix).Distinct(StringComparer.Ordinal).Count() != 1)
        {
            return byName;
        }

        int[] layers = [.. parsed.Select(p => p.Index).Distinct().Order()];
        return parsed.ToDictionary(
            p => string.Create(CultureInfo.InvariantCulture, $"layers.{Array.IndexOf(layers, p.Index)}.{p.Kind}"),
            p => p.Entry,
            StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^(?<prefix>(?:[A-Za-z_][A-Za-z0-9_]*\.)*)(?<index>\d{1,9})\.(?<kind>weight|bias)$")]
    private static partial Regex Parameter();
}
