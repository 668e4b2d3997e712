using System;

namespace StaticNet;

/// <summary>
/// Thrown when training diverges: the loss of a batch is NaN or infinite, or an update made the
/// parameters so. <see cref="TrainingSession.Step(ReadOnlySpan{float}, ReadOnlySpan{float})"/> does not apply the update of a batch whose loss is
/// not finite, so the parameters keep the values they had before it.
/// <see cref="NetworkTraining.Fit(INetwork, Dataset, FitOptions, System.Threading.CancellationToken)"/> goes further: it puts the
/// parameters, and the optimizer's state, back as they were at the end of the last epoch that ended
/// finite (or before training, when the first epoch diverged), and keeps the figures of the epochs
/// that completed in <see cref="History"/>.
/// </summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception for a loss value and where it happened.</summary>
    /// <param name="loss">The non-finite loss.</param>
    /// <param name="lossName">The loss function's name.</param>
    /// <param name="where">Where in training it happened, e.g. "at epoch 3/10, batch 2/4".</param>
    public TrainingDivergedException(double loss, string lossName, string where)
        : base($"Training diverged: the {lossName} loss became {loss} {where}. The parameters keep their values from before this batch; " +
               "try a smaller learning rate or scaled inputs.")
    {
        Loss = loss;
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the default message.</summary>
    public TrainingDivergedException()
    {
    }

    private TrainingDivergedException(string message, double loss)
        : base(message)
    {
        Loss = loss;
    }

    /// <summary>
    /// The loss of the batch named by <see cref="Epoch"/> and <see cref="Batch"/>: NaN or infinite when
    /// the loss diverged, finite when that batch's update made the parameters NaN or infinite; NaN when not known.
    /// </summary>
    public double Loss { get; } = double.NaN;

    /// <summary>The 1-based epoch in which training diverged, when it happened inside Fit.</summary>
    public int? Epoch { get; init; }

    /// <summary>The 1-based batch within <see cref="Epoch"/>, when it happened inside Fit.</summary>
    public int? Batch { get; init; }

    /// <summary>The figures of the epochs Fit completed before it diverged (none when it diverged in the first); null outside Fit.</summary>
    public History? History { get; init; }

    /// <summary>The exception Fit throws once it has put the parameters and the optimizer's state back.</summary>
    /// <param name="lossName">The loss function's name.</param>
    /// <param name="loss">The batch's loss.</param>
    /// <param name="epoch">The 1-based epoch.</param>
    /// <param name="epochs">The number of epochs asked for.</param>
    /// <param name="batch">The 1-based batch.</param>
    /// <param name="batches">The number of batches per epoch.</param>
    /// <param name="history">The epochs completed.</param>
    internal static TrainingDivergedException InFit(string lossName, double loss, int epoch, int epochs, int batch, int batches, History history)
    {
        string where = $"at epoch {epoch}/{epochs}, batch {batch}/{batches}";
        string what = double.IsFinite(loss)
            ? $"the update of the batch {where} made the parameters NaN or infinite (its {lossName} loss was {loss})"
            : $"the {lossName} loss became {loss} {where}";
        string kept = epoch == 1 ? "the values they had before training" : $"their values from the end of epoch {epoch - 1}";
        return new TrainingDivergedException(
            $"Training diverged: {what}. The parameters are back to {kept}, and the optimizer's state with them, " +
            "so a further Fit goes on from there; try a smaller learning rate or scaled inputs.",
            loss)
        {
            Epoch = epoch,
            Batch = batch,
            History = history,
        };
    }
}
