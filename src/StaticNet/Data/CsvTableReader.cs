using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using nietras.SeparatedValues;

namespace StaticNet;

/// <summary>
/// Reads Sep's rows into a <see cref="CsvTable"/>: skips the leading lines, comment lines and blank lines,
/// takes the header (or numbers the columns), checks every row's cell count, and hands each cell to its
/// column, which keeps numbers until a cell is not one, then text.
/// </summary>
internal static class CsvTableReader
{
    public static CsvTable Read(SepReader reader, string source, CsvOptions options)
    {
        string[]? header = null;
        ColumnBuilder[]? columns = null;
        int columnCount = 0;
        string countSource = "";
        var lines = new List<long>();
        var lineBreaks = new Dictionary<int, int[]>();
        var rules = new CellRules(options);

        // Sep numbers the first row's line wrongly (as the line after it) but every row's end rightly,
        // so each row starts where the previous one ended.
        long line = 1;
        foreach (SepReader.Row row in reader)
        {
            long rowLine = line;
            line = row.LineNumberToExcl;
            if (rowLine <= options.SkipLines || IsBlankOrComment(row, options.CommentPrefix))
            {
                continue;
            }

            if (columns is null)
            {
                columnCount = row.ColCount;
                header = options.HasHeader ? Cells(row) : null;
                countSource = header is not null ? "the header" : "the first row";
                var layout = new CsvLayout(source, header ?? [], options);
                layout.Resolve(columnCount, rowLine);
                columns = Builders(source, layout, header, columnCount);
                if (header is not null)
                {
                    continue;
                }
            }

            if (row.ColCount != columnCount)
            {
                throw new DataFormatException(source, rowLine, null, null, $"The row has {row.ColCount} cells but {countSource} has {columnCount}.");
            }

            foreach (ColumnBuilder column in columns)
            {
                column.Add(row, rowLine, rules);
            }

            if (line - rowLine > 1)
            {
                // Only rows with quoted line breaks keep where each cell starts.
                int[] before = new int[columnCount];
                for (int column = 0; column < columnCount; column++)
                {
                    before[column] = (int)(LineOf(row, rowLine, column) - rowLine);
                }

                lineBreaks[lines.Count] = before;
            }

            lines.Add(rowLine);
        }

        if (columns is null)
        {
            throw new DataFormatException(source, null, null, null, "The file is empty.");
        }

        return new CsvTable(source, [.. columns.Select(c => c.Build())], [.. lines], lineBreaks);
    }

    /// <summary>A column as the user knows it: its header name, else its 1-based number.</summary>
    public static string Label(int column, string[]? header) =>
        header is not null ? $"{column + 1} ({Quoting.Quote(header[column])})" : (column + 1).ToString(CultureInfo.InvariantCulture);

    private static ColumnBuilder[] Builders(string source, CsvLayout layout, string[]? header, int columnCount)
    {
        var text = new HashSet<int>(layout.TextColumns);
        var ignored = new HashSet<int>(layout.IgnoredColumns);
        return
        [
            .. Enumerable.Range(0, columnCount)
                .Where(column => !ignored.Contains(column))
                .Select(column => new ColumnBuilder(
                    source,
                    header?[column] ?? $"column {column + 1}", column, Label(column, header), text.Contains(column))),
        ];
    }

    private static bool IsBlankOrComment(SepReader.Row row, string? commentPrefix) =>
        (row.ColCount == 1 && row[0].Span.IsWhiteSpace()) ||
        (commentPrefix is not null && row.Span.TrimStart().StartsWith(commentPrefix, StringComparison.Ordinal));

    private static string[] Cells(SepReader.Row row)
    {
        string[] cells = new string[row.ColCount];
        for (int i = 0; i < cells.Length; i++)
        {
            cells[i] = row[i].ToString();
        }

        return cells;
    }

    /// <summary>
    /// The physical line a cell starts on: the row's first line plus the line breaks inside the quoted cells
    /// before it, which are the only line breaks within a row.
    /// </summary>
    private static long LineOf(SepReader.Row row, long rowLine, int column)
    {
        long line = rowLine;
        for (int i = 0; i < column; i++)
        {
            ReadOnlySpan<char> text = row[i].Span;
            for (int c = 0; c < text.Length; c++)
            {
                // Counted as Sep counts them: CR LF, a lone CR or a lone LF is one.
                if (text[c] == '\n' || (text[c] == '\r' && (c + 1 == text.Length || text[c + 1] != '\n')))
                {
                    line++;
                }
            }
        }

        return line;
    }

    /// <summary>One column as it is read: numbers until a cell is not one, then text codes.</summary>
    private sealed class ColumnBuilder(string source, string name, int fileIndex, string label, bool declaredText)
    {
        private readonly ChunkedList<float> _numbers = new();
        private readonly ChunkedList<int> _codes = new();
        private readonly List<string> _texts = [];
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly bool _declaredText = declaredText;
        private bool _text = declaredText;
        private int _missing;
        private long _firstMissingLine;
        private string _firstMissing = "";

        public void Add(SepReader.Row row, long rowLine, CellRules rules)
        {
            // Most cells of a numeric column are plain numbers: Sep's parser (csFastFloat in the invariant
            // culture) reads them several times faster than float.TryParse. Only a cell it refuses is trimmed
            // and parsed again in the culture, then looked up among the missing-value tokens, unless a token
            // is itself a number, when every cell is looked up first.
            if (!_text && !rules.NumericTokens && rules.MayParseFast(row[fileIndex].Span) && row[fileIndex].TryParse<float>() is float fast && float.IsFinite(fast))
            {
                _numbers.Add(fast);
                return;
            }

            ReadOnlySpan<char> cell = row[fileIndex].Span.Trim();
            if (rules.Missing.Contains(cell))
            {
                if (_missing++ == 0)
                {
                    _firstMissingLine = LineOf(row, rowLine, fileIndex);
                    _firstMissing = cell.ToString();
                }

                if (_text)
                {
                    _codes.Add(-1);
                }
                else
                {
                    _numbers.Add(float.NaN);
                }

                return;
            }

            if (!_text && rules.TryParse(cell, out float value))
            {
                if (!float.IsFinite(value))
                {
                    throw new DataFormatException(source, LineOf(row, rowLine, fileIndex), label, Quoting.Shorten(cell),
                        "The cell is NaN, infinite or beyond float's range; every value must be a finite number, or one of CsvOptions.MissingValues.");
                }

                _numbers.Add(value);
                return;
            }

            if (!_text)
            {
                BecomeText();
            }

            _codes.Add(CodeOf(cell, rules));
        }

        public CsvTableColumn Build() =>
            new(name, label, fileIndex, _text, _numbers, _codes, [.. _texts], _missing, _firstMissingLine, _firstMissing);

        /// <summary>
        /// Turns the numbers read so far into text, because this cell is not a number. They become their
        /// canonical text (<see cref="CellRules.Canonical"/>), as every number-like cell of the column after them does.
        /// </summary>
        private void BecomeText()
        {
            _text = true;
            for (int row = 0; row < _numbers.Count; row++)
            {
                float number = _numbers[row];
                _codes.Add(float.IsNaN(number) ? -1 : Code(CellRules.Canonical(number)));
            }

            _numbers.Clear();
        }

        /// <summary>The code of a text cell: a column found to be text gives a number-like cell its canonical text, so <c>01</c> and <c>1.0</c> are the one category <c>1</c>.</summary>
        private int CodeOf(ReadOnlySpan<char> cell, CellRules rules) =>
            !_declaredText && rules.TryParse(cell, out float number) && float.IsFinite(number) ? Code(CellRules.Canonical(number)) : Code(cell);

        private int Code(ReadOnlySpan<char> cell)
        {
            Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(cell, out int code))
            {
                code = _texts.Count;
                string textValue = cell.ToString();
                _texts.Add(textValue);
                _index[textValue] = code;
            }

            return code;
        }
    }

    /// <summary>How cells are read: the missing-value tokens, and numbers in the options' culture.</summary>
    internal sealed class CellRules
    {
        private readonly CultureInfo _culture;
        private readonly NumberStyles _styles;

        public CellRules(CsvOptions options)
        {
            _culture = options.Culture;

            // Thousands separators only where a culture was chosen: read invariantly, "3,14" would silently be 314.
            _styles = NumberStyles.Float | (ReferenceEquals(options.Culture, CultureInfo.InvariantCulture) ? NumberStyles.None : NumberStyles.AllowThousands);
            Missing = new HashSet<string>(options.MissingValues, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
            NumericTokens = options.MissingValues.Any(token => TryParse(token, out float value) && float.IsFinite(value));
        }

        /// <summary>
        /// Whether Sep may parse the cell: its parser accepts thousands separators, which only a chosen culture allows,
        /// so in the invariant culture a cell with a comma goes to <see cref="TryParse"/>.
        /// </summary>
        public bool MayParseFast(ReadOnlySpan<char> cell) => (_styles & NumberStyles.AllowThousands) != 0 || !cell.Contains(',');

        /// <summary>The missing-value tokens.</summary>
        public HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Missing { get; }

        /// <summary>Whether a missing-value token is a finite number, such as <c>-999</c>, so cells must be looked up before they are taken as numbers.</summary>
        public bool NumericTokens { get; }

        /// <summary>The canonical text of a number a text column holds: its shortest round-trip form in the invariant culture.</summary>
        public static string Canonical(float number) => number.ToString("R", CultureInfo.InvariantCulture);

        public bool TryParse(ReadOnlySpan<char> cell, out float value) => float.TryParse(cell, _styles, _culture, out value);
    }
}
