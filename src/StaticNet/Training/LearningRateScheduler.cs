using System;

namespace StaticNet;

/// <summary>
/// Sets the optimizer's learning rate before each epoch from a function of the epoch and the current rate,
/// as Keras' <c>LearningRateScheduler</c>. Epochs count from 1 here, as everywhere in StaticNet, where Keras
/// passes the 0-based index: Keras' <c>epoch &lt; 10</c> is <c>epoch &lt;= 10</c> here. For a rate that changes
/// with every step, set the optimizer's <see cref="Optimizer.Schedule"/> instead.
/// </summary>
public sealed class LearningRateScheduler : FitCallback
{
    private readonly Func<int, double, double> _schedule;

    /// <summary>Creates the callback.</summary>
    /// <param name="schedule">The rate of an epoch, given the 1-based epoch and the rate the optimizer has.</param>
    public LearningRateScheduler(Func<int, double, double> schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        _schedule = schedule;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The schedule's rate is not positive and finite.</exception>
    public override void OnEpochBegin(FitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Optimizer optimizer = context.Optimizer;
        double rate = _schedule(context.Epoch, optimizer.LearningRate);
        if (!(rate > 0 && float.IsFinite((float)rate)))
        {
            throw new ArgumentOutOfRangeException(
                "schedule", rate, $"The learning rate schedule gave {rate} for epoch {context.Epoch}; a learning rate must be positive and finite.");
        }

        optimizer.LearningRate = (float)rate;
    }

    internal override void Check(FitContext context) => RateSetting.CheckSetsRate("LearningRateScheduler", context.Optimizer);
}

/// <summary>The rule shared by the callbacks that set the optimizer's learning rate.</summary>
internal static class RateSetting
{
    /// <summary>Refuses, before the first step, a callback that would set the rate of an optimizer that follows a schedule.</summary>
    /// <exception cref="ArgumentException">The optimizer has a <see cref="Optimizer.Schedule"/>.</exception>
    public static void CheckSetsRate(string callback, Optimizer optimizer)
    {
        if (optimizer.Schedule is LearningRateSchedule schedule)
        {
            throw new ArgumentException(
                $"{callback} sets the learning rate, but the {optimizer.GetType().Name} takes it from its schedule ({schedule.GetType().Name}); " +
                "use one or the other.",
                "Callbacks");
        }
    }
}
