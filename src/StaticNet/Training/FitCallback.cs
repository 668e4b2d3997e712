using System.Collections.Generic;

namespace StaticNet;

/// <summary>
/// Code that <see cref="NetworkTraining.Fit(INetwork, Dataset, FitOptions, System.Threading.CancellationToken)"/> runs at points of
/// training, as Keras' callbacks: checkpoints, schedules, custom logging. Set them in
/// <see cref="FitOptions.Callbacks"/>; they run in list order.
/// </summary>
public abstract class FitCallback
{
    /// <summary>Runs after each epoch, once its figures (validation included) are known and logged.</summary>
    /// <param name="network">The network being trained, with the parameters it has after the epoch.</param>
    /// <param name="epoch">The epoch's figures.</param>
    public virtual void OnEpochEnd(INetwork network, EpochSummary epoch)
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
