using System;

namespace StaticNet;

/// <summary>
/// Where training stands, as <see cref="FitOptions.Progress"/> reports it: during each epoch at most once per
/// <see cref="FitOptions.ProgressInterval"/>, and once as each epoch ends, with its figures.
/// </summary>
/// <param name="Epoch">The 1-based epoch.</param>
/// <param name="Epochs">The last epoch of the run.</param>
/// <param name="Batch">The batches of the epoch run so far.</param>
/// <param name="Batches">The batches in an epoch.</param>
/// <param name="Loss">The mean loss over the epoch's samples so far.</param>
/// <param name="Elapsed">The time since the epoch began.</param>
/// <param name="EpochEnd">The epoch's figures, validation included, in its last report; null in the reports during it.</param>
public readonly record struct FitProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss, TimeSpan Elapsed, EpochSummary? EpochEnd);
