using System;
using System.Collections.Generic;
using System.Linq;

namespace StaticNet;

/// <summary>Which way a monitored figure improves.</summary>
public enum MonitorMode
{
    /// <summary>
    /// From the figure's name, as Keras 3 knows its metrics' directions: accuracies, precision, recall, F1, AUC and R²
    /// improve upwards; losses, errors and any other figure downwards.
    /// </summary>
    Auto,

    /// <summary>Lower is better.</summary>
    Min,

    /// <summary>Higher is better.</summary>
    Max,
}

/// <summary>The rule by which the callbacks that watch a figure tell which way it improves.</summary>
internal static class MonitorModes
{
    /// <summary>Whether a larger value of <paramref name="monitor"/> is better under <paramref name="mode"/>.</summary>
    public static bool HigherIsBetter(MonitorMode mode, string monitor) => mode switch
    {
        MonitorMode.Min => false,
        MonitorMode.Max => true,
        _ => Rising.Any(name => monitor.Contains(name, StringComparison.Ordinal)),
    };

    private static readonly string[] Rising = ["accuracy", "precision", "recall", "f1_score", "auc", "r2_score"];

    /// <summary>The message for a callback whose monitor is not among the figures a run records.</summary>
    public static string Missing(string callback, string monitor, IEnumerable<string> figures) =>
        $"{callback} monitors '{monitor}' but the run records only {string.Join(", ", figures)}; " +
        "validation figures need ValidationData or ValidationSplit, and metrics need FitOptions.Metrics.";
}

/// <summary>
/// Stops training when a monitored figure has stopped improving, as Keras' <c>EarlyStopping</c>, with its
/// semantics: an epoch improves when the figure beats the best so far by more than <see cref="MinDelta"/>;
/// the count of epochs since the last improvement restarts only when the figure also beats
/// <see cref="Baseline"/>; training stops at the first epoch after the first one in which that count reaches
/// <see cref="Patience"/>. Epochs before <see cref="StartFromEpoch"/> are not looked at. With
/// <see cref="RestoreBestWeights"/>, the network ends training with the parameters of its best epoch.
/// </summary>
public sealed class EarlyStopping : FitCallback
{
    private float[]? _bestParameters;
    private double _best;
    private int _wait;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor">The figure to watch, a name of <see cref="EpochSummary.Values"/>; Keras' default, "val_loss".</param>
    public EarlyStopping(string monitor = "val_loss")
    {
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        Monitor = monitor;
    }

    /// <summary>The figure watched.</summary>
    public string Monitor { get; }

    /// <summary>How much the figure must beat the best so far by to count as an improvement; its sign is ignored.</summary>
    public double MinDelta { get; init; }

    /// <summary>Epochs without improvement after which training stops. Defaults to 0, as Keras.</summary>
    public int Patience { get; init; }

    /// <summary>Which way the figure improves; <see cref="MonitorMode.Auto"/> by default.</summary>
    public MonitorMode Mode { get; init; }

    /// <summary>A value the figure must beat, besides the best so far, for the wait to restart; null for none.</summary>
    public double? Baseline { get; init; }

    /// <summary>Whether the network ends training with the parameters of the best epoch rather than the last.</summary>
    public bool RestoreBestWeights { get; init; }

    /// <summary>The number of epochs to run before the figure is looked at, as Keras' <c>start_from_epoch</c>.</summary>
    public int StartFromEpoch { get; init; }

    /// <summary>The 1-based epoch after which this callback stopped training, or null while it has not.</summary>
    public int? StoppedEpoch { get; private set; }

    /// <summary>The 1-based epoch with the best figure, or null before one was looked at.</summary>
    public int? BestEpoch { get; private set; }

    /// <summary>The best figure so far, or null before one was looked at.</summary>
    public double? Best => BestEpoch is null ? null : _best;

    /// <inheritdoc />
    public override void OnTrainBegin(FitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _wait = 0;
        _best = HigherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;
        _bestParameters = null;
        StoppedEpoch = null;
        BestEpoch = null;
    }

    /// <inheritdoc />
    /// <exception cref="KeyNotFoundException">The epoch has no figure named <see cref="Monitor"/>.</exception>
    public override void OnEpochEnd(FitContext context, EpochSummary epoch)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(epoch);
        if (!epoch.Values.TryGetValue(Monitor, out double current))
        {
            throw new KeyNotFoundException(MissingMonitor(epoch.Values.Keys));
        }

        // Keras counts epochs from 0; these are counted from 1.
        if (epoch.Epoch - 1 < StartFromEpoch)
        {
            return;
        }

        if (RestoreBestWeights && _bestParameters is null)
        {
            _bestParameters = context.Network.Parameters.ToArray();
            BestEpoch = epoch.Epoch;
        }

        _wait++;
        if (Improves(current, _best))
        {
            _best = current;
            BestEpoch = epoch.Epoch;
            if (_bestParameters is not null)
            {
                context.Network.Parameters.CopyTo(_bestParameters);
            }
            if (Baseline is not double baseline || Improves(current, baseline))
            {
                _wait = 0;
            }

            return;
        }

        if (_wait >= Patience && epoch.Epoch > 1)
        {
            StoppedEpoch = epoch.Epoch;
            context.StopTraining = true;
        }
    }

    /// <inheritdoc />
    public override void OnTrainEnd(FitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _bestParameters?.CopyTo(context.Network.Parameters);
    }

    internal override void Check(FitContext context)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Patience, nameof(Patience));
        ArgumentOutOfRangeException.ThrowIfNegative(StartFromEpoch, nameof(StartFromEpoch));
        if (!context.Figures.Contains(Monitor))
        {
            throw new ArgumentException(MissingMonitor(context.Figures), "Callbacks");
        }
    }

    private bool HigherIsBetter => MonitorModes.HigherIsBetter(Mode, Monitor);

    private bool Improves(double value, double reference) =>
        HigherIsBetter ? value - Math.Abs(MinDelta) > reference : value + Math.Abs(MinDelta) < reference;

    private string MissingMonitor(IEnumerable<string> figures) => MonitorModes.Missing("Early stopping", Monitor, figures);
}
