using System;

namespace StaticNet.Training.Metrics;

/// <summary><see cref="Metric.Accuracy"/>: the accuracy that suits the loss and the targets, as Keras resolves <c>"accuracy"</c>.</summary>
internal sealed class AccuracyMetric() : Metric("accuracy", "accuracy")
{
    public override MetricAccumulator CreateAccumulator(MetricContext context) =>
        context.Outputs == 1 || context.Loss is BinaryCrossEntropyLoss ? new BinaryAccuracyMetric.Accumulator(context.DecisionThreshold)
        : new CategoricalAccuracyMetric.Accumulator(context.Outputs);
}

/// <summary><see cref="Metric.BinaryAccuracy"/>.</summary>
internal sealed class BinaryAccuracyMetric() : Metric("binary_accuracy", "binary_accuracy")
{
    public override MetricAccumulator CreateAccumulator(MetricContext context)
    {
        context.RequireTargetPerOutput("; use sparse_categorical_accuracy");
        return new Accumulator(context.DecisionThreshold);
    }

    internal sealed class Accumulator(float threshold) : MeanAccumulator
    {
        protected override double RowValue(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets)
        {
            int correct = 0;
            for (int i = 0; i < outputs.Length; i++)
            {
                if (float.IsNaN(outputs[i]))
                {
                    return double.NaN;
                }

                correct += (outputs[i] > threshold) == (targets[i] > 0.5f) ? 1 : 0;
            }

            return (double)correct / outputs.Length;
        }
    }
}

/// <summary><see cref="Metric.CategoricalAccuracy"/> and <see cref="Metric.SparseCategoricalAccuracy"/>, which read one-hot and class-index targets alike.</summary>
internal sealed class CategoricalAccuracyMetric(string name) : Metric(name, name)
{
    public override MetricAccumulator CreateAccumulator(MetricContext context) =>
        context.Outputs == 1
            ? throw new ArgumentException("it picks the largest of several outputs, but the network has one; use binary_accuracy.")
            : new Accumulator(context.Outputs);

    internal sealed class Accumulator(int width) : MeanAccumulator
    {
        protected override double RowValue(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets)
        {
            int predicted = ClassIndex.ArgMax(outputs);
            return predicted < 0 ? double.NaN : predicted == ClassIndex.OfTargets(targets, width) ? 1 : 0;
        }
    }
}

/// <summary><see cref="Metric.TopKCategoricalAccuracy"/>.</summary>
internal sealed class TopKAccuracyMetric(int k)
    : Metric(k == 5 ? "top_k_categorical_accuracy" : $"top_{k}_categorical_accuracy", $"top_{k}_categorical_accuracy")
{
    public override MetricAccumulator CreateAccumulator(MetricContext context) =>
        context.Outputs == 1
            ? throw new ArgumentException("it ranks several outputs, but the network has one.")
            : new Accumulator(k, context.Outputs);

    private sealed class Accumulator(int k, int width) : MeanAccumulator
    {
        protected override double RowValue(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets)
        {
            float target = outputs[ClassIndex.OfTargets(targets, width)];
            int above = 0;
            foreach (float value in outputs)
            {
                if (float.IsNaN(value))
                {
                    return double.NaN;
                }

                above += value > target ? 1 : 0;
            }

            return above < k ? 1 : 0;
        }
    }
}
