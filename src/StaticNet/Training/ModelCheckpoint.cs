using System;
using System.Collections.Generic;
using System.Linq;

namespace StaticNet;

/// <summary>
/// Saves the model during training, as Keras' <c>ModelCheckpoint</c>: the best epoch so far by a
/// chosen figure, the last epoch, or both. Each save is atomic (<see cref="ModelFile.Save"/>), so
/// a crash mid-save leaves the previous checkpoint intact.
/// </summary>
public sealed class ModelCheckpoint : FitCallback
{
    /// <summary>Creates a checkpoint callback; at least one path is required.</summary>
    /// <param name="bestPath">Where to save the model whenever <see cref="Monitor"/> improves, or null.</param>
    /// <param name="lastPath">Where to save the model after every epoch, or null.</param>
    /// <exception cref="ArgumentException">Both paths are null.</exception>
    public ModelCheckpoint(string? bestPath, string? lastPath = null)
    {
        if (bestPath is null && lastPath is null)
        {
            throw new ArgumentException("Give a path for the best model, the last model, or both.", nameof(bestPath));
        }

        BestPath = bestPath;
        LastPath = lastPath;
    }

    /// <summary>Where the best model is saved, or null.</summary>
    public string? BestPath { get; }

    /// <summary>Where the last model is saved, or null.</summary>
    public string? LastPath { get; }

    /// <summary>The figure that decides which epoch is best, by its History name. Defaults to <c>val_loss</c>.</summary>
    public string Monitor { get; init; } = "val_loss";

    /// <summary>
    /// Whether a larger <see cref="Monitor"/> is better; when null, as Keras' <c>"auto"</c> mode,
    /// figures whose name contains "accuracy" are maximised and all others minimised.
    /// </summary>
    public bool? HigherIsBetter { get; init; }

    /// <summary>Feature scaling to save with every checkpoint, or null.</summary>
    public FeatureScaling? Scaling { get; init; }

    /// <summary>The epoch saved to <see cref="BestPath"/> so far, or null before the first save.</summary>
    public int? BestEpoch { get; private set; }

    /// <summary>The <see cref="Monitor"/> value of <see cref="BestEpoch"/>.</summary>
    public double? BestValue { get; private set; }

    /// <inheritdoc />
    /// <exception cref="KeyNotFoundException">The epoch has no figure named <see cref="Monitor"/>.</exception>
    public override void OnEpochEnd(FitContext context, EpochSummary epoch)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(epoch);
        INetwork network = context.Network;
        if (LastPath is not null)
        {
            network.Save(LastPath, Scaling);
        }

        if (BestPath is null)
        {
            return;
        }

        if (!epoch.Values.TryGetValue(Monitor, out double value))
        {
            throw new KeyNotFoundException(MissingMonitor(epoch.Values.Keys));
        }

        bool higher = HigherIsBetter ?? Monitor.Contains("accuracy", StringComparison.Ordinal);
        if (BestValue is not double best || (higher ? value > best : value < best))
        {
            network.Save(BestPath, Scaling);
            BestEpoch = epoch.Epoch;
            BestValue = value;
        }
    }

    internal override void CheckFigures(IReadOnlyCollection<string> figures)
    {
        if (BestPath is not null && !figures.Contains(Monitor))
        {
            throw new ArgumentException(MissingMonitor(figures), "Callbacks");
        }
    }

    private string MissingMonitor(IEnumerable<string> figures) => MonitorModes.Missing("The checkpoint", Monitor, figures);
}
