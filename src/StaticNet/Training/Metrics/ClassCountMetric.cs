using System;

namespace StaticNet.Training.Metrics;

/// <summary>The figure a <see cref="ClassCountMetric"/> reports from its counts.</summary>
internal enum ClassScore
{
    Precision,
    Recall,
    F1,
}

/// <summary>
/// <see cref="Metric.Precision"/>, <see cref="Metric.Recall"/> and <see cref="Metric.F1Score"/>: weighted counts of
/// true positives, false positives and false negatives, per class or, for <see cref="ClassAveraging.Binary"/>, over
/// every output's decision; a figure with nothing to divide by is 0, as scikit-learn's <c>zero_division=0</c>.
/// </summary>
internal sealed class ClassCountMetric(ClassScore score, ClassAveraging average)
    : Metric(NameOf(score, average), NameOf(score, average))
{
    public override MetricAccumulator CreateAccumulator(MetricContext context)
    {
        if (average == ClassAveraging.Binary)
        {
            context.RequireTargetPerOutput("; use ClassAveraging.Macro or Micro");
        }

        return new Accumulator(score, average, context);
    }

    private static string NameOf(ClassScore score, ClassAveraging average)
    {
        string name = score switch
        {
            ClassScore.Precision => "precision",
            ClassScore.Recall => "recall",
            _ => "f1_score",
        };
        return average switch
        {
            ClassAveraging.Binary => name,
            ClassAveraging.Macro => "macro_" + name,
            _ => "micro_" + name,
        };
    }

    private sealed class Accumulator : MetricAccumulator
    {
        private readonly ClassScore _score;
        private readonly ClassAveraging _average;
        private readonly int _outputs;
        private readonly float _threshold;
        private readonly double[] _truePositives;
        private readonly double[] _falsePositives;
        private readonly double[] _falseNegatives;
        private readonly bool[] _seen;
        private bool _nan;

        public Accumulator(ClassScore score, ClassAveraging average, MetricContext context)
        {
            _score = score;
            _average = average;
            _outputs = context.Outputs;
            _threshold = context.DecisionThreshold;
            int classes = average == ClassAveraging.Binary ? 1 : ClassIndex.Count(context.Outputs);
            _truePositives = new double[classes];
            _falsePositives = new double[classes];
            _falseNegatives = new double[classes];
            _seen = new bool[classes];
        }

        public override double Result
        {
            get
            {
                if (_nan)
                {
                    return double.NaN;
                }

                if (_average != ClassAveraging.Macro)
                {
                    return Score(Sum(_truePositives), Sum(_falsePositives), Sum(_falseNegatives));
                }

                double sum = 0;
                int present = 0;
                for (int c = 0; c < _seen.Length; c++)
                {
                    if (_seen[c])
                    {
                        sum += Score(_truePositives[c], _falsePositives[c], _falseNegatives[c]);
                        present++;
                    }
                }

                return present == 0 ? 0 : sum / present;
            }
        }

        public override void Update(in MetricBatch batch)
        {
            for (int row = 0; row < batch.Rows; row++)
            {
                double weight = batch.Weight(row);
                ReadOnlySpan<float> outputs = batch.OutputRow(row);
                ReadOnlySpan<float> targets = batch.TargetRow(row);
                if (_average == ClassAveraging.Binary)
                {
                    for (int i = 0; i < outputs.Length; i++)
                    {
                        _nan |= float.IsNaN(outputs[i]);
                        Count(0, outputs[i] > _threshold, targets[i] > 0.5f, weight);
                    }

                    continue;
                }

                int predicted = ClassIndex.OfOutputs(outputs, _threshold);
                int actual = ClassIndex.OfTargets(targets, _outputs);
                if (predicted < 0)
                {
                    _nan = true;
                    continue;
                }

                _seen[predicted] = _seen[actual] = true;
                if (predicted == actual)
                {
                    _truePositives[actual] += weight;
                }
                else
                {
                    _falsePositives[predicted] += weight;
                    _falseNegatives[actual] += weight;
                }
            }
        }

        public override void Reset()
        {
            Array.Clear(_truePositives);
            Array.Clear(_falsePositives);
            Array.Clear(_falseNegatives);
            Array.Clear(_seen);
            _nan = false;
        }

        private static double Sum(double[] counts)
        {
            double sum = 0;
            foreach (double count in counts)
            {
                sum += count;
            }

            return sum;
        }

        private void Count(int c, bool predicted, bool actual, double weight)
        {
            if (predicted && actual)
            {
                _truePositives[c] += weight;
            }
            else if (predicted)
            {
                _falsePositives[c] += weight;
            }
            else if (actual)
            {
                _falseNegatives[c] += weight;
            }
        }

        private double Score(double truePositives, double falsePositives, double falseNegatives)
        {
            double precision = truePositives + falsePositives > 0 ? truePositives / (truePositives + falsePositives) : 0;
            double recall = truePositives + falseNegatives > 0 ? truePositives / (truePositives + falseNegatives) : 0;
            return _score switch
            {
                ClassScore.Precision => precision,
                ClassScore.Recall => recall,
                _ => precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0,
            };
        }
    }
}
