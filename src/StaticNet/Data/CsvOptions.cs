using System;
using System.Collections.Generic;

namespace StaticNet;

/// <summary>How <see cref="Csv.Load"/> reads a CSV file into features and targets.</summary>
public sealed class CsvOptions
{
    /// <summary>Whether the first line names the columns. Defaults to true.</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>The character between cells. Defaults to a comma.</summary>
    public char Separator { get; init; } = ',';

    /// <summary>The columns that hold the targets, in the order they become target columns. At least one is required.</summary>
    public IReadOnlyList<CsvColumn> TargetColumns { get; init; } = [];

    /// <summary>Columns that are neither features nor targets, such as identifiers.</summary>
    public IReadOnlyList<CsvColumn> IgnoredColumns { get; init; } = [];

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

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(TargetColumns);
        ArgumentNullException.ThrowIfNull(IgnoredColumns);
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
