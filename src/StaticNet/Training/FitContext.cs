using System.Collections.Generic;

namespace StaticNet;

/// <summary>
/// What a <see cref="FitCallback"/> sees of the run it is part of: the network, the optimizer, the epoch and
/// the figures so far, and the switch by which it stops training, as Keras' <c>model.stop_training</c>.
/// </summary>
public sealed class FitContext
{
    internal FitContext(INetwork network, Optimizer optimizer, int epochs, History history)
    {
        Network = network;
        Optimizer = optimizer;
        Epochs = epochs;
        History = history;
    }

    /// <summary>The network being trained.</summary>
    public INetwork Network { get; }

    /// <summary>The optimizer taking the steps; a callback may change its <see cref="Optimizer.LearningRate"/>.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The number of epochs Fit was asked for.</summary>
    public int Epochs { get; }

    /// <summary>The 1-based epoch running, or the last one run once training ended; 0 before the first.</summary>
    public int Epoch { get; internal set; }

    /// <summary>The figures of the epochs completed so far.</summary>
    public History History { get; }

    /// <summary>
    /// Set to stop training once the current epoch's callbacks have run: Fit runs no further epoch, calls
    /// <see cref="FitCallback.OnTrainEnd"/> and returns the history so far.
    /// </summary>
    public bool StopTraining { get; set; }

    /// <summary>The names of the figures every epoch of this run records, as in <see cref="EpochSummary.Values"/>.</summary>
    public IReadOnlyCollection<string> Figures { get; internal init; } = [];
}
