using System;
using System.Collections.Generic;

namespace StaticNet.Training.Metrics;

/// <summary>
/// The accumulators of one run's metrics, made once before its first step: each batch goes to every one, with the
/// rows' weights for the weighted metrics and without for the others.
/// </summary>
internal sealed class MetricSet
{
    private readonly MetricAccumulator[] _accumulators;
    private readonly bool[] _weighted;

    private MetricSet(MetricAccumulator[] accumulators, bool[] weighted)
    {
        _accumulators = accumulators;
        _weighted = weighted;
    }

    /// <summary>The number of metrics.</summary>
    public int Count => _accumulators.Length;

    /// <summary>The value of metric <paramref name="index"/> over the batches since the last reset.</summary>
    public double this[int index] => _accumulators[index].Result;

    /// <summary>
    /// Makes the accumulators of <paramref name="metrics"/> for <paramref name="network"/> and <paramref name="loss"/>,
    /// each of which refuses what it does not suit.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="loss">The loss of the run.</param>
    /// <param name="metrics">The metrics.</param>
    /// <param name="parameterName">The name of the argument the metrics came in, for the exception.</param>
    /// <exception cref="ArgumentException">A metric does not suit the network, the targets or the loss.</exception>
    public static MetricSet Create(INetwork network, Loss loss, IReadOnlyList<Metric> metrics, string parameterName)
    {
        NetworkShape shape = network.Shape;
        var context = new MetricContext(shape.Outputs, loss.TargetsPerRow(shape.Outputs), loss, shape.OutputActivation);
        var accumulators = new MetricAccumulator[metrics.Count];
        bool[] weighted = new bool[metrics.Count];
        for (int m = 0; m < accumulators.Length; m++)
        {
            try
            {
                accumulators[m] = metrics[m].CreateAccumulator(context)
                    ?? throw new InvalidOperationException($"{metrics[m].GetType().Name}.CreateAccumulator returned null.");
            }
            catch (ArgumentException error) when (error.ParamName is null)
            {
                throw new ArgumentException($"Entry {m} of the metrics, {metrics[m].Name}, does not suit {network.GetType().Name} and {loss.Name}: {error.Message}", parameterName, error);
            }

            weighted[m] = metrics[m].IsWeighted;
        }

        return new MetricSet(accumulators, weighted);
    }

    /// <summary>Forgets every batch.</summary>
    public void Reset()
    {
        foreach (MetricAccumulator accumulator in _accumulators)
        {
            accumulator.Reset();
        }
    }

    /// <summary>Adds a batch of <paramref name="rows"/> rows; <paramref name="weights"/> is empty when the rows are not weighted.</summary>
    public void Update(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, int rows)
    {
        var plain = new MetricBatch(outputs, targets, [], rows);
        var weighted = new MetricBatch(outputs, targets, weights, rows);
        for (int m = 0; m < _accumulators.Length; m++)
        {
            _accumulators[m].Update(_weighted[m] ? weighted : plain);
        }
    }
}
