using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace StaticNet;

/// <summary>
/// The preprocessing of a table's rows into a network's inputs, learned from training data, as Keras'
/// <c>FeatureSpace</c> or a scikit-learn pipeline of imputer, encoder and scaler: missing values filled in
/// (or their rows dropped), text categories one-hot or ordinal, numbers scaled, and the class names of the
/// label column. Fit it on the training rows only, then transform the training, validation and test rows,
/// and the raw rows the trained model is later asked about, the same way.
/// </summary>
public sealed partial class FeatureSpace
{
    private readonly InputColumn[] _inputs;
    private readonly string[] _targets;
    private readonly ClassLabels? _labels;
    private readonly FeatureSpaceOptions _options;

    private FeatureSpace(InputColumn[] inputs, string[] targets, ClassLabels? labels, FeatureSpaceOptions options, FeatureScaling? scaling)
    {
        _inputs = inputs;
        _targets = targets;
        _labels = labels;
        _options = options;
        Scaling = scaling;
        FeatureNames = [.. inputs.SelectMany(input => input.FeatureNames(options.Categories))];
        InputColumns = [.. inputs.Select(input => input.Name)];
    }

    /// <summary>The number of features a row becomes: the <c>Inputs</c> of the network that takes them.</summary>
    public int FeatureCount => FeatureNames.Count;

    /// <summary>The features' names: a numeric column's name, or <c>column=category</c> for each one-hot category.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The table columns a row to encode holds, in order: every column but the targets.</summary>
    public IReadOnlyList<string> InputColumns { get; }

    /// <summary>
    /// The features grouped by the input column they encode, each group named after its column: a one-hot column's
    /// categories count as one player of a <see cref="KernelShap"/> explanation and are permuted together by
    /// <see cref="PermutationImportance"/>.
    /// </summary>
    public FeatureGroups ColumnGroups =>
        new([.. _inputs.SelectMany((input, column) => Enumerable.Repeat(column, input.Width(_options.Categories)))], InputColumns);

    /// <summary>The target columns.</summary>
    public IReadOnlyList<string> TargetColumns => _targets;

    /// <summary>The classes of the label column, in target-column order, or null for numeric targets.</summary>
    public IReadOnlyList<string>? ClassNames => _labels?.Names;

    /// <summary>The number of target columns a row becomes: the classes, or the numeric targets.</summary>
    public int TargetCount => _labels?.Names.Count ?? _targets.Length;

    /// <summary>The scaling of the features (1 and 0 for one-hot ones), or null when the options asked for none.</summary>
    public FeatureScaling? Scaling { get; }

    /// <summary>
    /// Learns the preprocessing from training rows: each text column's categories (in ordinal order), each
    /// column's fill-in value, the features' scaling, and the label column's classes.
    /// </summary>
    /// <param name="table">The training rows, as <see cref="Csv.ReadTable(string, CsvOptions)"/> read them.</param>
    /// <param name="options">The targets and what to do with missing values, categories and scaling.</param>
    /// <returns>The fitted preprocessing.</returns>
    /// <exception cref="ArgumentException">The options contradict each other or name a column the table does not have.</exception>
    /// <exception cref="DataFormatException">
    /// A value is missing under <see cref="MissingValueStrategy.Error"/>, a numeric target is text, a label is not one of
    /// the classes given, or the label column holds fewer than two classes; the message names the line, column and value.
    /// </exception>
    public static FeatureSpace Fit(CsvTable table, FeatureSpaceOptions options)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckRows(table);
        CsvTableColumn[] targets = [.. options.TargetColumns.Select(column => table.Find(column, nameof(options.TargetColumns)))];
        CsvTableColumn[] features = [.. table.Columns.Except(targets)];
        if (features.Length == 0)
        {
            throw new ArgumentException($"Every column of {table.Source} is a target; a model needs at least one feature column.", nameof(options));
        }

        bool classes = options.ClassNames is not null || options.ClassCount is not null || (targets.Length == 1 && targets[0].IsText);
        bool[] kept = KeptRows(table, [.. features, .. targets], options.Missing);
        ClassLabels? labels = classes ? ClassLabels.Of(table, targets[0], kept, options.ClassNames, options.ClassCount) : null;
        InputColumn[] inputs = [.. features.Select(column => InputColumn.Fit(table, column, kept, options))];
        var unscaled = new FeatureSpace(inputs, [.. targets.Select(t => t.Name)], labels, options, null);

        // Encoding the training rows checks them all (missing values, targets, labels) before the space is handed out.
        Dataset encoded = unscaled.Transform(table, out _);
        if (options.Scaling is not ScalingMethod method)
        {
            return unscaled;
        }

        FeatureScaling fitted = FeatureScaling.Fit(method, encoded);
        float[] center = [.. fitted.Center];
        float[] scale = [.. fitted.Scale];
        int feature = 0;
        foreach (InputColumn input in inputs)
        {
            int width = input.Width(options.Categories);
            if (input.IsText)
            {
                // Categories are not scaled: a one-hot 1 or an ordinal index keeps its meaning.
                center.AsSpan(feature, width).Clear();
                scale.AsSpan(feature, width).Fill(1);
            }

            feature += width;
        }

        return new FeatureSpace(inputs, unscaled._targets, labels, options, new FeatureScaling(method, center, scale));
    }

    /// <summary>Encodes a table's rows, as they were fitted, into a dataset.</summary>
    /// <inheritdoc cref="Transform(CsvTable, out int)"/>
    public Dataset Transform(CsvTable table) => Transform(table, out _);

    /// <summary>Encodes a table's rows, as they were fitted, into a dataset, and counts the rows dropped for missing values.</summary>
    /// <param name="table">Rows with the fitted table's columns (and their targets).</param>
    /// <param name="droppedRows">How many rows <see cref="MissingValueStrategy.DropRows"/> left out.</param>
    /// <returns>The dataset, with <see cref="Dataset.ClassNames"/> for a label column.</returns>
    /// <exception cref="ArgumentException">The table lacks a column, or every row was dropped.</exception>
    /// <exception cref="DataFormatException">A value is missing under <see cref="MissingValueStrategy.Error"/>, a number column holds text, an unknown category meets <see cref="UnknownCategory.Error"/>, or a label is not a class; the message names the line, column and value.</exception>
    public Dataset Transform(CsvTable table, out int droppedRows)
    {
        ArgumentNullException.ThrowIfNull(table);
        CheckRows(table);
        CsvTableColumn[] features = [.. _inputs.Select(input => table.Find(input.Name, nameof(table)))];
        CsvTableColumn[] targets = [.. _targets.Select(target => table.Find(target, nameof(table)))];
        bool[] kept = KeptRows(table, [.. features, .. targets], _options.Missing);
        int rows = kept.Count(k => k);
        droppedRows = table.Count - rows;
        if (rows == 0)
        {
            throw new ArgumentException($"Every row of {table.Source} has a missing value, so none is left.", nameof(table));
        }

        float[] x = EncodeRows(table, features, kept, rows);
        float[] y = new float[rows * TargetCount];
        int row = 0;
        for (int source = 0; source < table.Count; source++)
        {
            if (kept[source])
            {
                EncodeTargets(table, targets, source, y.AsSpan(row++ * TargetCount, TargetCount));
            }
        }

        return new Dataset(x, FeatureCount, y, TargetCount) { ClassNames = _labels is { IsNamed: true } ? _labels.Names : null, FeatureNames = FeatureNames };
    }

    /// <summary>Encodes every row of a table's input columns, scaled, row-major; a missing value must be filled in.</summary>
    internal float[] EncodeRows(CsvTable table)
    {
        CsvTableColumn[] features = [.. _inputs.Select(input => table.Find(input.Name, nameof(table)))];
        bool[] all = new bool[table.Count];
        Array.Fill(all, true);
        return EncodeRows(table, features, all, table.Count);
    }

    private float[] EncodeRows(CsvTable table, CsvTableColumn[] features, bool[] kept, int rows)
    {
        float[] x = new float[rows * FeatureCount];
        int row = 0;
        for (int source = 0; source < table.Count; source++)
        {
            if (!kept[source])
            {
                continue;
            }

            Span<float> destination = x.AsSpan(row++ * FeatureCount, FeatureCount);
            int feature = 0;
            for (int i = 0; i < _inputs.Length; i++)
            {
                feature += _inputs[i].Encode(table, features[i], source, destination[feature..], _options);
            }
        }

        Scaling?.Apply(x, x);
        return x;
    }

    /// <summary>
    /// Encodes one raw row, its cells as text as a CSV file holds them (numbers in the invariant culture), in
    /// <see cref="InputColumns"/> order; a null, empty or <c>NA</c>-like cell is missing.
    /// </summary>
    /// <param name="cells">The row's cells, one per input column.</param>
    /// <param name="destination">Receives <see cref="FeatureCount"/> features.</param>
    /// <exception cref="ArgumentException">The cell count is not the input columns', or the destination is too short.</exception>
    /// <exception cref="FormatException">A number cell is not a number, a value is missing and cannot be filled in, or an unknown category meets <see cref="UnknownCategory.Error"/>; the message names the column and the value.</exception>
    public void Encode(ReadOnlySpan<string?> cells, Span<float> destination)
    {
        if (cells.Length != _inputs.Length)
        {
            throw new ArgumentException(
                $"The row has {cells.Length} cells but the feature space takes {_inputs.Length}: {Quoting.List(_inputs, input => Quoting.Shorten(input.Name))}.", nameof(cells));
        }

        if (destination.Length < FeatureCount)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; the features are {FeatureCount}.", nameof(destination));
        }

        int feature = 0;
        for (int i = 0; i < _inputs.Length; i++)
        {
            feature += _inputs[i].Encode(cells[i], destination[feature..], _options);
        }

        Scaling?.Apply(destination[..FeatureCount], destination[..FeatureCount]);
    }

    /// <summary>Encodes one raw record, its cells by column name; a column the record lacks is missing.</summary>
    /// <param name="record">The cells by input column name, as text.</param>
    /// <param name="destination">Receives <see cref="FeatureCount"/> features.</param>
    /// <inheritdoc cref="Encode(ReadOnlySpan{string}, Span{float})"/>
    public void Encode(IReadOnlyDictionary<string, string?> record, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(record);
        string?[] cells = [.. _inputs.Select(input => record.TryGetValue(input.Name, out string? cell) ? cell : null)];
        Encode(cells, destination);
    }

    /// <summary>Refuses a table without data rows, which has nothing to learn from or to encode.</summary>
    private static void CheckRows(CsvTable table)
    {
        if (table.Count == 0)
        {
            throw new ArgumentException($"{table.Source} has no data rows.", nameof(table));
        }
    }

    /// <summary>The rows to keep: all, or under <see cref="MissingValueStrategy.DropRows"/> those with no missing value in <paramref name="columns"/>.</summary>
    private static bool[] KeptRows(CsvTable table, CsvTableColumn[] columns, MissingValueStrategy missing)
    {
        bool[] kept = new bool[table.Count];
        Array.Fill(kept, true);
        if (missing == MissingValueStrategy.DropRows)
        {
            foreach (CsvTableColumn column in columns.Where(c => c.MissingCount > 0))
            {
                for (int row = 0; row < kept.Length; row++)
                {
                    kept[row] &= !column.IsMissing(row);
                }
            }
        }

        return kept;
    }

    private void EncodeTargets(CsvTable table, CsvTableColumn[] targets, int row, Span<float> destination)
    {
        if (_labels is not null)
        {
            int index = _labels.ClassOf(targets[0], row);
            destination[index >= 0 ? index : throw _labels.Problem(table, targets[0], row)] = 1;
            return;
        }

        for (int t = 0; t < targets.Length; t++)
        {
            CsvTableColumn target = targets[t];
            float value = target.IsText ? float.NaN : target.Number(row);
            if (!float.IsFinite(value))
            {
                string? cell = target.IsText ? target.Text(row) : null;
                throw new DataFormatException(table.Source, table.LineOf(row, target), target.Label, Quoting.Shorten(cell ?? target.FirstMissing),
                    cell is null ? "The target is missing; every row needs its targets." : "The target is not a number.");
            }

            destination[t] = value;
        }
    }

    /// <summary>One input column, fitted: numeric with its fill-in value, or text with its categories and fill-in category.</summary>
    private sealed class InputColumn
    {
        private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);

        private InputColumn(string name, string[] categories, float fill, string? fillCategory)
        {
            Name = name;
            Categories = categories;
            Fill = fill;
            FillCategory = fillCategory;
            for (int i = 0; i < categories.Length; i++)
            {
                _codes[categories[i]] = i;
            }
        }

        public string Name { get; }

        /// <summary>The categories of a text column, in ordinal order; empty for a numeric column.</summary>
        public string[] Categories { get; }

        public bool IsText => Categories.Length > 0;

        /// <summary>A numeric column's fill-in value, NaN when missing values are not filled in.</summary>
        public float Fill { get; }

        /// <summary>A text column's fill-in category, null when missing values are not filled in.</summary>
        public string? FillCategory { get; }

        /// <summary>An input column as a model file recorded it.</summary>
        public static InputColumn Restore(string name, string[] categories, float fill, string? fillCategory) => new(name, categories, fill, fillCategory);

        public static InputColumn Fit(CsvTable table, CsvTableColumn column, bool[] kept, FeatureSpaceOptions options)
        {
            bool fills = options.Missing is not (MissingValueStrategy.Error or MissingValueStrategy.DropRows);
            if (!column.IsText)
            {
                float[] values = [.. Enumerable.Range(0, table.Count).Where(row => kept[row]).Select(column.Number).Where(float.IsFinite)];
                float fill = !fills ? float.NaN : values.Length == 0 && options.Missing != MissingValueStrategy.Constant
                    ? throw new DataFormatException(table.Source, null, column.Label, null, "Every value of the column is missing, so there is nothing to fill in from.")
                    : options.Missing switch
                    {
                        MissingValueStrategy.Mean => (float)values.Average(v => (double)v),
                        MissingValueStrategy.Median => Median(values),
                        MissingValueStrategy.MostFrequent => values.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key,
                        _ => options.FillValue,
                    };
                return new InputColumn(column.Name, [], fill, null);
            }

            string?[] texts = [.. Enumerable.Range(0, table.Count).Where(row => kept[row]).Select(column.Text)];
            string? fillCategory = !fills ? null
                : options.Missing == MissingValueStrategy.Constant ? options.FillCategory
                : texts.Where(t => t is not null).GroupBy(t => t!, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).FirstOrDefault()?.Key
                  ?? throw new DataFormatException(table.Source, null, column.Label, null, "Every value of the column is missing, so there is nothing to fill in from.");
            IEnumerable<string> seen = texts.Where(t => t is not null)!;
            if (fillCategory is not null && texts.Any(t => t is null))
            {
                seen = seen.Append(fillCategory);
            }

            string[] categories = [.. seen.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            return categories.Length > 0
                ? new InputColumn(column.Name, categories, float.NaN, fillCategory)
                : throw new DataFormatException(table.Source, null, column.Label, null, "The text column has no values to learn categories from.");
        }

        public int Width(CategoryEncoding encoding) => IsText && encoding == CategoryEncoding.OneHot ? Categories.Length : 1;

        public IEnumerable<string> FeatureNames(CategoryEncoding encoding) =>
            IsText && encoding == CategoryEncoding.OneHot ? Categories.Select(category => $"{Name}={category}") : [Name];

        /// <summary>Encodes row <paramref name="row"/> of a table column into <paramref name="destination"/> and returns the features written.</summary>
        public int Encode(CsvTable table, CsvTableColumn column, int row, Span<float> destination, FeatureSpaceOptions options)
        {
            string? text = column.IsText ? column.Text(row) : null;
            float number = column.IsText ? float.NaN : column.Number(row);
            if (!IsText && column.IsText && text is not null && !float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number))
            {
                throw new DataFormatException(table.Source, table.LineOf(row, column), column.Label, Quoting.Shorten(text), "The cell is not a number, but the column was numeric when the feature space was fitted.");
            }

            if (IsText && !column.IsText && float.IsFinite(number))
            {
                text = CsvTableReader.CellRules.Canonical(number);
            }

            try
            {
                return IsText ? EncodeText(text, destination, options) : EncodeNumber(number, destination);
            }
            catch (FormatException e)
            {
                throw new DataFormatException(table.Source, table.LineOf(row, column), column.Label, Quoting.Shorten(text ?? column.FirstMissing), e.Message, e);
            }
        }

        /// <summary>Encodes a raw cell and returns the features written.</summary>
        public int Encode(string? cell, Span<float> destination, FeatureSpaceOptions options)
        {
            string? text = cell?.Trim();
            if (text is not null && CsvOptions.DefaultMissingValues.Contains(text))
            {
                text = null;
            }

            try
            {
                if (IsText)
                {
                    return EncodeText(text, destination, options);
                }

                float number = float.NaN;
                return text is null || float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number)
                    ? EncodeNumber(number, destination)
                    : throw new FormatException("The cell is not a number.");
            }
            catch (FormatException e)
            {
                throw new FormatException($"Column {Quoting.Quote(Name)}, {(cell is null ? "no value" : Quoting.Quote(Quoting.Shorten(cell)))}: {e.Message}", e);
            }
        }

        private int EncodeNumber(float number, Span<float> destination)
        {
            if (float.IsNaN(number))
            {
                number = float.IsNaN(Fill) ? throw new FormatException("The value is missing, and the feature space fills in no missing values.") : Fill;
            }
            else if (!float.IsFinite(number))
            {
                throw new FormatException("The value is infinite.");
            }

            destination[0] = number;
            return 1;
        }

        private int EncodeText(string? text, Span<float> destination, FeatureSpaceOptions options)
        {
            text ??= FillCategory ?? throw new FormatException("The value is missing, and the feature space fills in no missing values.");
            // A number-like category was read as its canonical text (CsvTableReader), so "01" finds "1".
            int code = _codes.TryGetValue(text, out int found)
                || (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float number) && float.IsFinite(number)
                    && _codes.TryGetValue(CsvTableReader.CellRules.Canonical(number), out found)) ? found
                : options.Unknown == UnknownCategory.Ignore ? -1
                : throw new FormatException($"The category is not one of the {Categories.Length} seen in training: {Quoting.List(Categories, c => Quoting.Shorten(c))}.");
            if (options.Categories == CategoryEncoding.Ordinal)
            {
                destination[0] = code;
                return 1;
            }

            destination[..Categories.Length].Clear();
            if (code >= 0)
            {
                destination[code] = 1;
            }

            return Categories.Length;
        }

        private static float Median(float[] values)
        {
            Array.Sort(values);
            int middle = values.Length / 2;
            return values.Length % 2 == 1 ? values[middle] : (float)(((double)values[middle - 1] + values[middle]) / 2);
        }
    }
}
