using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace StaticNet;

/// <summary>
/// Writes each epoch's figures to a CSV file as the epoch ends, as Keras' <c>CSVLogger</c>: a header of
/// <c>epoch</c> and the figures' names in ordinal order, then a row per epoch, with epochs counted from 1 and
/// numbers written in the invariant culture so that they read back exactly. Each row reaches the file when
/// its epoch ends, so a run that stops early, fails or is cancelled leaves the rows of the epochs it
/// completed.
/// </summary>
public sealed class CsvLogger : FitCallback
{
    private string[] _columns = [];

    /// <summary>Creates the logger.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="append">
    /// Whether to add to the file rather than replace it. Appending to a file whose header differs from this
    /// run's figures is refused before the first step, so rows of different runs never mix columns.
    /// </param>
    public CsvLogger(string path, bool append = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        Append = append;
    }

    /// <summary>The file written.</summary>
    public string Path { get; }

    /// <summary>Whether rows are added to an existing file.</summary>
    public bool Append { get; }

    /// <summary>The character between cells; a comma by default, as Keras.</summary>
    public char Separator { get; init; } = ',';

    /// <inheritdoc />
    public override void OnTrainBegin(FitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Append || !HasContent())
        {
            File.WriteAllText(Path, Header() + "\n");
        }
    }

    /// <inheritdoc />
    public override void OnEpochEnd(FitContext context, EpochSummary epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        var row = new StringBuilder();
        row.Append(epoch.Epoch.ToString(CultureInfo.InvariantCulture));
        foreach (string column in _columns)
        {
            row.Append(Separator).Append(epoch.Values[column].ToString("R", CultureInfo.InvariantCulture));
        }

        File.AppendAllText(Path, row.Append('\n').ToString());
    }

    internal override void Check(FitContext context)
    {
        if (char.IsLetterOrDigit(Separator) || Separator is '.' or '-' or '+' or '"' or '\r' or '\n')
        {
            throw new ArgumentException($"CsvLogger's separator '{Separator}' would be read as part of a number or a line; use ',', ';' or a tab.", "Callbacks");
        }

        _columns = [.. context.Figures.Order(StringComparer.Ordinal)];
        if (Append && HasContent())
        {
            string existing;
            using (var reader = new StreamReader(Path))
            {
                existing = reader.ReadLine() ?? "";
            }

            if (existing != Header())
            {
                throw new ArgumentException(
                    $"CsvLogger would append to {Path}, whose header is '{existing}', rows of '{Header()}'; " +
                    "log to another file, or set append to false to replace it.",
                    "Callbacks");
            }
        }
    }

    private string Header() => string.Join(Separator, ["epoch", .. _columns]);

    private bool HasContent() => new FileInfo(Path) is { Exists: true, Length: > 0 };
}
