using System;
using System.Collections.Generic;
using System.Linq;
using StaticNet.Training;

namespace StaticNet;

/// <summary>
/// Saves the model during training, as Keras' <c>ModelCheckpoint</c>: the best epoch so far by a
/// chosen figure, the last epoch, or both. Each save is atomic (<see cref="ModelFile.Save(INetwork, string, FeatureScaling, Optimizer, System.Collections.Generic.IReadOnlyDictionary{string, string})"/>), so
/// a crash mid-save leaves the previous checkpoint intact.
/// </summary>
/// <remarks>
/// A path may hold placeholders filled in from the epoch saved, as Keras' file paths:
/// <c>checkpoints/fmnist-{epoch:02d}-{val_loss:.4f}.safetensors</c> keeps a file per save. A placeholder
/// names <c>epoch</c> (from 1) or any figure the run records, with an optional format: Keras' <c>02d</c>,
/// <c>.4f</c> or <c>.4e</c>, or a .NET numeric format such as <c>D3</c> or <c>F2</c>; <c>{{</c> and
/// <c>}}</c> stand for braces. A placeholder naming a figure the run does not record is refused before the
/// first step.
/// </remarks>
public sealed class ModelCheckpoint : FitCallback
{
    private readonly PathTemplate? _best;
    private readonly PathTemplate? _last;

    /// <summary>Creates a checkpoint callback; at least one path is required.</summary>
    /// <param name="bestPath">Where to save the model whenever <see cref="Monitor"/> improves, or null; may hold placeholders.</param>
    /// <param name="lastPath">Where to save the model after every epoch, or null; may hold placeholders.</param>
    /// <exception cref="ArgumentException">Both paths are null, or a path has an unmatched brace.</exception>
    public ModelCheckpoint(string? bestPath, string? lastPath = null)
    {
        if (bestPath is null && lastPath is null)
        {
            throw new ArgumentException("Give a path for the best model, the last model, or both.", nameof(bestPath));
        }

        BestPath = bestPath;
        LastPath = lastPath;
        _best = bestPath is null ? null : PathTemplate.Parse(bestPath, nameof(bestPath));
        _last = lastPath is null ? null : PathTemplate.Parse(lastPath, nameof(lastPath));
    }

    /// <summary>Where the best model is saved, or null.</summary>
    public string? BestPath { get; }

    /// <summary>Where the last model is saved, or null.</summary>
    public string? LastPath { get; }

    /// <summary>The figure that decides which epoch is best, by its History name. Defaults to <c>val_loss</c>.</summary>
    public string Monitor { get; init; } = "val_loss";

    /// <summary>
    /// Whether a larger <see cref="Monitor"/> is better; when null, as Keras' <c>"auto"</c> mode,
    /// figures named as <see cref="MonitorMode.Auto"/> says (accuracies, precision, recall, F1, AUC, R²) are
    /// maximised and all others minimised.
    /// </summary>
    public bool? HigherIsBetter { get; init; }

    /// <summary>
    /// Whether each checkpoint also holds the optimizer's state, so that training can resume from it
    /// (<see cref="ModelFile.LoadInto(INetwork, string, Optimizer)"/>, <see cref="FitOptions.InitialEpoch"/>), as
    /// Keras' checkpoints do unless <c>save_weights_only</c>. Defaults to false: the files then hold only
    /// what PyTorch's <c>load_state_dict</c> expects.
    /// </summary>
    public bool IncludeOptimizerState { get; init; }

    /// <summary>Feature scaling to save with every checkpoint, or null.</summary>
    public FeatureScaling? Scaling { get; init; }

    /// <summary>The file the best model was last saved to (<see cref="BestPath"/> filled in), or null before the first save.</summary>
    public string? BestFile { get; private set; }

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
        if (_last is not null)
        {
            network.Save(_last.Fill(epoch.Epoch, epoch.Values), Scaling, SavedOptimizer(context));
        }

        if (_best is null)
        {
            return;
        }

        if (!epoch.Values.TryGetValue(Monitor, out double value))
        {
            throw new KeyNotFoundException(MissingMonitor(epoch.Values.Keys));
        }

        bool higher = HigherIsBetter ?? MonitorModes.HigherIsBetter(MonitorMode.Auto, Monitor);
        if (BestValue is not double best || (higher ? value > best : value < best))
        {
            string file = _best.Fill(epoch.Epoch, epoch.Values);
            network.Save(file, Scaling, SavedOptimizer(context));
            BestFile = file;
            BestEpoch = epoch.Epoch;
            BestValue = value;
        }
    }

    internal override void Check(FitContext context)
    {
        if (BestPath is not null && !context.Figures.Contains(Monitor))
        {
            throw new ArgumentException(MissingMonitor(context.Figures), "Callbacks");
        }

        _best?.Check(context.Figures, "Callbacks");
        _last?.Check(context.Figures, "Callbacks");
    }

    private Optimizer? SavedOptimizer(FitContext context) => IncludeOptimizerState ? context.Optimizer : null;

    private string MissingMonitor(IEnumerable<string> figures) => MonitorModes.Missing("The checkpoint", Monitor, figures);
}
