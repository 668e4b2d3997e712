using System.Diagnostics.CodeAnalysis;

namespace StaticNet;

/// <summary>
/// Code that <see cref="NetworkTraining.Fit(INetwork, Dataset, FitOptions, System.Threading.CancellationToken)"/> runs at points of
/// training, as Keras' callbacks: checkpoints, early stopping, schedules, custom logging. Set them in
/// <see cref="FitOptions.Callbacks"/>; they run in list order, each hook for every callback before the next
/// hook. A callback stops training by setting <see cref="FitContext.StopTraining"/>.
/// </summary>
// Fit looks up, once per run, whether a callback overrides OnBatchEnd, so that callbacks that do not cost
// nothing per batch; the annotation keeps that lookup working in trimmed and native AOT applications.
[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)]
public abstract class FitCallback
{
    /// <summary>Runs once before the first epoch, after every setting has been checked.</summary>
    /// <param name="context">The run.</param>
    public virtual void OnTrainBegin(FitContext context)
    {
    }

    /// <summary>Runs before each epoch; <see cref="FitContext.Epoch"/> is the epoch about to run.</summary>
    /// <param name="context">The run.</param>
    public virtual void OnEpochBegin(FitContext context)
    {
    }

    /// <summary>
    /// Runs after each batch whose step was taken. Fit calls it only on callbacks that override it, so a run
    /// whose callbacks do not pays nothing per batch. Setting <see cref="FitContext.StopTraining"/> here ends
    /// the epoch after this batch: its figures are those of the batches run, validation still runs, and then
    /// <see cref="OnEpochEnd"/> and <see cref="OnTrainEnd"/>, as in Keras.
    /// </summary>
    /// <param name="context">The run; its network has the parameters it has after the batch's step.</param>
    /// <param name="batch">The batch's loss, and the epoch's so far.</param>
    public virtual void OnBatchEnd(FitContext context, BatchSummary batch)
    {
    }

    /// <summary>Runs after each epoch, once its figures (validation included) are known, logged and in the history.</summary>
    /// <param name="context">The run; its network has the parameters it has after the epoch.</param>
    /// <param name="epoch">The epoch's figures.</param>
    public virtual void OnEpochEnd(FitContext context, EpochSummary epoch)
    {
    }

    /// <summary>
    /// Runs once after the last epoch, or after the epoch in which a callback stopped training. It does not
    /// run when Fit throws (divergence, cancellation, or a callback's own exception).
    /// </summary>
    /// <param name="context">The run.</param>
    public virtual void OnTrainEnd(FitContext context)
    {
    }

    /// <summary>Whether the callback overrides <see cref="OnBatchEnd"/>, so Fit must call it after every batch.</summary>
    internal virtual bool HandlesBatchEnd =>
        GetType().GetMethod(nameof(OnBatchEnd), [typeof(FitContext), typeof(BatchSummary)])!.DeclaringType != typeof(FitCallback);

    /// <summary>
    /// Throws, before the first step, when the callback's settings cannot work in this run: a figure it needs
    /// that the run will not record (<see cref="FitContext.Figures"/>), or an optimizer it cannot drive, so
    /// a misspelt name fails before training has changed anything.
    /// </summary>
    /// <param name="context">The run, before its first epoch.</param>
    /// <exception cref="System.ArgumentException">The callback cannot work in this run; the message says why.</exception>
    internal virtual void Check(FitContext context)
    {
    }
}

/// <summary>What <see cref="FitCallback.OnBatchEnd"/> is told of the batch just run.</summary>
/// <param name="Epoch">The 1-based epoch.</param>
/// <param name="Batch">The 1-based batch within the epoch.</param>
/// <param name="Batches">The number of batches in an epoch.</param>
/// <param name="Loss">The batch's mean loss, before its step.</param>
/// <param name="MeanLoss">The mean loss over the epoch's samples so far, this batch included, as Keras' batch logs report it.</param>
public readonly record struct BatchSummary(int Epoch, int Batch, int Batches, double Loss, double MeanLoss);
