using System;
using System.Collections.Generic;
using System.Globalization;

namespace StaticNet;

/// <summary>
/// Bounds the values that error messages quote from files: a 5 MB cell or header value must not
/// become a 5 MB message, yet its start and length are what a reader needs to find it.
/// </summary>
internal static class Quoting
{
    /// <summary>The longest value, in characters, that a message or exception property holds.</summary>
    public const int MaxLength = 200;

    /// <summary>
    /// Returns <paramref name="value"/> when it is at most <see cref="MaxLength"/> characters long,
    /// else its start and its length in at most <see cref="MaxLength"/> characters, so that
    /// shortening a shortened value changes nothing.
    /// </summary>
    public static string Shorten(ReadOnlySpan<char> value)
    {
        if (value.Length <= MaxLength)
        {
            return value.ToString();
        }

        string suffix = string.Create(CultureInfo.InvariantCulture, $"… ({value.Length} characters)");
        int kept = MaxLength - suffix.Length;
        if (char.IsHighSurrogate(value[kept - 1]))
        {
            kept--;
        }

        return string.Concat(value[..kept], suffix);
    }

    /// <summary>The value, shortened, between single quotes.</summary>
    public static string Quote(ReadOnlySpan<char> value) => $"'{Shorten(value)}'";

    /// <summary>Lists the first few items, comma-separated, and how many more there are: a header of 10,000 columns must not become the message.</summary>
    public static string List<T>(IReadOnlyList<T> items, Func<T, string> describe)
    {
        const int Shown = 12;
        var parts = new List<string>(Math.Min(items.Count, Shown) + 1);
        for (int i = 0; i < items.Count && i < Shown; i++)
        {
            parts.Add(describe(items[i]));
        }

        if (items.Count > Shown)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"and {items.Count - Shown} more"));
        }

        return string.Join(", ", parts);
    }
}
