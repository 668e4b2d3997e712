using System;
using System.Collections.Generic;
using System.Linq;

namespace StaticNet;

/// <summary>
/// Samples for training or evaluation: a features matrix (one row per sample) and a targets
/// matrix with the same number of rows, both float32, row-major. Every value is checked to be
/// finite when the dataset is made, so a NaN is reported where it is rather than as a diverged loss.
/// </summary>
public sealed class Dataset
{
    private readonly float[] _features;
    private readonly float[] _targets;
    private readonly float[]? _weights;
    private readonly IReadOnlyList<string>? _classNames;
    private readonly IReadOnlyList<string>? _featureNames;

    /// <summary>Creates a dataset from a copy of two matrices with one row per sample.</summary>
    /// <param name="features">Features, samples × inputs.</param>
    /// <param name="targets">Targets, samples × outputs.</param>
    /// <exception cref="ArgumentException">The matrices are empty, have different numbers of rows, or hold NaN or infinity.</exception>
    public Dataset(float[,] features, float[,] targets)
        : this(Flatten(features, nameof(features)), features.GetLength(1), Flatten(targets, nameof(targets)), targets.GetLength(1))
    {
    }

    /// <summary>Creates a dataset over row-major arrays, which it uses without copying.</summary>
    /// <param name="features">Features, <paramref name="featureCount"/> per sample.</param>
    /// <param name="featureCount">The number of features of one sample.</param>
    /// <param name="targets">Targets, <paramref name="targetCount"/> per sample.</param>
    /// <param name="targetCount">The number of targets of one sample.</param>
    /// <exception cref="ArgumentException">
    /// The arrays are empty, do not hold whole rows, hold different numbers of rows, or hold NaN or infinity.
    /// </exception>
    public Dataset(float[] features, int featureCount, float[] targets, int targetCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetCount, 1);
        if (features.Length == 0)
        {
            throw new ArgumentException("The dataset is empty: it needs at least one row.", nameof(features));
        }

        if (features.Length % featureCount != 0 || targets.Length % targetCount != 0)
        {
            throw new ArgumentException(
                $"The features ({features.Length} values) or targets ({targets.Length} values) are not whole rows of {featureCount} and {targetCount} values.");
        }

        int count = features.Length / featureCount;
        if (targets.Length / targetCount != count)
        {
            throw new ArgumentException(
                $"The features have {count} rows but the targets have {targets.Length / targetCount}; each sample needs both.", nameof(targets));
        }

        EnsureFinite(features, featureCount, nameof(features));
        EnsureFinite(targets, targetCount, nameof(targets));
        _features = features;
        _targets = targets;
        FeatureCount = featureCount;
        TargetCount = targetCount;
        Count = count;
    }

    private Dataset(Dataset data, float[]? weights)
    {
        _features = data._features;
        _targets = data._targets;
        _classNames = data._classNames;
        _featureNames = data._featureNames;
        _weights = weights;
        FeatureCount = data.FeatureCount;
        TargetCount = data.TargetCount;
        Count = data.Count;
    }

    /// <summary>The number of samples.</summary>
    public int Count { get; }

    /// <summary>The number of features of one sample.</summary>
    public int FeatureCount { get; }

    /// <summary>The number of targets of one sample.</summary>
    public int TargetCount { get; }

    /// <summary>
    /// The names of the classes the one-hot targets stand for, in target-column order, when the data came
    /// with them (a CSV label column of names); null otherwise. Splits, slices and shuffles keep them.
    /// </summary>
    /// <exception cref="ArgumentException">The names are not one per target column, or repeat a name.</exception>
    public IReadOnlyList<string>? ClassNames
    {
        get => _classNames;
        init => _classNames = value is null ? null
            : value.Count != TargetCount ? throw new ArgumentException($"There are {value.Count} class names for {TargetCount} target columns; give one per column.", nameof(ClassNames))
            : value.Distinct(StringComparer.Ordinal).Count() != value.Count ? throw new ArgumentException("The class names repeat a name.", nameof(ClassNames))
            : [.. value];
    }

    /// <summary>
    /// The names of the feature columns, in order, when the data came with them (a CSV header, or a
    /// <see cref="FeatureSpace"/>'s encoded features); null otherwise. Explanations print and draw them;
    /// splits, slices and shuffles keep them.
    /// </summary>
    /// <exception cref="ArgumentException">The names are not one per feature column.</exception>
    public IReadOnlyList<string>? FeatureNames
    {
        get => _featureNames;
        init => _featureNames = value is null ? null
            : value.Count != FeatureCount ? throw new ArgumentException($"There are {value.Count} feature names for {FeatureCount} feature columns; give one per column.", nameof(FeatureNames))
            : [.. value];
    }

    /// <summary>All features, row-major.</summary>
    public ReadOnlySpan<float> Features => _features;

    /// <summary>All targets, row-major.</summary>
    public ReadOnlySpan<float> Targets => _targets;

    /// <summary>
    /// Each sample's weight, as Keras' <c>sample_weight</c>: Fit's loss counts each row's loss that many times and divides
    /// by the rows of the batch; Evaluate's loss does the same over the data, and weighted metrics
    /// (<see cref="Metric.Weighted"/>) count each row with its weight. Empty when the samples are not weighted.
    /// </summary>
    public ReadOnlySpan<float> SampleWeights => _weights;

    /// <summary>
    /// Returns the same samples with a weight each (the arrays are shared, not copied); splits, slices and shuffles keep
    /// the weights with their rows.
    /// </summary>
    /// <param name="weights">A weight per sample, finite and not negative.</param>
    /// <exception cref="ArgumentException">There is not one weight per sample, or a weight is negative, NaN or infinite.</exception>
    public Dataset WithSampleWeights(float[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Length != Count)
        {
            throw new ArgumentException($"There are {weights.Length} sample weights for {Count} samples; give one per sample.", nameof(weights));
        }

        for (int row = 0; row < weights.Length; row++)
        {
            if (!(weights[row] >= 0) || !float.IsFinite(weights[row]))
            {
                throw new ArgumentException($"The sample weight of row {row} is {weights[row]}; weights must be finite and not negative.", nameof(weights));
            }
        }

        return new Dataset(this, weights);
    }

    /// <summary>The features of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> FeatureRow(int index) => _features.AsSpan(index * FeatureCount, FeatureCount);

    /// <summary>The targets of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> TargetRow(int index) => _targets.AsSpan(index * TargetCount, TargetCount);

    /// <summary>Returns a copy with the samples in an order determined by <paramref name="seed"/>.</summary>
    public Dataset Shuffle(int seed)
    {
        int[] order = new int[Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        new SeededRandom(seed).Shuffle(order.AsSpan());
        return Gather(order);
    }

    /// <summary>
    /// Splits the samples in order into two datasets, the first holding <paramref name="firstFraction"/>
    /// of them (rounded down, at least one in each).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not strictly between 0 and 1.</exception>
    /// <exception cref="InvalidOperationException">There are fewer than two samples.</exception>
    public (Dataset First, Dataset Second) Split(double firstFraction)
    {
        if (!(firstFraction > 0 && firstFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(firstFraction), firstFraction, "The fraction must be between 0 and 1.");
        }

        if (Count < 2)
        {
            throw new InvalidOperationException("A dataset of one sample cannot be split.");
        }

        int first = Math.Clamp((int)(Count * firstFraction), 1, Count - 1);
        return (Slice(0, first), Slice(first, Count - first));
    }

    /// <summary>Returns the consecutive samples [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) as a new dataset.</summary>
    public Dataset Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Count);
        var slice = new Dataset(
            _features.AsSpan(start * FeatureCount, count * FeatureCount).ToArray(), FeatureCount,
            _targets.AsSpan(start * TargetCount, count * TargetCount).ToArray(), TargetCount)
        {
            ClassNames = ClassNames,
            FeatureNames = FeatureNames,
        };
        return _weights is null ? slice : new Dataset(slice, _weights.AsSpan(start, count).ToArray());
    }

    /// <summary>Enumerates the samples in order as batches of <paramref name="batchSize"/> (the last may be smaller), without allocating.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is below 1.</exception>
    public BatchEnumerator Batches(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return new BatchEnumerator(this, batchSize);
    }

    /// <summary>A dataset of the given rows, in that order.</summary>
    internal Dataset Gather(int[] order)
    {
        float[] features = new float[order.Length * FeatureCount];
        float[] targets = new float[order.Length * TargetCount];
        float[]? weights = _weights is null ? null : new float[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            FeatureRow(order[i]).CopyTo(features.AsSpan(i * FeatureCount));
            TargetRow(order[i]).CopyTo(targets.AsSpan(i * TargetCount));
            if (weights is not null)
            {
                weights[i] = _weights![order[i]];
            }
        }

        var gathered = new Dataset(features, FeatureCount, targets, TargetCount) { ClassNames = ClassNames, FeatureNames = FeatureNames };
        return weights is null ? gathered : new Dataset(gathered, weights);
    }

    private static float[] Flatten(float[,] matrix, string name)
    {
        ArgumentNullException.ThrowIfNull(matrix, name);
        float[] flat = new float[matrix.Length];
        int columns = matrix.GetLength(1);
        for (int row = 0; row < matrix.GetLength(0); row++)
        {
            for (int column = 0; column < columns; column++)
            {
                flat[(row * columns) + column] = matrix[row, column];
            }
        }

        return flat;
    }

    private static void EnsureFinite(float[] values, int columns, string name)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new ArgumentException(
                    $"The {name} hold {values[i]} at row {i / columns}, column {i % columns}; every value must be a finite number.", name);
            }
        }
    }

    /// <summary>Consecutive rows of a dataset.</summary>
    public readonly ref struct Batch
    {
        internal Batch(ReadOnlySpan<float> features, ReadOnlySpan<float> targets, int rows)
        {
            Features = features;
            Targets = targets;
            Rows = rows;
        }

        /// <summary>The batch's features, row-major.</summary>
        public ReadOnlySpan<float> Features { get; }

        /// <summary>The batch's targets, row-major.</summary>
        public ReadOnlySpan<float> Targets { get; }

        /// <summary>The number of samples in the batch.</summary>
        public int Rows { get; }
    }

    /// <summary>Enumerates a dataset's batches in order.</summary>
    public struct BatchEnumerator
    {
        private readonly Dataset _data;
        private readonly int _batchSize;
        private int _start;
        private int _rows;

        internal BatchEnumerator(Dataset data, int batchSize)
        {
            _data = data;
            _batchSize = batchSize;
            _start = -batchSize;
        }

        /// <summary>The batch at the current position.</summary>
        public readonly Batch Current => new(
            _data._features.AsSpan(_start * _data.FeatureCount, _rows * _data.FeatureCount),
            _data._targets.AsSpan(_start * _data.TargetCount, _rows * _data.TargetCount),
            _rows);

        /// <summary>Returns this enumerator, so batches can be enumerated with <see langword="foreach"/>.</summary>
        public readonly BatchEnumerator GetEnumerator() => this;

        /// <summary>Moves to the next batch.</summary>
        public bool MoveNext()
        {
            _start += _batchSize;
            _rows = Math.Min(_batchSize, _data.Count - _start);
            return _rows > 0;
        }
    }
}
