using System;

namespace StaticNet.Training.Metrics;

/// <summary>Which error <see cref="ErrorMetric"/> averages.</summary>
internal enum ErrorKind
{
    Squared,
    Absolute,
    RootSquared,
}

/// <summary>
/// <see cref="Metric.MeanSquaredError"/>, <see cref="Metric.MeanAbsoluteError"/> and <see cref="Metric.RootMeanSquaredError"/>:
/// each row's mean error over its outputs, weighted over the rows, as Keras' metrics take them.
/// </summary>
internal sealed class ErrorMetric(string name, ErrorKind kind) : Metric(name, name)
{
    public override MetricAccumulator CreateAccumulator(MetricContext context)
    {
        context.RequireTargetPerOutput();
        return new Accumulator(kind);
    }

    private sealed class Accumulator(ErrorKind kind) : MeanAccumulator
    {
        public override double Result => kind == ErrorKind.RootSquared ? Math.Sqrt(base.Result) : base.Result;

        protected override double RowValue(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets)
        {
            double sum = 0;
            for (int i = 0; i < outputs.Length; i++)
            {
                double difference = (double)outputs[i] - targets[i];
                sum += kind == ErrorKind.Absolute ? Math.Abs(difference) : difference * difference;
            }

            return sum / outputs.Length;
        }
    }
}

/// <summary>
/// <see cref="Metric.RSquared"/>: per output, the weighted sums of the targets' squared deviations from their mean
/// and of the squared errors, updated row by row as Welford's weighted variance, so no sum of squares cancels.
/// </summary>
internal sealed class RSquaredMetric() : Metric("r2_score", "r2_score")
{
    public override MetricAccumulator CreateAccumulator(MetricContext context)
    {
        context.RequireTargetPerOutput();
        return new Accumulator(context.Outputs);
    }

    private sealed class Accumulator(int outputs) : MetricAccumulator
    {
        private readonly double[] _mean = new double[outputs];
        private readonly double[] _deviations = new double[outputs];
        private readonly double[] _errors = new double[outputs];
        private double _weight;

        public override double Result
        {
            get
            {
                double sum = 0;
                for (int o = 0; o < outputs; o++)
                {
                    // scikit-learn's force_finite: constant targets score 1 if predicted exactly, else 0.
                    sum += _deviations[o] > 0 ? 1 - (_errors[o] / _deviations[o])
                        : double.IsNaN(_errors[o]) ? double.NaN
                        : _errors[o] == 0 ? 1 : 0;
                }

                return sum / outputs;
            }
        }

        public override void Update(in MetricBatch batch)
        {
            for (int row = 0; row < batch.Rows; row++)
            {
                double weight = batch.Weight(row);
                if (weight == 0)
                {
                    continue;
                }

                // Welford's weighted update: the new mean, and the deviations from the old and new means.
                double total = _weight + weight;
                ReadOnlySpan<float> a = batch.OutputRow(row);
                ReadOnlySpan<float> y = batch.TargetRow(row);
                for (int o = 0; o < outputs; o++)
                {
                    double delta = y[o] - _mean[o];
                    _mean[o] += delta * weight / total;
                    _deviations[o] += weight * delta * (y[o] - _mean[o]);
                    double error = (double)y[o] - a[o];
                    _errors[o] += weight * error * error;
                }

                _weight = total;
            }
        }

        public override void Reset()
        {
            Array.Clear(_mean);
            Array.Clear(_deviations);
            Array.Clear(_errors);
            _weight = 0;
        }
    }
}

/// <summary><see cref="Metric.MeanOfRows"/>: a user's per-row figure, averaged.</summary>
internal sealed class RowMeanMetric(string name, RowMetric rowValue) : Metric(name, name)
{
    public override MetricAccumulator CreateAccumulator(MetricContext context) => new Accumulator(rowValue);

    private sealed class Accumulator(RowMetric rowValue) : MeanAccumulator
    {
        protected override double RowValue(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets) => rowValue(outputs, targets);
    }
}
