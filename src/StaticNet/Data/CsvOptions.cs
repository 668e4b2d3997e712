using System;
using System.Collections.Generic;
using System.Globalization;

namespace StaticNet;

/// <summary>How <see cref="Csv.Load(string, CsvOptions)"/> and <see cref="Csv.ReadTable(string, CsvOptions)"/> reads a CSV file into features and targets.</summary>
public sealed class CsvOptions
{
    /// <summary>Whether the first line names the columns. Defaults to true.</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>The character between cells. Defaults to a comma.</summary>
    public char Separator { get; init; } = ',';

    /// <summary>The columns that hold the targets, in the order they become target columns. At least one is required.</summary>
    public IReadOnlyList<CsvColumn> TargetColumns { get; init; } = [];

    /// <summary>Columns that are neither features nor targets, such as identifiers; they are not read.</summary>
    public IReadOnlyList<CsvColumn> IgnoredColumns { get; init; } = [];

    /// <summary>
    /// Columns to read as text (categories) even where their cells look like numbers, such as postal codes.
    /// Other columns are text when a cell that is not missing is not a number.
    /// </summary>
    public IReadOnlyList<CsvColumn> TextColumns { get; init; } = [];

    /// <summary>
    /// The number of physical lines at the start of the file to skip before the header or the first row, such
    /// as the counts line of scikit-learn's data files. Defaults to 0.
    /// </summary>
    public int SkipLines { get; init; }

    /// <summary>A prefix that marks comment lines, which are skipped, such as <c>#</c>; null (the default) for none.</summary>
    public string? CommentPrefix { get; init; }

    /// <summary>
    /// The cell texts that mean a value is missing, compared after trimming white space. Defaults to empty,
    /// <c>NA</c>, <c>N/A</c>, <c>NaN</c>, <c>null</c> and <c>?</c>, as pandas and the UCI repository write them.
    /// </summary>
    public IReadOnlyList<string> MissingValues { get; init; } = DefaultMissingValues;

    /// <summary>The default <see cref="MissingValues"/>.</summary>
    internal static string[] DefaultMissingValues { get; } = ["", "NA", "N/A", "NaN", "null", "?"];

    /// <summary>
    /// The culture numbers are written in: its decimal and thousands separators. Defaults to the invariant
    /// culture (<c>1234.5</c>); <c>CultureInfo.GetCultureInfo("de-DE")</c> reads <c>1.234,5</c>, usually with
    /// <see cref="Separator"/> <c>;</c>.
    /// </summary>
    public CultureInfo Culture { get; init; } = CultureInfo.InvariantCulture;

    /// <summary>
    /// When set, the single target column holds class names, and each becomes a one-hot row over
    /// these classes in this order. A name not in the list is an error.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>
    /// When set, the single target column holds integer class labels 0 to <c>ClassCount - 1</c>,
    /// and each becomes a one-hot row. A label outside that range is an error.
    /// </summary>
    public int? ClassCount { get; init; }

    /// <summary>The number of target columns the dataset gets: the class count when labels are one-hot, else the target columns.</summary>
    internal int TargetWidth => ClassNames?.Count ?? ClassCount ?? TargetColumns.Count;

    internal bool OneHot => ClassNames is not null || ClassCount is not null;

    /// <summary>Checks the options that reading a table needs.</summary>
    internal void ValidateReading()
    {
        ArgumentNullException.ThrowIfNull(TargetColumns);
        ArgumentNullException.ThrowIfNull(IgnoredColumns);
        ArgumentNullException.ThrowIfNull(TextColumns);
        ArgumentNullException.ThrowIfNull(MissingValues);
        ArgumentNullException.ThrowIfNull(Culture);
        ArgumentOutOfRangeException.ThrowIfNegative(SkipLines, nameof(SkipLines));
        if (CommentPrefix is { Length: 0 })
        {
            throw new ArgumentException("CommentPrefix must not be empty: every line would be a comment. Use null for none.", nameof(CommentPrefix));
        }
    }

    /// <summary>Checks the options that loading a dataset needs.</summary>
    internal void Validate()
    {
        ValidateReading();
        if (TargetColumns.Count == 0)
        {
            throw new ArgumentException("Choose at least one target column.", nameof(TargetColumns));
        }

        if (ClassNames is not null && ClassCount is not null)
        {
            throw new ArgumentException("Set either ClassNames or ClassCount, not both.", nameof(ClassCount));
        }

        if (OneHot && TargetColumns.Count != 1)
        {
            throw new ArgumentException("One-hot labels come from exactly one target column.", nameof(TargetColumns));
        }

        if (ClassCount < 2 || ClassNames?.Count < 2)
        {
            throw new ArgumentException("Classification needs at least two classes.", nameof(ClassCount));
        }
    }
}
