using System;
using System.Collections.Generic;
using System.Linq;

namespace StaticNet;

/// <summary>
/// A CSV file as read, before any encoding: its columns, each numeric or text, with the cells that were
/// missing marked, as a pandas data frame holds a file. <see cref="FeatureSpace.Fit"/> learns from one how to
/// turn it, and the rows a trained model will later see, into a <see cref="Dataset"/>.
/// </summary>
public sealed class CsvTable
{
    private readonly long[] _lines;
    private readonly Dictionary<int, int[]> _lineBreaks;

    internal CsvTable(string source, IReadOnlyList<CsvTableColumn> columns, long[] lines, Dictionary<int, int[]> lineBreaks)
    {
        Source = source;
        Columns = columns;
        _lines = lines;
        _lineBreaks = lineBreaks;
    }

    /// <summary>Where the table was read from: the path, or the name given for a stream, reader or text.</summary>
    public string Source { get; }

    /// <summary>The number of data rows.</summary>
    public int Count => _lines.Length;

    /// <summary>The columns, in file order, without those <see cref="CsvOptions.IgnoredColumns"/> left out.</summary>
    public IReadOnlyList<CsvTableColumn> Columns { get; }

    /// <summary>The column with this header name.</summary>
    /// <exception cref="KeyNotFoundException">No column has this name; the message lists the names.</exception>
    public CsvTableColumn this[string name] =>
        Columns.FirstOrDefault(column => column.Name == name)
        ?? throw new KeyNotFoundException($"{Source} has no column named {Quoting.Quote(name)}; its columns are {Quoting.List(Columns, c => Quoting.Shorten(c.Name))}.");

    /// <summary>The physical line (from 1) on which data row <paramref name="row"/> (from 0) starts.</summary>
    public long LineOf(int row) => _lines[row];

    /// <summary>The physical line on which a cell starts: its row's, plus the line breaks inside the quoted cells before it.</summary>
    internal long LineOf(int row, CsvTableColumn column) =>
        _lines[row] + (_lineBreaks.TryGetValue(row, out int[]? before) ? before[column.FileIndex] : 0);

    /// <summary>
    /// Splits the rows at random into two tables, the first with <paramref name="firstFraction"/> of them, as
    /// scikit-learn's <c>train_test_split</c>. With <paramref name="stratifyBy"/>, each value of that column
    /// (each class) is split in the same proportion, so both tables keep the classes' shares. Each table keeps
    /// its rows in file order.
    /// </summary>
    /// <param name="firstFraction">The share of the rows, or of each class's rows, that go to the first table; strictly between 0 and 1.</param>
    /// <param name="seed">The seed of the random choice.</param>
    /// <param name="stratifyBy">The column whose values to keep in proportion, usually the label column, or null.</param>
    /// <returns>The two tables.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not strictly between 0 and 1.</exception>
    /// <exception cref="ArgumentException">A table would be empty, or the column does not exist.</exception>
    public (CsvTable First, CsvTable Second) Split(double firstFraction, int seed, CsvColumn? stratifyBy = null)
    {
        if (!(firstFraction > 0 && firstFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(firstFraction), firstFraction, "The fraction must be between 0 and 1.");
        }

        CsvTableColumn? strata = stratifyBy is CsvColumn column ? Find(column, nameof(stratifyBy)) : null;
        var random = new SeededRandom(seed);
        var first = new List<int>();
        foreach (IGrouping<string?, int> group in Enumerable.Range(0, Count).GroupBy(row => strata is null ? null : strata.Key(row)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            int[] rows = [.. group];
            random.Shuffle(rows.AsSpan());
            first.AddRange(rows.Take((int)Math.Round(rows.Length * firstFraction, MidpointRounding.AwayFromZero)));
        }

        var chosen = new HashSet<int>(first);
        int[] firstRows = [.. Enumerable.Range(0, Count).Where(chosen.Contains)];
        int[] secondRows = [.. Enumerable.Range(0, Count).Where(row => !chosen.Contains(row))];
        return firstRows.Length > 0 && secondRows.Length > 0
            ? (Rows(firstRows), Rows(secondRows))
            : throw new ArgumentException($"Splitting {Count} rows at {firstFraction} leaves a table empty.", nameof(firstFraction));
    }

    /// <summary>A table of the given rows, in that order.</summary>
    internal CsvTable Rows(int[] rows)
    {
        var lineBreaks = new Dictionary<int, int[]>();
        for (int i = 0; i < rows.Length; i++)
        {
            if (_lineBreaks.TryGetValue(rows[i], out int[]? before))
            {
                lineBreaks[i] = before;
            }
        }

        return new CsvTable(Source, [.. Columns.Select(column => column.Gather(rows, _lines))], [.. rows.Select(row => _lines[row])], lineBreaks);
    }

    /// <summary>Finds a column chosen by name or by its index in the file.</summary>
    internal CsvTableColumn Find(CsvColumn column, string parameterName) =>
        TryFind(column) ?? throw new ArgumentException(Missing(column), parameterName);

    /// <summary>The column chosen by name or by its index in the file, or null when the table has none.</summary>
    internal CsvTableColumn? TryFind(CsvColumn column) =>
        column.Name is null
            ? Columns.FirstOrDefault(c => c.FileIndex == column.Index)
            : Columns.FirstOrDefault(c => c.Name == column.Name);

    /// <summary>The message for a column the table does not have.</summary>
    internal string Missing(CsvColumn column) =>
        $"{Source} has no column {(column.Name is null ? $"at index {column.Index}" : $"named {Quoting.Quote(column.Name)}")} " +
        $"(ignored columns are left out); its columns are {Quoting.List(Columns, c => Quoting.Shorten(c.Name))}.";
}

/// <summary>
/// One column of a <see cref="CsvTable"/>: numbers, or text such as category names. A column is read as
/// numbers when every cell that is not missing is a number in the options' culture; otherwise, or when it
/// is one of <see cref="CsvOptions.TextColumns"/>, as text.
/// </summary>
public sealed class CsvTableColumn
{
    private readonly ChunkedList<float> _numbers;
    private readonly ChunkedList<int> _codes;
    private readonly string[] _texts;

    internal CsvTableColumn(
        string name, string label, int fileIndex, bool isText, ChunkedList<float> numbers, ChunkedList<int> codes, string[] texts, int missing, long firstMissingLine, string firstMissing)
    {
        Name = name;
        Label = label;
        IsText = isText;
        FileIndex = fileIndex;
        _numbers = numbers;
        _codes = codes;
        _texts = texts;
        MissingCount = missing;
        FirstMissingLine = firstMissingLine;
        FirstMissing = firstMissing;
    }

    /// <summary>The header name, or <c>column N</c> (from 1) in a file without a header.</summary>
    public string Name { get; }

    /// <summary>Whether the column holds text rather than numbers.</summary>
    public bool IsText { get; }

    /// <summary>The number of missing cells.</summary>
    public int MissingCount { get; }

    /// <summary>The distinct texts of a text column, in the order they first appear; empty for a numeric column.</summary>
    public IReadOnlyList<string> Categories => _texts;

    /// <summary>The column as errors name it: its 1-based number and its header name.</summary>
    internal string Label { get; }

    /// <summary>The 0-based index of the column in the file.</summary>
    internal int FileIndex { get; }

    /// <summary>The line of the first missing cell, or 0.</summary>
    internal long FirstMissingLine { get; }

    /// <summary>The first missing cell as written, such as <c>NA</c>.</summary>
    internal string FirstMissing { get; }

    /// <summary>The number in row <paramref name="row"/>, NaN when it is missing.</summary>
    /// <exception cref="InvalidOperationException">The column holds text.</exception>
    public float Number(int row) =>
        IsText ? throw new InvalidOperationException($"Column {Quoting.Quote(Name)} holds text, not numbers.") : _numbers[row];

    /// <summary>The text in row <paramref name="row"/>, null when it is missing.</summary>
    /// <exception cref="InvalidOperationException">The column holds numbers.</exception>
    public string? Text(int row) =>
        !IsText ? throw new InvalidOperationException($"Column {Quoting.Quote(Name)} holds numbers, not text.")
        : _codes[row] < 0 ? null : _texts[_codes[row]];

    /// <summary>The column of the given rows, in that order, with the categories those rows hold, in the order they first appear there.</summary>
    internal CsvTableColumn Gather(int[] rows, long[] lines)
    {
        int missing = rows.Count(IsMissing);
        int firstMissing = Array.FindIndex(rows, IsMissing);
        var numbers = new ChunkedList<float>();
        var codes = new ChunkedList<int>();
        var texts = new List<string>();
        var renumbered = new Dictionary<int, int>();
        foreach (int row in rows)
        {
            if (!IsText)
            {
                numbers.Add(_numbers[row]);
                continue;
            }

            int code = _codes[row];
            if (code >= 0 && !renumbered.TryGetValue(code, out int kept))
            {
                renumbered[code] = kept = texts.Count;
                texts.Add(_texts[code]);
            }

            codes.Add(code < 0 ? -1 : renumbered[code]);
        }

        return new CsvTableColumn(Name, Label, FileIndex, IsText, numbers, codes, [.. texts], missing, firstMissing < 0 ? 0 : lines[rows[firstMissing]], missing > 0 ? FirstMissing : "");
    }

    /// <summary>Row <paramref name="row"/>'s value as a grouping key: its text, its number in round-trip form, or null when missing.</summary>
    internal string? Key(int row) =>
        IsMissing(row) ? null : IsText ? _texts[_codes[row]] : _numbers[row].ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Copies a numeric column into a row-major matrix: row i's value goes to <c>offset + i · stride</c>.</summary>
    internal void CopyNumbersTo(Span<float> destination, int offset, int stride) => _numbers.CopyTo(destination, offset, stride);

    /// <summary>Whether row <paramref name="row"/>'s cell is missing.</summary>
    internal bool IsMissing(int row) => IsText ? _codes[row] < 0 : float.IsNaN(_numbers[row]);
}
