using System;

namespace StaticNet.Training;

/// <summary>
/// Reports Fit's progress to <see cref="FitOptions.Progress"/>: during each epoch at most once per interval,
/// and as each epoch ends, with its figures. Between reports a batch costs a clock read.
/// </summary>
internal sealed class ProgressReporter(IProgress<FitProgress> progress, EpochRunner runner, TimeProvider clock, TimeSpan interval) : FitCallback
{
    private Pacer _pacer = new(clock, interval);

    internal override bool HandlesBatchEnd => true;

    public override void OnEpochBegin(FitContext context) => _pacer.Restart(dueAtOnce: false);

    public override void OnBatchEnd(FitContext context, BatchSummary batch)
    {
        if (_pacer.IsDue())
        {
            progress.Report(new FitProgress(batch.Epoch, context.Epochs, batch.Batch, batch.Batches, batch.MeanLoss, _pacer.Elapsed, null));
        }
    }

    public override void OnEpochEnd(FitContext context, EpochSummary epoch) =>
        progress.Report(new FitProgress(epoch.Epoch, context.Epochs, runner.CompletedBatches, runner.Batches, epoch.Loss, epoch.Duration, epoch));
}
