using System;
using System.IO;
using System.Text;

namespace StaticNet.Training;

/// <summary>Says when enough time has passed since the last time it said so, for reports and redraws at a bounded rate.</summary>
internal struct Pacer(TimeProvider clock, TimeSpan interval)
{
    private readonly long _interval = (long)(interval.TotalSeconds * clock.TimestampFrequency);
    private long _started;
    private long _last;
    private bool _any;

    /// <summary>Starts a new period of reports: the first <see cref="IsDue"/> after it is due at once when <paramref name="dueAtOnce"/>.</summary>
    public void Restart(bool dueAtOnce)
    {
        _started = clock.GetTimestamp();
        _last = _started;
        _any = !dueAtOnce;
    }

    /// <summary>The time since <see cref="Restart"/>.</summary>
    public readonly TimeSpan Elapsed => clock.GetElapsedTime(_started);

    /// <summary>Whether a report is due now; when it is, the next one is due an interval later.</summary>
    public bool IsDue()
    {
        long now = clock.GetTimestamp();
        if (_any && now - _last < _interval)
        {
            return false;
        }

        _any = true;
        _last = now;
        return true;
    }
}

/// <summary>
/// A console line that a progress bar redraws in place: on a terminal each redraw returns to the line's
/// start and covers what is left of a longer one; elsewhere only the final line is written.
/// </summary>
internal sealed class LiveLine(TextWriter output, bool live, TimeProvider clock, TimeSpan interval)
{
    private Pacer _pacer = new(clock, interval);
    private int _drawnLength;

    /// <summary>The text of the line being built; <see cref="TryBeginRedraw"/> and <see cref="BeginFinal"/> clear it.</summary>
    /// <remarks>
    /// Room for a long line from the start: a builder that grew into several chunks allocates when cleared,
    /// which would cost every redraw an allocation.
    /// </remarks>
    public StringBuilder Text { get; } = new(512);

    /// <summary>Whether the line is redrawn in place while work runs.</summary>
    public bool IsLive => live;

    /// <summary>The time since <see cref="Restart"/>.</summary>
    public TimeSpan Elapsed => _pacer.Elapsed;

    /// <summary>Starts a new line.</summary>
    public void Restart()
    {
        _pacer.Restart(dueAtOnce: true);
        _drawnLength = 0;
    }

    /// <summary>Whether to redraw now: the line is live and the last redraw is an interval old. When it is, <see cref="Text"/> is ready for the new text.</summary>
    public bool TryBeginRedraw()
    {
        if (!live || !_pacer.IsDue())
        {
            return false;
        }

        Text.Clear().Append('\r');
        return true;
    }

    /// <summary>Makes <see cref="Text"/> ready for the final text.</summary>
    public void BeginFinal()
    {
        Text.Clear();
        if (live)
        {
            Text.Append('\r');
        }
    }

    /// <summary>Writes <see cref="Text"/>, with spaces over the rest of a longer line drawn before, ending the line when <paramref name="final"/>.</summary>
    public void Draw(bool final)
    {
        int length = Text.Length;
        Text.Append(' ', Math.Max(_drawnLength - length, 0));
        _drawnLength = length;
        if (final)
        {
            output.WriteLine(Text);
        }
        else
        {
            output.Write(Text);
            output.Flush();
        }
    }
}
