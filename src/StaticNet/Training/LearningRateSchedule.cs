using System;

namespace StaticNet;

/// <summary>
/// A learning rate that changes with the optimizer's step, as Keras' <c>LearningRateSchedule</c>. Set it as
/// an optimizer's <see cref="Optimizer.Schedule"/>: before every step the optimizer takes the rate
/// <see cref="RateAt"/> gives for the number of steps taken so far. Derive from it, or pass a function to
/// <see cref="FromFunction"/>, for a schedule of your own.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>
    /// The learning rate of the step that follows <paramref name="step"/> steps, so the first step's rate is
    /// <c>RateAt(0)</c>, as Keras passes the optimizer's iteration count. The optimizer refuses a rate that is
    /// negative, NaN or infinite.
    /// </summary>
    /// <param name="step">The number of steps taken before this one; 0 or more.</param>
    public abstract double RateAt(long step);

    /// <summary>A schedule that calls <paramref name="rate"/> with the number of steps taken so far.</summary>
    /// <param name="rate">The learning rate of the step that follows a number of steps.</param>
    public static LearningRateSchedule FromFunction(Func<long, double> rate)
    {
        ArgumentNullException.ThrowIfNull(rate);
        return new FunctionSchedule(rate);
    }

    /// <summary>Returns a count of steps, which must be positive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is 0 or negative.</exception>
    private protected static long CheckSteps(long value, string name) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive, e.g. 1000.");

    /// <summary>Returns a rate or factor, which must be finite and not negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    private protected static double CheckNonNegative(double value, string name) =>
        value >= 0 && double.IsFinite(value) ? value
        : throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and not negative.");

    private sealed class FunctionSchedule(Func<long, double> rate) : LearningRateSchedule
    {
        public override double RateAt(long step) => rate(step);
    }
}

/// <summary>
/// The settings of the schedules that decay with the time elapsed, counted in periods of
/// <see cref="DecaySteps"/> steps: <see cref="ExponentialDecay"/> and <see cref="InverseTimeDecay"/>.
/// </summary>
public abstract class PeriodicDecay : LearningRateSchedule
{
    private protected PeriodicDecay(double initialLearningRate, long decaySteps, double decayRate, bool staircase)
    {
        InitialLearningRate = CheckNonNegative(initialLearningRate, nameof(initialLearningRate));
        DecaySteps = CheckSteps(decaySteps, nameof(decaySteps));
        DecayRate = CheckNonNegative(decayRate, nameof(decayRate));
        Staircase = staircase;
    }

    /// <summary>The rate of the first step.</summary>
    public double InitialLearningRate { get; }

    /// <summary>The steps that make one period.</summary>
    public long DecaySteps { get; }

    /// <summary>How much the rate falls per period.</summary>
    public double DecayRate { get; }

    /// <summary>Whether the rate changes in whole periods only.</summary>
    public bool Staircase { get; }

    /// <summary>The periods elapsed after <paramref name="step"/> steps, rounded down with <see cref="Staircase"/>.</summary>
    private protected double Periods(long step)
    {
        double periods = (double)step / DecaySteps;
        return Staircase ? Math.Floor(periods) : periods;
    }
}

/// <summary>
/// Keras' <c>ExponentialDecay</c>: <c>initialLearningRate · decayRate^(step / decaySteps)</c>, with the
/// exponent rounded down when <paramref name="staircase"/> is set.
/// </summary>
/// <param name="initialLearningRate">The rate of the first step.</param>
/// <param name="decaySteps">The steps over which the rate is multiplied by <paramref name="decayRate"/> once.</param>
/// <param name="decayRate">The factor per <paramref name="decaySteps"/> steps.</param>
/// <param name="staircase">Whether the rate changes in whole periods of <paramref name="decaySteps"/> only.</param>
public sealed class ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, bool staircase = false)
    : PeriodicDecay(initialLearningRate, decaySteps, decayRate, staircase)
{
    /// <inheritdoc />
    public override double RateAt(long step) => InitialLearningRate * Math.Pow(DecayRate, Periods(step));
}

/// <summary>
/// Keras' <c>PiecewiseConstantDecay</c>: <c>values[0]</c> while <c>step ≤ boundaries[0]</c>, <c>values[i]</c>
/// while <c>boundaries[i-1] &lt; step ≤ boundaries[i]</c>, and the last value after the last boundary.
/// </summary>
public sealed class PiecewiseConstantDecay : LearningRateSchedule
{
    private readonly long[] _boundaries;
    private readonly double[] _values;

    /// <summary>Creates the schedule.</summary>
    /// <param name="boundaries">The steps at which the rate changes, strictly increasing.</param>
    /// <param name="values">The rates, one more than the boundaries.</param>
    /// <exception cref="ArgumentException">The counts do not match, or the boundaries do not increase.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative, NaN or infinite.</exception>
    public PiecewiseConstantDecay(ReadOnlySpan<long> boundaries, ReadOnlySpan<double> values)
    {
        if (values.Length != boundaries.Length + 1)
        {
            throw new ArgumentException(
                $"There must be one more value than boundaries; there are {boundaries.Length} boundaries and {values.Length} values.", nameof(values));
        }

        for (int i = 1; i < boundaries.Length; i++)
        {
            if (boundaries[i] <= boundaries[i - 1])
            {
                throw new ArgumentException(
                    $"The boundaries must increase strictly; boundary {i} ({boundaries[i]}) is not above boundary {i - 1} ({boundaries[i - 1]}).", nameof(boundaries));
            }
        }

        foreach (double value in values)
        {
            CheckNonNegative(value, nameof(values));
        }

        _boundaries = boundaries.ToArray();
        _values = values.ToArray();
    }

    /// <summary>The steps at which the rate changes.</summary>
    public ReadOnlySpan<long> Boundaries => _boundaries;

    /// <summary>The rates, one more than <see cref="Boundaries"/>.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <inheritdoc />
    public override double RateAt(long step)
    {
        int interval = 0;
        while (interval < _boundaries.Length && step > _boundaries[interval])
        {
            interval++;
        }

        return _values[interval];
    }
}

/// <summary>
/// Keras' <c>PolynomialDecay</c>: <c>(initial - end) · (1 - step / decaySteps)^power + end</c>, with the step
/// held at <paramref name="decaySteps"/> after it, or, when <paramref name="cycle"/> is set, the period
/// stretched to the first multiple of <paramref name="decaySteps"/> at or above the step.
/// </summary>
/// <param name="initialLearningRate">The rate of the first step.</param>
/// <param name="decaySteps">The steps over which the rate falls to <paramref name="endLearningRate"/>.</param>
/// <param name="endLearningRate">The rate at the end of the decay; Keras' default is 0.0001.</param>
/// <param name="power">The power of the polynomial; 1 for a straight line.</param>
/// <param name="cycle">Whether the decay starts again, over a longer period, after it ends.</param>
public sealed class PolynomialDecay(double initialLearningRate, long decaySteps, double endLearningRate = 0.0001, double power = 1, bool cycle = false)
    : LearningRateSchedule
{
    /// <summary>The rate of the first step.</summary>
    public double InitialLearningRate { get; } = CheckNonNegative(initialLearningRate, nameof(initialLearningRate));

    /// <summary>The steps over which the rate falls to <see cref="EndLearningRate"/>.</summary>
    public long DecaySteps { get; } = CheckSteps(decaySteps, nameof(decaySteps));

    /// <summary>The rate at the end of the decay.</summary>
    public double EndLearningRate { get; } = CheckNonNegative(endLearningRate, nameof(endLearningRate));

    /// <summary>The power of the polynomial.</summary>
    public double Power { get; } = CheckNonNegative(power, nameof(power));

    /// <summary>Whether the decay starts again after it ends.</summary>
    public bool Cycle { get; } = cycle;

    /// <inheritdoc />
    public override double RateAt(long step)
    {
        double period = DecaySteps;
        double at = step;
        if (Cycle)
        {
            period *= step == 0 ? 1 : Math.Ceiling((double)step / DecaySteps);
        }
        else
        {
            at = Math.Min(at, period);
        }

        return ((InitialLearningRate - EndLearningRate) * Math.Pow(1 - (at / period), Power)) + EndLearningRate;
    }
}

/// <summary>
/// Keras' <c>InverseTimeDecay</c>: <c>initialLearningRate / (1 + decayRate · step / decaySteps)</c>, with the
/// quotient rounded down when <paramref name="staircase"/> is set.
/// </summary>
/// <param name="initialLearningRate">The rate of the first step.</param>
/// <param name="decaySteps">The steps that make one unit of time.</param>
/// <param name="decayRate">How fast the rate falls per unit of time.</param>
/// <param name="staircase">Whether the rate changes in whole units of time only.</param>
public sealed class InverseTimeDecay(double initialLearningRate, long decaySteps, double decayRate, bool staircase = false)
    : PeriodicDecay(initialLearningRate, decaySteps, decayRate, staircase)
{
    /// <inheritdoc />
    public override double RateAt(long step) => InitialLearningRate / (1 + (DecayRate * Periods(step)));
}

/// <summary>
/// Keras' <c>CosineDecay</c> (Loshchilov and Hutter's SGDR without restarts), with its optional linear
/// warm-up: for <see cref="WarmupSteps"/> steps the rate rises in a straight line from the initial rate to
/// <see cref="WarmupTarget"/>; then, over <see cref="DecaySteps"/> steps, it falls from there (or from the
/// initial rate, without a warm-up) as <c>rate · ((1 - alpha) · ½(1 + cos(π · t / decaySteps)) + alpha)</c>,
/// and stays at <c>rate · alpha</c>.
/// </summary>
/// <param name="initialLearningRate">The rate of the first step.</param>
/// <param name="decaySteps">The steps of the cosine decay.</param>
/// <param name="alpha">The share of the starting rate the decay ends at.</param>
/// <param name="warmupTarget">The rate the warm-up rises to, or null for no warm-up.</param>
/// <param name="warmupSteps">The steps of the warm-up.</param>
public sealed class CosineDecay(double initialLearningRate, long decaySteps, double alpha = 0, double? warmupTarget = null, long warmupSteps = 0)
    : LearningRateSchedule
{
    /// <summary>The rate of the first step.</summary>
    public double InitialLearningRate { get; } = CheckNonNegative(initialLearningRate, nameof(initialLearningRate));

    /// <summary>The steps of the cosine decay.</summary>
    public long DecaySteps { get; } = CheckSteps(decaySteps, nameof(decaySteps));

    /// <summary>The share of the starting rate the decay ends at.</summary>
    public double Alpha { get; } = CheckNonNegative(alpha, nameof(alpha));

    /// <summary>The rate the warm-up rises to, or null for no warm-up.</summary>
    public double? WarmupTarget { get; } = warmupTarget is double target ? CheckNonNegative(target, nameof(warmupTarget)) : null;

    /// <summary>The steps of the warm-up.</summary>
    public long WarmupSteps { get; } = warmupSteps >= 0 ? warmupSteps
        : throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, "warmupSteps must be 0 or more.");

    /// <inheritdoc />
    public override double RateAt(long step)
    {
        if (WarmupTarget is not double target)
        {
            return InitialLearningRate * Decayed(Math.Min(step, DecaySteps));
        }

        long at = Math.Min(step, DecaySteps + WarmupSteps);
        return at < WarmupSteps
            ? ((target - InitialLearningRate) * at / WarmupSteps) + InitialLearningRate
            : target * Decayed(at - WarmupSteps);
    }

    private double Decayed(long step) => ((1 - Alpha) * 0.5 * (1 + Math.Cos(Math.PI * step / DecaySteps))) + Alpha;
}

/// <summary>
/// Keras' <c>CosineDecayRestarts</c> (Loshchilov and Hutter's SGDR): a cosine decay from the initial rate to
/// <c>alpha</c> times it over <see cref="FirstDecaySteps"/> steps, then a warm restart; each period is
/// <see cref="TMul"/> times longer than the one before and starts at <see cref="MMul"/> times its rate.
/// </summary>
/// <param name="initialLearningRate">The rate of the first step.</param>
/// <param name="firstDecaySteps">The steps of the first period.</param>
/// <param name="tMul">How much longer each period is than the one before.</param>
/// <param name="mMul">What each period's starting rate is multiplied by.</param>
/// <param name="alpha">The share of the initial rate each decay ends at.</param>
public sealed class CosineDecayRestarts(double initialLearningRate, long firstDecaySteps, double tMul = 2, double mMul = 1, double alpha = 0)
    : LearningRateSchedule
{
    /// <summary>The rate of the first step.</summary>
    public double InitialLearningRate { get; } = CheckNonNegative(initialLearningRate, nameof(initialLearningRate));

    /// <summary>The steps of the first period.</summary>
    public long FirstDecaySteps { get; } = CheckSteps(firstDecaySteps, nameof(firstDecaySteps));

    /// <summary>How much longer each period is than the one before.</summary>
    public double TMul { get; } = tMul > 0 && double.IsFinite(tMul) ? tMul
        : throw new ArgumentOutOfRangeException(nameof(tMul), tMul, "tMul must be positive and finite, e.g. 2.");

    /// <summary>What each period's starting rate is multiplied by.</summary>
    public double MMul { get; } = CheckNonNegative(mMul, nameof(mMul));

    /// <summary>The share of the initial rate each decay ends at.</summary>
    public double Alpha { get; } = CheckNonNegative(alpha, nameof(alpha));

    /// <inheritdoc />
    public override double RateAt(long step)
    {
        double fraction = (double)step / FirstDecaySteps;
        double restart;
        if (TMul == 1)
        {
            restart = Math.Floor(fraction);
            fraction -= restart;
        }
        else
        {
            // The periods' lengths form a geometric series: find the one the step falls in, then the fraction of it done.
            restart = Math.Floor(Math.Log(1 - (fraction * (1 - TMul))) / Math.Log(TMul));
            double before = (1 - Math.Pow(TMul, restart)) / (1 - TMul);
            fraction = (fraction - before) / Math.Pow(TMul, restart);
        }

        double cosine = 0.5 * Math.Pow(MMul, restart) * (1 + Math.Cos(Math.PI * fraction));
        return InitialLearningRate * (((1 - Alpha) * cosine) + Alpha);
    }
}
