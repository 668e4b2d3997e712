using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace StaticNet.Training;

/// <summary>
/// A file path with placeholders filled in from an epoch, as Keras' checkpoint paths:
/// <c>model-{epoch:02d}-{val_loss:.2f}.safetensors</c>. A placeholder names <c>epoch</c> (1-based) or a figure
/// of <see cref="EpochSummary.Values"/>, with an optional format: Keras' <c>02d</c>, <c>.4f</c> and
/// <c>.4e</c>, or any .NET numeric format string. <c>{{</c> and <c>}}</c> stand for braces.
/// </summary>
internal sealed partial class PathTemplate
{
    private const string Epoch = "epoch";
    private readonly List<Part> _parts;

    private PathTemplate(string text, List<Part> parts)
    {
        Text = text;
        _parts = parts;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>Whether the template has a placeholder, so each epoch may save to a different file.</summary>
    public bool HasPlaceholders => _parts.Any(part => part.Name is not null);

    /// <summary>Reads a template.</summary>
    /// <exception cref="ArgumentException">A brace is unmatched or a placeholder has no name; the message says where.</exception>
    public static PathTemplate Parse(string text, string parameterName)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                literal.Append(c);
                i++;
            }
            else if (c == '{')
            {
                int close = text.IndexOf('}', i + 1);
                string placeholder = close < 0 ? "" : text[(i + 1)..close];
                if (close < 0 || placeholder.Contains('{', StringComparison.Ordinal))
                {
                    throw new ArgumentException(Unmatched(text, '{', i), parameterName);
                }

                int colon = placeholder.IndexOf(':', StringComparison.Ordinal);
                string name = (colon < 0 ? placeholder : placeholder[..colon]).Trim();
                if (name.Length == 0)
                {
                    throw new ArgumentException($"The path template '{text}' has a placeholder with no name at {i}; write e.g. {{epoch}} or {{val_loss}}.", parameterName);
                }

                string? written = colon < 0 ? null : placeholder[(colon + 1)..];
                parts.Add(new Part(literal.ToString(), name, written is null ? null : NetFormat(written), written));
                literal.Clear();
                i = close;
            }
            else if (c == '}')
            {
                throw new ArgumentException(Unmatched(text, '}', i), parameterName);
            }
            else
            {
                literal.Append(c);
            }
        }

        parts.Add(new Part(literal.ToString(), null, null, null));
        return new PathTemplate(text, parts);
    }

    /// <summary>Throws, before the first step, when a placeholder names a figure the run will not record or has a format that does not apply.</summary>
    /// <exception cref="ArgumentException">The message names the placeholder and what the run records.</exception>
    public void Check(IReadOnlyCollection<string> figures, string parameterName)
    {
        foreach (Part part in _parts)
        {
            if (part.Name is null)
            {
                continue;
            }

            if (part.Name != Epoch && !figures.Contains(part.Name))
            {
                throw new ArgumentException(
                    $"The path template '{Text}' names '{part.Name}' but the run records only epoch, {string.Join(", ", figures)}.", parameterName);
            }

            try
            {
                part.Fill(1, 0.5);
            }
            catch (FormatException)
            {
                throw new ArgumentException(
                    $"The path template '{Text}' formats '{part.Name}' with '{part.WrittenFormat}', which is not a format for {(part.Name == Epoch ? "an integer" : "a number")}; " +
                    "use e.g. 02d or D2 for the epoch and .4f or F4 for a figure.",
                    parameterName);
            }
        }
    }

    /// <summary>The path for <paramref name="epoch"/>, whose figures are <paramref name="values"/>.</summary>
    public string Fill(int epoch, IReadOnlyDictionary<string, double> values)
    {
        var path = new StringBuilder();
        foreach (Part part in _parts)
        {
            path.Append(part.Literal);
            if (part.Name is string name)
            {
                path.Append(part.Fill(epoch, name == Epoch ? 0 : values[name]));
            }
        }

        return path.ToString();
    }

    /// <summary>The .NET format string for a format written as Python's (<c>02d</c>, <c>.4f</c>, <c>.4e</c>), or the format itself.</summary>
    private static string NetFormat(string format)
    {
        Match python = PythonFormat().Match(format);
        if (!python.Success)
        {
            return format;
        }

        string digits = python.Groups["digits"].Value;
        return python.Groups["kind"].Value switch
        {
            "d" => "D" + digits,
            "f" => "F" + digits,
            _ => "0." + new string('0', int.Parse(digits, CultureInfo.InvariantCulture)) + "e+00",
        };
    }

    private static string Unmatched(string text, char brace, int index) =>
        $"The path template '{text}' has an unmatched '{brace}' at {index}; write '{brace}{brace}' for a brace in the file name.";

    [GeneratedRegex(@"^(?:0?(?<digits>\d*)(?<kind>d)|\.(?<digits>\d+)(?<kind>[fe]))$")]
    private static partial Regex PythonFormat();

    /// <summary>Literal text, then a placeholder (or none, for the template's end), with its format as .NET reads it and as written.</summary>
    private readonly record struct Part(string Literal, string? Name, string? Format, string? WrittenFormat)
    {
        public string Fill(int epoch, double value) =>
            Name == Epoch
                ? epoch.ToString(Format, CultureInfo.InvariantCulture)
                : value.ToString(Format, CultureInfo.InvariantCulture);
    }
}
