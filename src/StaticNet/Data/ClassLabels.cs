using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace StaticNet;

/// <summary>
/// The classes of a label column: the names given, integer labels from 0, or the names the column holds,
/// learned in ordinal order so that the same data always gives the same columns, as scikit-learn's
/// <c>LabelEncoder</c> sorts them.
/// </summary>
internal sealed class ClassLabels
{
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
    private readonly int _count;

    /// <summary>The classes <paramref name="names"/>, or <paramref name="count"/> integer labels when the names are null.</summary>
    public ClassLabels(IReadOnlyList<string>? names, int? count)
    {
        if (names is null)
        {
            _count = count ?? throw new ArgumentNullException(nameof(count));
            Names = [.. Enumerable.Range(0, _count).Select(i => i.ToString(CultureInfo.InvariantCulture))];
            return;
        }

        IsNamed = true;
        Names = [.. names];
        for (int i = 0; i < Names.Count; i++)
        {
            _byName.TryAdd(Names[i], i);
        }
    }

    /// <summary>
    /// The classes of <paramref name="column"/>: <paramref name="names"/>, or <paramref name="count"/> integer labels,
    /// or the texts the rows <paramref name="kept"/> (all when null) hold, in ordinal order.
    /// </summary>
    /// <exception cref="DataFormatException">The classes are learned and fewer than two.</exception>
    public static ClassLabels Of(CsvTable table, CsvTableColumn column, bool[]? kept, IReadOnlyList<string>? names, int? count)
    {
        if (names is not null || count is not null)
        {
            return new ClassLabels(names, count);
        }

        string[] learned = column.IsText
            ? [.. Enumerable.Range(0, table.Count).Where(row => kept?[row] ?? true).Select(column.Text).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]
            : [];
        return learned.Length >= 2 ? new ClassLabels(learned, null)
            : throw new DataFormatException(table.Source, null, column.Label, null,
                $"The label column holds {(learned.Length == 0 ? "no class" : $"only the class {Quoting.Quote(learned[0])}")}; classification needs at least two.");
    }

    /// <summary>The integer label count, or null for named classes.</summary>
    public int? Count => IsNamed ? null : _count;

    /// <summary>The classes, in target-column order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Whether the classes have names (given or learned) rather than integer labels.</summary>
    public bool IsNamed { get; }

    /// <summary>The class of row <paramref name="row"/>: its index, -1 when the label is missing, -2 when it is not a class.</summary>
    public int ClassOf(CsvTableColumn column, int row)
    {
        string? label = column.IsText ? column.Text(row) : Number(column.Number(row));
        return label is null ? -1 : ClassOf(label);
    }

    /// <summary>The class of a label: its index, or -2 when it is not a class.</summary>
    public int ClassOf(string label) =>
        IsNamed ? (_byName.TryGetValue(label, out int index) ? index : -2)
        : int.TryParse(label, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number) && number >= 0 && number < _count ? number : -2;

    /// <summary>The error for row <paramref name="row"/>, whose label is missing or not a class.</summary>
    public DataFormatException Problem(CsvTable table, CsvTableColumn column, int row)
    {
        string? label = column.IsText ? column.Text(row) : Number(column.Number(row));
        return new DataFormatException(table.Source, table.LineOf(row, column), column.Label, Quoting.Shorten(label ?? column.FirstMissing), Problem(label));
    }

    /// <summary>Why <paramref name="label"/> (null when missing) has no class.</summary>
    public string Problem(string? label) =>
        label is null ? "The label is missing; every row needs its class."
        : IsNamed ? $"The label is not one of the {Names.Count} classes: {Quoting.List(Names, name => Quoting.Shorten(name))}."
        : $"The label is out of range: labels are integers from 0 to {Names.Count - 1}.";

    private static string? Number(float value) => float.IsNaN(value) ? null : value.ToString("R", CultureInfo.InvariantCulture);
}
