using System.Collections.Generic;

namespace StaticNet;

/// <summary>
/// Code that <see cref="NetworkTraining.Fit(INetwork, Dataset, FitOptions, System.Threading.CancellationToken)"/> runs at points of
/// training, as Keras' callbacks: checkpoints, early stopping, schedules, custom logging. Set them in
/// <see cref="FitOptions.Callbacks"/>; they run in list order, each hook for every callback before the next
/// hook. A callback stops training by setting <see cref="FitContext.StopTraining"/>.
/// </summary>
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

    /// <summary>
    /// Throws, before the first step, when the callback needs a figure the run will not record, so a
    /// misspelt name fails before training has changed anything.
    /// </summary>
    /// <param name="figures">The names every epoch of the run will record, as in <see cref="EpochSummary.Values"/>.</param>
    /// <exception cref="System.ArgumentException">A figure the callback needs is not among <paramref name="figures"/>.</exception>
    internal virtual void CheckFigures(IReadOnlyCollection<string> figures)
    {
    }
}
