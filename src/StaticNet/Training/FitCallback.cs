namespace StaticNet;

/// <summary>
/// Code that <see cref="NetworkTraining.Fit(INetwork, Dataset, FitOptions)"/> runs at points of
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
}
