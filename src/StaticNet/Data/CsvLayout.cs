using System;
using System.Collections.Generic;
using System.Linq;

namespace StaticNet;

/// <summary>The columns the options choose, found in the header or the first row: targets checked, ignored and text columns located.</summary>
internal sealed class CsvLayout(string path, IReadOnlyList<string> header, CsvOptions options)
{
    public int ColumnCount { get; private set; }

    public int[] IgnoredColumns { get; private set; } = [];

    public int[] TextColumns { get; private set; } = [];

    /// <summary>
    /// Finds the chosen columns in the header, or in the first row when there is none, so that a misspelt or
    /// out-of-range choice is refused on the line it is checked against.
    /// </summary>
    public void Resolve(int firstRowColumns, long line)
    {
        ColumnCount = firstRowColumns;
        foreach (CsvColumn target in options.TargetColumns)
        {
            Find(target, line);
        }

        IgnoredColumns = options.IgnoredColumns.Select(c => Find(c, line)).ToArray();
        TextColumns = options.TextColumns.Select(c => Find(c, line)).ToArray();
    }

    private int Find(CsvColumn column, long line)
    {
        if (column.Name is null)
        {
            return column.Index < ColumnCount
                ? column.Index
                : throw new DataFormatException(path, line, null, null,
                    $"Column index {column.Index} was chosen but the file has {ColumnCount} columns (indexes 0 to {ColumnCount - 1}).");
        }

        int index = header.Count > 0 ? IndexOf(column.Name, line) : -1;
        return index >= 0
            ? index
            : throw new DataFormatException(path, line, null, null,
                header.Count > 0
                    ? $"There is no column named {Quoting.Quote(column.Name)}; the columns are {Quoting.List(header, name => Quoting.Shorten(name))}."
                    : $"Column {Quoting.Quote(column.Name)} was chosen by name but the file has no header; choose it by index.");
    }

    private int IndexOf(string name, long line)
    {
        int index = -1;
        for (int i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i], name, StringComparison.Ordinal))
            {
                index = index < 0 ? i : throw new DataFormatException(path, line, null, name,
                    $"Columns {index + 1} and {i + 1} are both named {Quoting.Quote(name)}; choose the column by index.");
            }
        }

        return index;
    }
}
