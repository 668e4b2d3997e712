using System;
using System.Collections.Generic;
using System.Linq;

namespace StaticNet;

/// <summary>
/// Lowers the optimizer's learning rate when a monitored figure has stopped improving, as Keras'
/// <c>ReduceLROnPlateau</c>, with its semantics: an epoch improves when the figure beats the best so far by
/// more than <see cref="MinDelta"/>; after <see cref="Patience"/> epochs without one, the learning rate is
/// multiplied by <see cref="Factor"/>, no lower than <see cref="MinLearningRate"/>, and the count pauses for
/// <see cref="Cooldown"/> epochs.
/// </summary>
public sealed class ReduceLROnPlateau : FitCallback
{
    private double _best;
    private int _wait;
    private int _cooldownLeft;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor">The figure to watch, a name of <see cref="EpochSummary.Values"/>; Keras' default, "val_loss".</param>
    public ReduceLROnPlateau(string monitor = "val_loss")
    {
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        Monitor = monitor;
    }

    /// <summary>The figure watched.</summary>
    public string Monitor { get; }

    /// <summary>What the learning rate is multiplied by on a plateau, above 0 and below 1. Defaults to 0.1, as Keras.</summary>
    public double Factor { get; init; } = 0.1;

    /// <summary>Epochs without improvement after which the learning rate is lowered. Defaults to 10, as Keras.</summary>
    public int Patience { get; init; } = 10;

    /// <summary>Which way the figure improves; <see cref="MonitorMode.Auto"/> by default.</summary>
    public MonitorMode Mode { get; init; }

    /// <summary>How much the figure must beat the best so far by to count as an improvement. Defaults to 1e-4, as Keras.</summary>
    public double MinDelta { get; init; } = 1e-4;

    /// <summary>Epochs after a reduction during which epochs without improvement are not counted. Defaults to 0.</summary>
    public int Cooldown { get; init; }

    /// <summary>The lowest learning rate a reduction leaves. Defaults to 0.</summary>
    public double MinLearningRate { get; init; }

    /// <summary>How many times this callback lowered the learning rate in the last run.</summary>
    public int Reductions { get; private set; }

    /// <inheritdoc />
    public override void OnTrainBegin(FitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _best = HigherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;
        _wait = 0;
        _cooldownLeft = 0;
        Reductions = 0;
    }

    /// <inheritdoc />
    /// <exception cref="KeyNotFoundException">The epoch has no figure named <see cref="Monitor"/>.</exception>
    public override void OnEpochEnd(FitContext context, EpochSummary epoch)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(epoch);
        if (!epoch.Values.TryGetValue(Monitor, out double current))
        {
            throw new KeyNotFoundException(MonitorModes.Missing("ReduceLROnPlateau", Monitor, epoch.Values.Keys));
        }

        if (_cooldownLeft > 0)
        {
            _cooldownLeft--;
            _wait = 0;
        }

        if (HigherIsBetter ? current > _best + MinDelta : current < _best - MinDelta)
        {
            _best = current;
            _wait = 0;
        }
        else if (_cooldownLeft == 0 && ++_wait >= Patience)
        {
            Optimizer optimizer = context.Optimizer;
            float floor = (float)MinLearningRate;
            if (optimizer.LearningRate > floor)
            {
                optimizer.LearningRate = Math.Max((float)(optimizer.LearningRate * Factor), floor);
                Reductions++;
                _cooldownLeft = Cooldown;
                _wait = 0;
            }
        }
    }

    internal override void Check(FitContext context)
    {
        if (!(Factor > 0 && Factor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Factor), Factor, "ReduceLROnPlateau's factor must lie above 0 and below 1.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(Patience, nameof(Patience));
        ArgumentOutOfRangeException.ThrowIfNegative(Cooldown, nameof(Cooldown));
        if (!(MinLearningRate >= 0) || !(MinDelta >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(MinDelta), "ReduceLROnPlateau's MinDelta and MinLearningRate must be 0 or more.");
        }

        RateSetting.CheckSetsRate("ReduceLROnPlateau", context.Optimizer);
        if (!context.Figures.Contains(Monitor))
        {
            throw new ArgumentException(MonitorModes.Missing("ReduceLROnPlateau", Monitor, context.Figures), "Callbacks");
        }
    }

    private bool HigherIsBetter => MonitorModes.HigherIsBetter(Mode, Monitor);
}
