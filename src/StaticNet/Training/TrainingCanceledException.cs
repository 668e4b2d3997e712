using System;
using System.Threading;

namespace StaticNet;

/// <summary>
/// Thrown by <see cref="NetworkTraining.Fit(INetwork, Dataset, FitOptions, CancellationToken)"/> when its
/// cancellation token is cancelled: Fit looks at the token before every batch, so it stops within one. The
/// network keeps the parameters of its last complete step, and the optimizer its state from then;
/// <see cref="History"/> holds the figures of the epochs that completed.
/// </summary>
public sealed class TrainingCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception with the default message.</summary>
    public TrainingCanceledException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrainingCanceledException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public TrainingCanceledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    private TrainingCanceledException(string message, CancellationToken token)
        : base(message, token)
    {
    }

    /// <summary>The 1-based epoch in which training stopped, when it stopped inside Fit.</summary>
    public int? Epoch { get; init; }

    /// <summary>The batches of <see cref="Epoch"/> that completed, their updates applied.</summary>
    public int? CompletedBatches { get; init; }

    /// <summary>The figures of the epochs Fit completed (none when it stopped in the first); null outside Fit.</summary>
    public History? History { get; init; }

    /// <summary>The exception Fit throws when its token is cancelled before a batch.</summary>
    internal static TrainingCanceledException InFit(CancellationToken token, int epoch, int epochs, int completedBatches, int batches, History history) =>
        new($"Training was canceled in epoch {epoch}/{epochs} after {completedBatches} of its {batches} batches; the network keeps the parameters of the last complete step.", token)
        {
            Epoch = epoch,
            CompletedBatches = completedBatches,
            History = history,
        };
}
