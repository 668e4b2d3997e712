using System;

namespace StaticNet.Training.Metrics;

/// <summary>The class a row of outputs or targets stands for, as every class-based metric and report reads it.</summary>
internal static class ClassIndex
{
    /// <summary>
    /// The class a row of targets stands for: among several outputs, the index one target column holds or the first
    /// largest target; for one output, 1 above 0.5 and 0 otherwise.
    /// </summary>
    public static int OfTargets(ReadOnlySpan<float> targets, int outputs) =>
        targets.Length == 1 ? (outputs > 1 ? (int)targets[0] : targets[0] > 0.5f ? 1 : 0) : ArgMax(targets);

    /// <summary>
    /// The class a row of outputs predicts: for several, the first largest; for one, 1 above
    /// <paramref name="threshold"/> and 0 otherwise. -1 when a value is NaN.
    /// </summary>
    public static int OfOutputs(ReadOnlySpan<float> outputs, float threshold) =>
        outputs.Length == 1 ? (float.IsNaN(outputs[0]) ? -1 : outputs[0] > threshold ? 1 : 0) : ArgMax(outputs);

    /// <summary>The number of classes rows of <paramref name="outputs"/> outputs tell apart: 2 for one output.</summary>
    public static int Count(int outputs) => Math.Max(outputs, 2);

    /// <summary>The index of the first largest value, or -1 when a value is NaN and there is no largest.</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int index = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (float.IsNaN(values[i]))
            {
                return -1;
            }

            if (values[i] > values[index])
            {
                index = i;
            }
        }

        return index;
    }
}

/// <summary>A metric that is a weighted mean of per-row figures: its sum and the sum of its weights.</summary>
internal abstract class MeanAccumulator : MetricAccumulator
{
    private double _sum;
    private double _weight;

    public override double Result => _weight > 0 || double.IsNaN(_sum) ? _sum / _weight : 0;

    public override void Update(in MetricBatch batch)
    {
        for (int row = 0; row < batch.Rows; row++)
        {
            float weight = batch.Weight(row);
            _sum += weight * RowValue(batch.OutputRow(row), batch.TargetRow(row));
            _weight += weight;
        }
    }

    public override void Reset() => (_sum, _weight) = (0, 0);

    /// <summary>One row's figure; NaN when an output is.</summary>
    protected abstract double RowValue(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets);
}
