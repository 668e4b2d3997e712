using System;

namespace StaticNet.Training.Metrics;

/// <summary>
/// <see cref="Metric.Auc"/>: the area under the ROC curve of every output as a score for its target's binary label
/// (above 0.5), exact from every score kept, or from Keras' counts at fixed thresholds.
/// </summary>
internal sealed class AucMetric(int? thresholds) : Metric("auc", thresholds is int count ? $"auc({count})" : "auc")
{
    // Keras' thresholds reach just past 0 and 1, so that scores of exactly 0 or 1 fall inside them.
    private const double Epsilon = 1e-7;

    public override MetricAccumulator CreateAccumulator(MetricContext context)
    {
        context.RequireTargetPerOutput();
        return thresholds is int count ? new ThresholdAccumulator(count, context.OutputsAreLogits) : new ExactAccumulator();
    }

    /// <summary>The trapezoid of the ROC curve between two points, each a count of false and true positives.</summary>
    private static double Trapezoid(double falseFrom, double falseTo, double trueFrom, double trueTo) =>
        (falseTo - falseFrom) * (trueFrom + trueTo) / 2;

    /// <summary>Every score, label and weight of the run, sorted by score when the result is read.</summary>
    private sealed class ExactAccumulator : MetricAccumulator
    {
        private float[] _scores = new float[1024];
        private bool[] _positive = new bool[1024];
        private float[] _weights = new float[1024];
        private int[] _order = [];
        private int _count;
        private bool _nan;

        public override double Result
        {
            get
            {
                if (_nan)
                {
                    return double.NaN;
                }

                if (_order.Length < _count)
                {
                    _order = new int[_scores.Length];
                }

                Span<int> order = _order.AsSpan(0, _count);
                for (int i = 0; i < order.Length; i++)
                {
                    order[i] = i;
                }

                float[] scores = _scores;
                order.Sort((a, b) => scores[b].CompareTo(scores[a]));

                // Down the scores, a tie group at a time: each group moves the curve by its weighted negatives and positives.
                double truePositives = 0, falsePositives = 0, area = 0;
                for (int start = 0; start < order.Length;)
                {
                    double groupTrue = 0, groupFalse = 0;
                    int end = start;
                    for (; end < order.Length && _scores[order[end]] == _scores[order[start]]; end++)
                    {
                        (_positive[order[end]] ? ref groupTrue : ref groupFalse) += _weights[order[end]];
                    }

                    area += Trapezoid(falsePositives, falsePositives + groupFalse, truePositives, truePositives + groupTrue);
                    truePositives += groupTrue;
                    falsePositives += groupFalse;
                    start = end;
                }

                // With one class only, the curve is undefined (scikit-learn refuses it).
                return truePositives > 0 && falsePositives > 0 ? area / (truePositives * falsePositives) : double.NaN;
            }
        }

        public override void Update(in MetricBatch batch)
        {
            int width = batch.OutputsPerRow;
            int needed = _count + batch.Outputs.Length;
            if (needed > _scores.Length)
            {
                int capacity = Math.Max(needed, 2 * _scores.Length);
                Array.Resize(ref _scores, capacity);
                Array.Resize(ref _positive, capacity);
                Array.Resize(ref _weights, capacity);
            }

            for (int i = 0; i < batch.Outputs.Length; i++)
            {
                _nan |= float.IsNaN(batch.Outputs[i]);
                _scores[_count] = batch.Outputs[i];
                _positive[_count] = batch.Targets[i] > 0.5f;
                _weights[_count] = batch.Weight(i / width);
                _count++;
            }
        }

        public override void Reset() => (_count, _nan) = (0, false);
    }

    /// <summary>Keras' confusion counts: per score bucket between consecutive thresholds, the weighted positives and negatives.</summary>
    private sealed class ThresholdAccumulator : MetricAccumulator
    {
        private readonly float[] _thresholds;
        private readonly double[] _positives;
        private readonly double[] _negatives;
        private readonly bool _logits;
        private bool _nan;

        public ThresholdAccumulator(int count, bool logits)
        {
            _logits = logits;
            _thresholds = new float[count];
            _thresholds[0] = (float)(0 - Epsilon);
            for (int i = 1; i < count - 1; i++)
            {
                _thresholds[i] = (float)((double)i / (count - 1));
            }

            _thresholds[^1] = (float)(1 + Epsilon);

            // Bucket b holds the scores above exactly b thresholds.
            _positives = new double[count + 1];
            _negatives = new double[count + 1];
        }

        public override double Result
        {
            get
            {
                if (_nan)
                {
                    return double.NaN;
                }

                double positives = Sum(_positives), negatives = Sum(_negatives);

                // At threshold j, the positives above it are those of the buckets above j; rates divide as Keras' divide_no_nan.
                double truePositives = positives - _positives[0], falsePositives = negatives - _negatives[0], area = 0;
                double truePreviousRate = Rate(truePositives, positives), falsePreviousRate = Rate(falsePositives, negatives);
                for (int j = 1; j < _thresholds.Length; j++)
                {
                    truePositives -= _positives[j];
                    falsePositives -= _negatives[j];
                    double trueRate = Rate(truePositives, positives), falseRate = Rate(falsePositives, negatives);
                    area += Trapezoid(falseRate, falsePreviousRate, trueRate, truePreviousRate);
                    (truePreviousRate, falsePreviousRate) = (trueRate, falseRate);
                }

                return area;
            }
        }

        public override void Update(in MetricBatch batch)
        {
            int width = batch.OutputsPerRow;
            for (int i = 0; i < batch.Outputs.Length; i++)
            {
                float score = batch.Outputs[i];
                _nan |= float.IsNaN(score);
                score = _logits ? 1 / (1 + MathF.Exp(-score)) : score;
                int bucket = Above(score);
                (batch.Targets[i] > 0.5f ? _positives : _negatives)[bucket] += batch.Weight(i / width);
            }
        }

        public override void Reset()
        {
            Array.Clear(_positives);
            Array.Clear(_negatives);
            _nan = false;
        }

        private static double Rate(double count, double total) => total > 0 ? count / total : 0;

        private static double Sum(double[] values)
        {
            double sum = 0;
            foreach (double value in values)
            {
                sum += value;
            }

            return sum;
        }

        /// <summary>The number of thresholds strictly below <paramref name="score"/>: Keras counts a score as above a threshold it exceeds.</summary>
        private int Above(float score)
        {
            int low = 0, high = _thresholds.Length;
            while (low < high)
            {
                int middle = (low + high) / 2;
                if (_thresholds[middle] < score)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            return low;
        }
    }
}
