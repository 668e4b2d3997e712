using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using nietras.SeparatedValues;

namespace StaticNet;

/// <summary>
/// Reads CSV data from a file, a stream, a reader or a string: into a <see cref="Dataset"/> when every
/// feature is a number, or into a <see cref="CsvTable"/> of numbers and text with missing cells, for a
/// <see cref="FeatureSpace"/> to encode.
/// </summary>
/// <remarks>
/// Parsing is Sep's (nietras.SeparatedValues): it handles quoting, escapes and line endings as
/// RFC 4180 does, is maintained, allocation-free per row and among the fastest .NET parsers, so a
/// hand-written splitter would be slower and get quoted fields wrong. What Sep does not know
/// (skipped and comment lines, column roles, number, missing-value and label rules, error locations)
/// is done here. Errors name the source (the path, or the name given, <c>&lt;stream&gt;</c> or
/// <c>&lt;text&gt;</c> by default), then the line, the column and the value.
/// </remarks>
public static class Csv
{
    private const string StreamName = "<stream>";
    private const string TextName = "<text>";

    /// <summary>Reads a CSV file whose every feature cell is a finite number.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">The header, separator, skipped lines, target and ignored columns, missing-value tokens, culture and class labels.</param>
    /// <returns>
    /// One sample per data row: features in file order, targets in <see cref="CsvOptions.TargetColumns"/> order,
    /// or one-hot over the classes, whose names the dataset keeps in <see cref="Dataset.ClassNames"/>.
    /// </returns>
    /// <exception cref="ArgumentException">The options contradict each other.</exception>
    /// <exception cref="DataFormatException">
    /// The file is empty, a chosen column does not exist, a row has a different number of cells, a feature
    /// or numeric target cell is text, missing, NaN or infinite, or a label is not one of the classes; the
    /// message names the file, line, column and value. Text features and missing values need a
    /// <see cref="FeatureSpace"/>: read the file with <see cref="ReadTable(string, CsvOptions)"/>.
    /// </exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DirectoryNotFoundException">A directory of the path does not exist or is a file.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a directory, or reading it is not permitted.</exception>
    /// <exception cref="IOException">Another failure of the file system; each of these messages starts with the path.</exception>
    public static Dataset Load(string path, CsvOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return ToDataset(ReadTable(path, options), options);
    }

    /// <summary>Reads CSV data from a stream, as <see cref="Load(string, CsvOptions)"/> reads a file.</summary>
    /// <param name="stream">The data, UTF-8; read to its end and left open.</param>
    /// <param name="options">The reading options.</param>
    /// <param name="name">The name errors give the source; <c>&lt;stream&gt;</c> by default.</param>
    /// <inheritdoc cref="Load(string, CsvOptions)"/>
    public static Dataset Load(Stream stream, CsvOptions options, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return ToDataset(ReadTable(stream, options, name), options);
    }

    /// <summary>Reads CSV data from a reader, as <see cref="Load(string, CsvOptions)"/> reads a file.</summary>
    /// <param name="reader">The data; read to its end and left open.</param>
    /// <param name="options">The reading options.</param>
    /// <param name="name">The name errors give the source; <c>&lt;stream&gt;</c> by default.</param>
    /// <inheritdoc cref="Load(string, CsvOptions)"/>
    public static Dataset Load(TextReader reader, CsvOptions options, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return ToDataset(ReadTable(reader, options, name), options);
    }

    /// <summary>Reads CSV data held in a string, as <see cref="Load(string, CsvOptions)"/> reads a file.</summary>
    /// <param name="text">The data.</param>
    /// <param name="options">The reading options.</param>
    /// <param name="name">The name errors give the source; <c>&lt;text&gt;</c> by default.</param>
    /// <inheritdoc cref="Load(string, CsvOptions)"/>
    public static Dataset Parse(string text, CsvOptions options, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return ToDataset(ParseTable(text, options, name), options);
    }

    /// <summary>
    /// Reads a CSV file as it is, numbers and text, with missing cells marked, as pandas' <c>read_csv</c> does:
    /// a column is numeric when every cell that is not missing is a number, and text otherwise or when it is
    /// one of <see cref="CsvOptions.TextColumns"/>. <see cref="FeatureSpace.Fit"/> then learns its encoding.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="options">The header, separator, skipped lines, comment prefix, ignored and text columns, missing-value tokens and culture; targets are chosen later. Null for the defaults.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentException">The options contradict each other.</exception>
    /// <exception cref="DataFormatException">The file is empty, a chosen column does not exist, a row has a different number of cells, or a number is infinite; the message names the file, line, column and value.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DirectoryNotFoundException">A directory of the path does not exist or is a file.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a directory, or reading it is not permitted.</exception>
    /// <exception cref="IOException">Another failure of the file system; each of these messages starts with the path.</exception>
    public static CsvTable ReadTable(string path, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return Read(options, path, o => o.FromFile(path));
        }
        catch (Exception e) when (FileErrors.IsFileSystem(e))
        {
            throw FileErrors.Named(path, e, writing: false);
        }
    }

    /// <summary>Reads CSV data from a stream as it is, as <see cref="ReadTable(string, CsvOptions)"/> reads a file.</summary>
    /// <param name="stream">The data, UTF-8; read to its end and left open.</param>
    /// <param name="options">The reading options, or null for the defaults.</param>
    /// <param name="name">The name errors and the table give the source; <c>&lt;stream&gt;</c> by default.</param>
    /// <inheritdoc cref="ReadTable(string, CsvOptions)"/>
    public static CsvTable ReadTable(Stream stream, CsvOptions? options = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(options, name ?? StreamName, o => o.From(new StreamReader(stream, leaveOpen: true)));
    }

    /// <summary>Reads CSV data from a reader as it is, as <see cref="ReadTable(string, CsvOptions)"/> reads a file.</summary>
    /// <param name="reader">The data; read to its end and left open.</param>
    /// <param name="options">The reading options, or null for the defaults.</param>
    /// <param name="name">The name errors and the table give the source; <c>&lt;stream&gt;</c> by default.</param>
    /// <inheritdoc cref="ReadTable(string, CsvOptions)"/>
    public static CsvTable ReadTable(TextReader reader, CsvOptions? options = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Read(options, name ?? StreamName, o => o.From(new NonClosingReader(reader)));
    }

    /// <summary>Reads CSV data held in a string as it is, as <see cref="ReadTable(string, CsvOptions)"/> reads a file.</summary>
    /// <param name="text">The data.</param>
    /// <param name="options">The reading options, or null for the defaults.</param>
    /// <param name="name">The name errors and the table give the source; <c>&lt;text&gt;</c> by default.</param>
    /// <inheritdoc cref="ReadTable(string, CsvOptions)"/>
    public static CsvTable ParseTable(string text, CsvOptions? options = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Read(options, name ?? TextName, o => o.FromText(text));
    }

    private static CsvTable Read(CsvOptions? options, string source, Func<SepReaderOptions, SepReader> open)
    {
        options ??= new CsvOptions();
        options.ValidateReading();

        // Sep is told there is no header: it would reject repeated column names, which only matter
        // when a repeated name is the one chosen, and it would report header problems without a line.
        using SepReader reader = open(Sep.New(options.Separator).Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = true, CultureInfo = options.Culture }));
        return CsvTableReader.Read(reader, source, options);
    }

    /// <summary>Turns a table into a dataset when every feature is a number and nothing is missing, as <see cref="Load(string, CsvOptions)"/> promises.</summary>
    private static Dataset ToDataset(CsvTable table, CsvOptions options)
    {
        CsvTableColumn[] targets = [.. options.TargetColumns.Select(column => Find(table, column))];
        CsvTableColumn[] features = [.. table.Columns.Except(targets)];
        if (table.Count == 0)
        {
            throw new DataFormatException(table.Source, null, null, null, "The file has no data rows.");
        }

        if (features.Length == 0)
        {
            throw new DataFormatException(table.Source, null, null, null, "Every column is a target or ignored; a dataset needs at least one feature column.");
        }

        foreach (CsvTableColumn column in features)
        {
            CheckNumeric(table, column, "read the file with Csv.ReadTable and encode it with a FeatureSpace");
        }

        float[] x = new float[table.Count * features.Length];
        for (int f = 0; f < features.Length; f++)
        {
            features[f].CopyNumbersTo(x, f, features.Length);
        }

        if (options.OneHot || (targets.Length == 1 && targets[0].IsText))
        {
            var labels = ClassLabels.Of(table, targets[0], null, options.ClassNames, options.ClassCount);
            float[] oneHot = new float[table.Count * labels.Names.Count];
            for (int row = 0; row < table.Count; row++)
            {
                int index = labels.ClassOf(targets[0], row);
                oneHot[(row * labels.Names.Count) + (index >= 0 ? index : throw labels.Problem(table, targets[0], row))] = 1;
            }

            return new Dataset(x, features.Length, oneHot, labels.Names.Count)
            {
                ClassNames = labels.IsNamed ? labels.Names : null,
                FeatureNames = [.. features.Select(column => column.Name)],
            };
        }

        float[] y = new float[table.Count * targets.Length];
        for (int t = 0; t < targets.Length; t++)
        {
            CheckNumeric(table, targets[t], "targets must be numbers, or class names in one column");
            targets[t].CopyNumbersTo(y, t, targets.Length);
        }

        return new Dataset(x, features.Length, y, targets.Length) { FeatureNames = [.. features.Select(column => column.Name)] };
    }

    private static CsvTableColumn Find(CsvTable table, CsvColumn column) =>
        table.TryFind(column) ?? throw new DataFormatException(table.Source, null, null, null, table.Missing(column));

    /// <summary>Refuses a column that is text or has a missing cell, naming its first such cell.</summary>
    private static void CheckNumeric(CsvTable table, CsvTableColumn column, string remedy)
    {
        if (column.IsText)
        {
            // The first cell that is not a number made the column text; a column of TextColumns may have none.
            int row = Enumerable.Range(0, table.Count).FirstOrDefault(
                r => column.Text(r) is string text && !float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
                Enumerable.Range(0, table.Count).FirstOrDefault(r => column.Text(r) is not null));
            string? cell = table.Count == 0 ? null : column.Text(row);
            throw new DataFormatException(table.Source, table.Count == 0 ? null : table.LineOf(row, column), column.Label, cell is null ? null : Quoting.Shorten(cell),
                (cell is not null && float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                    ? "The column is read as text (CsvOptions.TextColumns)."
                    : "The cell is not a number.") + $" For a text column, {remedy}.");
        }

        if (column.MissingCount > 0)
        {
            throw new DataFormatException(table.Source, column.FirstMissingLine, column.Label, Quoting.Shorten(column.FirstMissing),
                $"The cell is missing (one of CsvOptions.MissingValues). To drop or fill in missing values, {remedy}.");
        }
    }

    /// <summary>A reader that leaves the caller's reader open when Sep disposes it.</summary>
    private sealed class NonClosingReader(TextReader inner) : TextReader
    {
        public override int Peek() => inner.Peek();

        public override int Read() => inner.Read();

        public override int Read(Span<char> buffer) => inner.Read(buffer);

        public override int Read(char[] buffer, int index, int count) => inner.Read(buffer, index, count);
    }
}
