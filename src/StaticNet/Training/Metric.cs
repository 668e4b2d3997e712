using System;
using System.Collections.Generic;

namespace StaticNet;

/// <summary>
/// A figure reported during training and evaluation, as Keras' metrics. A NaN output makes every
/// metric NaN, accuracies included, so a diverged network never scores as a working one.
/// </summary>
public enum Metric
{
    /// <summary>
    /// Binary accuracy for a single output or binary cross-entropy, otherwise categorical
    /// accuracy: the rule Keras applies to <c>"accuracy"</c>.
    /// </summary>
    Accuracy,

    /// <summary>The share of outputs on the same side of 0.5 as their targets.</summary>
    BinaryAccuracy,

    /// <summary>The share of rows whose largest output is where their target is largest.</summary>
    CategoricalAccuracy,

    /// <summary>Mean squared error over every output.</summary>
    MeanSquaredError,

    /// <summary>Mean absolute error over every output.</summary>
    MeanAbsoluteError,
}

/// <summary>Computes metrics as sums and counts, so batches of any size combine into exact means.</summary>
internal static class MetricMath
{
    /// <summary>Returns the concrete metric <see cref="Metric.Accuracy"/> stands for with this loss and output width.</summary>
    public static Metric Resolve(Metric metric, Loss loss, int outputs) =>
        metric != Metric.Accuracy ? metric
        : outputs == 1 || loss is BinaryCrossEntropyLoss ? Metric.BinaryAccuracy
        : Metric.CategoricalAccuracy;

    /// <summary>The Keras names of metrics, as shown in progress lines and histories, in the same order.</summary>
    /// <param name="metrics">The metrics as requested.</param>
    /// <param name="parameterName">The name of the argument they came in, for the exception.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is not a defined <see cref="Metric"/>.</exception>
    public static string[] Names(IReadOnlyList<Metric> metrics, string parameterName)
    {
        string[] names = new string[metrics.Count];
        for (int m = 0; m < names.Length; m++)
        {
            names[m] = metrics[m] switch
            {
                Metric.Accuracy => "accuracy",
                Metric.BinaryAccuracy => "binary_accuracy",
                Metric.CategoricalAccuracy => "categorical_accuracy",
                Metric.MeanSquaredError => "mse",
                Metric.MeanAbsoluteError => "mae",
                _ => throw new ArgumentOutOfRangeException(
                    parameterName, metrics[m], $"Entry {m} is not a defined Metric; use one of {string.Join(", ", Enum.GetNames<Metric>())}."),
            };
        }

        return names;
    }

    /// <summary>Adds a batch's contribution to a metric's running sum and count.</summary>
    public static void Accumulate(Metric resolved, ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int outputsPerRow, ref double sum, ref long count)
    {
        switch (resolved)
        {
            case Metric.BinaryAccuracy:
                for (int i = 0; i < outputs.Length; i++)
                {
                    sum += float.IsNaN(outputs[i]) ? double.NaN : (outputs[i] > 0.5f) == (targets[i] > 0.5f) ? 1 : 0;
                }

                count += outputs.Length;
                break;
            case Metric.CategoricalAccuracy:
                for (int row = 0; row < outputs.Length; row += outputsPerRow)
                {
                    int predicted = ArgMax(outputs.Slice(row, outputsPerRow));
                    int expected = ArgMax(targets.Slice(row, outputsPerRow));
                    sum += predicted < 0 ? double.NaN : predicted == expected ? 1 : 0;
                    count++;
                }

                break;
            case Metric.MeanSquaredError:
                for (int i = 0; i < outputs.Length; i++)
                {
                    double difference = outputs[i] - targets[i];
                    sum += difference * difference;
                }

                count += outputs.Length;
                break;
            case Metric.MeanAbsoluteError:
                for (int i = 0; i < outputs.Length; i++)
                {
                    sum += Math.Abs(outputs[i] - targets[i]);
                }

                count += outputs.Length;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(resolved), resolved, "Resolve the metric first.");
        }
    }

    /// <summary>
    /// The class a row of outputs or targets stands for: for one column, 1 above 0.5 and 0 otherwise; for
    /// several, the first largest. -1 when a value is NaN.
    /// </summary>
    internal static int ClassOf(ReadOnlySpan<float> row) =>
        row.Length == 1 ? (float.IsNaN(row[0]) ? -1 : row[0] > 0.5f ? 1 : 0) : ArgMax(row);

    /// <summary>The index of the first largest value, or -1 when a value is NaN and there is no largest.</summary>
    private static int ArgMax(ReadOnlySpan<float> values)
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
