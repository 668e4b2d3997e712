using System;
using System.Collections.Generic;

namespace StaticNet;

/// <summary>What <see cref="FeatureSpace.Fit"/> does with missing values.</summary>
public enum MissingValueStrategy
{
    /// <summary>A missing value is an error naming its line and column.</summary>
    Error,

    /// <summary>A row with a missing value is left out; <see cref="FeatureSpace.Transform(CsvTable, out int)"/> counts them. A single row to predict cannot be left out, so there it is an error.</summary>
    DropRows,

    /// <summary>Numbers take the training mean; text takes the most frequent category.</summary>
    Mean,

    /// <summary>Numbers take the training median; text takes the most frequent category.</summary>
    Median,

    /// <summary>Numbers and text take the most frequent training value (the smallest, or the first in ordinal order, of those tied).</summary>
    MostFrequent,

    /// <summary>Numbers take <see cref="FeatureSpaceOptions.FillValue"/>, text <see cref="FeatureSpaceOptions.FillCategory"/>.</summary>
    Constant,
}

/// <summary>How <see cref="FeatureSpace"/> turns a text column into features.</summary>
public enum CategoryEncoding
{
    /// <summary>One feature per category, 1 for the row's and 0 for the others, as scikit-learn's <c>OneHotEncoder</c>.</summary>
    OneHot,

    /// <summary>One feature, the category's index in ordinal order, as scikit-learn's <c>OrdinalEncoder</c>.</summary>
    Ordinal,
}

/// <summary>What <see cref="FeatureSpace"/> does with a category it did not see in the training data.</summary>
public enum UnknownCategory
{
    /// <summary>Encode it as no category: all zeros one-hot, -1 ordinal, as scikit-learn's <c>handle_unknown="ignore"</c>.</summary>
    Ignore,

    /// <summary>An error naming the column and the value.</summary>
    Error,
}

/// <summary>What <see cref="FeatureSpace.Fit"/> learns from a table, as the options of scikit-learn's imputers, encoders and scalers.</summary>
public sealed record FeatureSpaceOptions
{
    /// <summary>The columns that hold the targets; every other column of the table is a feature. At least one is required.</summary>
    public IReadOnlyList<CsvColumn> TargetColumns { get; init; } = [];

    /// <summary>
    /// The classes of a single label column, in target-column order; null to learn them from a text label column
    /// (in ordinal order) or to treat a numeric target as a regression value.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>The class count of a label column of integers 0 to <c>ClassCount - 1</c>; null when the labels are names or the target is a value.</summary>
    public int? ClassCount { get; init; }

    /// <summary>What to do with missing values; <see cref="MissingValueStrategy.Error"/> by default.</summary>
    public MissingValueStrategy Missing { get; init; }

    /// <summary>The number that fills missing numbers under <see cref="MissingValueStrategy.Constant"/>. Defaults to 0.</summary>
    public float FillValue { get; init; }

    /// <summary>The category that fills missing text under <see cref="MissingValueStrategy.Constant"/>, learned as a category of its own. Defaults to <c>missing</c>.</summary>
    public string FillCategory { get; init; } = "missing";

    /// <summary>How text columns become features; <see cref="CategoryEncoding.OneHot"/> by default.</summary>
    public CategoryEncoding Categories { get; init; }

    /// <summary>What to do with a category the training data did not have; <see cref="UnknownCategory.Ignore"/> by default.</summary>
    public UnknownCategory Unknown { get; init; }

    /// <summary>How numeric features are scaled, with statistics of the training data after imputation; null (the default) for none.</summary>
    public ScalingMethod? Scaling { get; init; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(TargetColumns);
        ArgumentNullException.ThrowIfNull(FillCategory);
        if (TargetColumns.Count == 0)
        {
            throw new ArgumentException("Choose at least one target column.", nameof(TargetColumns));
        }

        if (ClassNames is not null && ClassCount is not null)
        {
            throw new ArgumentException("Set either ClassNames or ClassCount, not both.", nameof(ClassCount));
        }

        if ((ClassNames is not null || ClassCount is not null) && TargetColumns.Count != 1)
        {
            throw new ArgumentException("Class labels come from exactly one target column.", nameof(TargetColumns));
        }

        if (ClassCount < 2 || ClassNames?.Count < 2)
        {
            throw new ArgumentException("Classification needs at least two classes.", nameof(ClassCount));
        }

        if (!Enum.IsDefined(Missing) || !Enum.IsDefined(Categories) || !Enum.IsDefined(Unknown) || (Scaling is ScalingMethod method && !Enum.IsDefined(method)))
        {
            throw new ArgumentOutOfRangeException(nameof(Missing), "Missing, Categories, Unknown and Scaling must be defined values of their enums.");
        }

        if (!float.IsFinite(FillValue))
        {
            throw new ArgumentOutOfRangeException(nameof(FillValue), FillValue, "FillValue must be a finite number.");
        }
    }
}
