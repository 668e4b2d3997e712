using System;
using System.Threading;
using StaticNet.Training.Metrics;

namespace StaticNet.Training;

/// <summary>
/// Runs the batches of Fit's epochs: gathers each batch in the epoch's order into the session's
/// memory, takes the step, and sums the loss and the metrics, allocating nothing.
/// </summary>
internal sealed class EpochRunner
{
    private readonly TrainingSession _session;
    private readonly Dataset _train;
    private readonly int _batchSize;
    private readonly MetricSet _metrics;
    private readonly float[]? _weights;
    private readonly FitContext? _context;
    private double _lossSum;
    private int _rows;

    /// <summary>Prepares to run epochs over <paramref name="train"/> in batches of <paramref name="batchSize"/>.</summary>
    /// <param name="session">The session that takes the steps.</param>
    /// <param name="train">The training data.</param>
    /// <param name="batchSize">The rows per batch, at most the session's and the data's.</param>
    /// <param name="metrics">The metrics to report.</param>
    /// <param name="weights">Each training row's weight, or null when the rows are not weighted.</param>
    /// <param name="context">The run whose batch callbacks <see cref="Run"/> calls, or null for none.</param>
    public EpochRunner(TrainingSession session, Dataset train, int batchSize, MetricSet metrics, float[]? weights, FitContext? context = null)
    {
        _context = context;
        _session = session;
        _train = train;
        _batchSize = batchSize;
        _metrics = metrics;
        _weights = weights;
        Batches = (train.Count + batchSize - 1) / batchSize;
    }

    /// <summary>The number of batches in an epoch.</summary>
    public int Batches { get; }

    /// <summary>The loss of the last batch run: the one that diverged, when <see cref="Run"/> returned one.</summary>
    public double LastLoss { get; private set; }

    /// <summary>The mean loss over the samples of the last epoch run, to its end or to a stop a callback asked for.</summary>
    public double Loss => _lossSum / _rows;

    /// <summary>The value of metric <paramref name="index"/> over the samples of the last epoch run.</summary>
    public double MetricValue(int index) => _metrics[index];

    /// <summary>The batches of the last epoch run whose updates were applied.</summary>
    public int CompletedBatches { get; private set; }

    /// <summary>
    /// Runs one epoch, the samples in <paramref name="order"/>, and returns 0, or the 1-based batch at
    /// which training diverged: whose loss was not finite (its update not applied), or, when
    /// <paramref name="checkEachUpdate"/> is set, whose update made the parameters NaN or infinite.
    /// After each step it calls <paramref name="batchCallbacks"/>, and ends the epoch there when one of
    /// them set <see cref="FitContext.StopTraining"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before a batch, whose step was not taken.</exception>
    public int Run(ReadOnlySpan<int> order, bool checkEachUpdate, CancellationToken cancellationToken, ReadOnlySpan<FitCallback> batchCallbacks = default)
    {
        NetworkShape shape = _session.Network.Shape;
        _lossSum = 0;
        _rows = 0;
        _metrics.Reset();
        int targetsPerRow = _train.TargetCount;
        for (int batch = 0; batch < Batches; batch++)
        {
            CompletedBatches = batch;
            cancellationToken.ThrowIfCancellationRequested();
            int start = batch * _batchSize;
            int rows = Math.Min(_batchSize, _train.Count - start);
            Span<float> features = _session.StagingFeatures(rows);
            Span<float> targets = _session.StagingTargets(rows);
            Span<float> weights = _weights is null ? [] : _session.StagingWeights(rows);
            for (int r = 0; r < rows; r++)
            {
                _train.FeatureRow(order[start + r]).CopyTo(features.Slice(r * shape.Inputs));
                _train.TargetRow(order[start + r]).CopyTo(targets.Slice(r * targetsPerRow));
                if (_weights is not null)
                {
                    weights[r] = _weights[order[start + r]];
                }
            }

            bool finite = _session.TryStep(features, targets, weights, out double loss);
            LastLoss = loss;
            if (!finite || (checkEachUpdate && NonFinite.IndexOf(_session.Network.Parameters) >= 0))
            {
                return batch + 1;
            }

            _lossSum += loss * rows;
            _rows += rows;
            ReadOnlySpan<float> outputs = _session.Outputs(rows);
            _metrics.Update(outputs, targets, weights, rows);

            if (batchCallbacks.Length > 0 && RunBatchCallbacks(batchCallbacks, batch + 1, loss))
            {
                CompletedBatches = batch + 1;
                return 0;
            }
        }

        CompletedBatches = Batches;
        return 0;
    }

    /// <summary>Calls each batch callback and returns whether one asked training to stop.</summary>
    private bool RunBatchCallbacks(ReadOnlySpan<FitCallback> callbacks, int batch, double loss)
    {
        FitContext context = _context!;
        var summary = new BatchSummary(context.Epoch, batch, Batches, loss, _lossSum / _rows);
        foreach (FitCallback callback in callbacks)
        {
            callback.OnBatchEnd(context, summary);
        }

        return context.StopTraining;
    }
}
