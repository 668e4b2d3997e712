using System;

namespace StaticNet;

/// <summary>A figure reported during training and evaluation, as Keras' metrics.</summary>
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

    /// <summary>The Keras name of a metric, as shown in progress lines and histories.</summary>
    public static string Name(Metric metric) => metric switch
    {
        Metric.Accuracy => "accuracy",
        Metric.BinaryAccuracy => "binary_accuracy",
        Metric.CategoricalAccuracy => "categorical_accuracy",
        Metric.MeanSquaredError => "mse",
        Metric.MeanAbsoluteError => "mae",
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not a defined metric."),
    };

    /// <summary>Adds a batch's contribution to a metric's running sum and count.</summary>
    public static void Accumulate(Metric resolved, ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int outputsPerRow, ref double sum, ref long count)
    {
        switch (resolved)
        {
            case Metric.BinaryAccuracy:
                for (int i = 0; i < outputs.Length; i++)
                {
                    sum += (outputs[i] > 0.5f) == (targets[i] > 0.5f) ? 1 : 0;
                }

                count += outputs.Length;
                break;
            case Metric.CategoricalAccuracy:
                for (int row = 0; row < outputs.Length; row += outputsPerRow)
                {
                    int predicted = outputs.Slice(row, outputsPerRow).IndexOf(Max(outputs.Slice(row, outputsPerRow)));
                    int expected = targets.Slice(row, outputsPerRow).IndexOf(Max(targets.Slice(row, outputsPerRow)));
                    sum += predicted == expected ? 1 : 0;
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

    private static float Max(ReadOnlySpan<float> values)
    {
        float max = values[0];
        foreach (float value in values)
        {
            max = Math.Max(max, value);
        }

        return max;
    }
}
