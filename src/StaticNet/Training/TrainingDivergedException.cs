using System;

namespace StaticNet;

/// <summary>
/// Thrown when the loss of a training batch is NaN or infinite. The batch's update is not
/// applied, so the parameters keep the values they had before it.
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

    /// <summary>The non-finite loss, or NaN when not known.</summary>
    public double Loss { get; } = double.NaN;

    /// <summary>The 1-based epoch in which training diverged, when it happened inside Fit.</summary>
    public int? Epoch { get; init; }

    /// <summary>The 1-based batch within <see cref="Epoch"/>, when it happened inside Fit.</summary>
    public int? Batch { get; init; }
}
