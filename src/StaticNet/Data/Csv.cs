using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using nietras.SeparatedValues;

namespace StaticNet;

/// <summary>Reads CSV files into datasets: numeric features, numeric or one-hot targets.</summary>
/// <remarks>
/// Parsing is Sep's (nietras.SeparatedValues): it handles quoting, escapes and line endings as
/// RFC 4180 does, is maintained, allocation-free per row and among the fastest .NET parsers, so a
/// hand-written splitter would be slower and get quoted fields wrong. What Sep does not know
/// (column roles, number and label rules, error locations) is done here.
/// </remarks>
public static class Csv
{
    /// <summary>Reads a CSV file whose every cell outside the target and ignored columns is a finite number.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">The header, separator, target and ignored columns, and class labels.</param>
    /// <returns>One sample per data row: features in file order, targets in <see cref="CsvOptions.TargetColumns"/> order (or one-hot).</returns>
    /// <exception cref="ArgumentException">The options contradict each other.</exception>
    /// <exception cref="DataFormatException">
    /// The file is empty, a chosen column does not exist, a row has a different number of cells, a
    /// cell is not a number or is NaN or infinite, or a label is not one of the classes; the
    /// message names the file, line, column and value.
    /// </exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DirectoryNotFoundException">A directory of the path does not exist or is a file.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a directory, or reading it is not permitted.</exception>
    /// <exception cref="IOException">Another failure of the file system; each of these messages starts with the path.</exception>
    public static Dataset Load(string path, CsvOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        try
        {
            // Sep is told there is no header: it would reject repeated column names, which only matter
            // when a repeated name is the one chosen, and it would report header problems without a line.
            using SepReader reader = Sep.New(options.Separator)
                .Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = true })
                .FromFile(path);
            return Read(reader, path, options);
        }
        catch (Exception e) when (FileErrors.IsFileSystem(e))
        {
            throw FileErrors.Named(path, e, writing: false);
        }
    }

    private static Dataset Read(SepReader reader, string path, CsvOptions options)
    {
        CsvLayout? layout = null;
        var labels = new LabelEncoder(options);
        var features = new List<float>();
        var targets = new List<float>();

        // Sep numbers the first row's line wrongly (as the line after it) but every row's end rightly,
        // so each row starts where the previous one ended.
        long line = 1;
        foreach (SepReader.Row row in reader)
        {
            long rowLine = line;
            line = row.LineNumberToExcl;
            if (layout is null)
            {
                layout = options.HasHeader ? new CsvLayout(path, Cells(row), options) : new CsvLayout(path, [], options);
                layout.Resolve(row.ColCount, rowLine);
                if (options.HasHeader)
                {
                    continue;
                }
            }

            if (row.ColCount != layout.ColumnCount)
            {
                throw new DataFormatException(path, rowLine, null, null,
                    $"The row has {row.ColCount} cells but {layout.CountSource} has {layout.ColumnCount}.");
            }

            foreach (int column in layout.FeatureColumns)
            {
                features.Add(ParseNumber(path, row, rowLine, column, layout));
            }

            if (options.OneHot)
            {
                int column = layout.TargetColumns[0];
                if (!labels.TryAppendOneHot(targets, row[column].Span, out string? problem))
                {
                    throw CellError(path, row, rowLine, column, layout, problem);
                }
            }
            else
            {
                foreach (int column in layout.TargetColumns)
                {
                    targets.Add(ParseNumber(path, row, rowLine, column, layout));
                }
            }
        }

        if (targets.Count == 0)
        {
            throw new DataFormatException(path, null, null, null, layout is null ? "The file is empty." : "The file has no data rows.");
        }

        if (layout!.FeatureColumns.Length == 0)
        {
            throw new DataFormatException(path, null, null, null, "Every column is a target or ignored; a dataset needs at least one feature column.");
        }

        return new Dataset(features.ToArray(), layout.FeatureColumns.Length, targets.ToArray(), options.TargetWidth);
    }

    private static string[] Cells(SepReader.Row row)
    {
        string[] cells = new string[row.ColCount];
        for (int i = 0; i < cells.Length; i++)
        {
            cells[i] = row[i].ToString();
        }

        return cells;
    }

    /// <summary>Parses a cell as a finite float in the invariant culture.</summary>
    private static float ParseNumber(string path, SepReader.Row row, long rowLine, int column, CsvLayout layout)
    {
        ReadOnlySpan<char> cell = row[column].Span;
        if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
        {
            throw CellError(path, row, rowLine, column, layout, "The cell is not a number.");
        }

        if (!float.IsFinite(value))
        {
            throw CellError(path, row, rowLine, column, layout,
                "The cell is NaN, infinite or beyond float's range; every value must be a finite number.");
        }

        return value;
    }

    /// <summary>
    /// An error in one cell, at the physical line the cell starts on: the row's first line plus the
    /// line breaks inside the quoted cells before it, which are the only line breaks within a row.
    /// </summary>
    private static DataFormatException CellError(string path, SepReader.Row row, long rowLine, int column, CsvLayout layout, string problem)
    {
        long line = rowLine;
        for (int i = 0; i < column; i++)
        {
            line += LineBreaks(row[i].Span);
        }

        return new DataFormatException(path, line, layout.Label(column), Quoting.Shorten(row[column].Span), problem);
    }

    /// <summary>Counts line breaks as Sep does: CR LF, a lone CR or a lone LF is one.</summary>
    private static int LineBreaks(ReadOnlySpan<char> text)
    {
        int count = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                count++;
            }
        }

        return count;
    }
}
