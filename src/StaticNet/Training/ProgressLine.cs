using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace StaticNet.Training;

/// <summary>
/// Keras 3's progress lines: <c>12/469 ━━━━━━━━──────────── 1s 2ms/step - accuracy: 0.8100 - loss: 0.5200</c>
/// during an epoch, with the time left, and the epoch's last line, with the time it took. They are built
/// in a caller's <see cref="StringBuilder"/>, so a redraw allocates nothing.
/// </summary>
internal static class ProgressLine
{
    private const int BarWidth = 20;

    /// <summary>The line of work that has ended: steps run, a full bar, time, time per step, then every figure in order.</summary>
    public static void AppendDone(StringBuilder line, TimeSpan duration, int completed, int steps, IEnumerable<KeyValuePair<string, double>> figures)
    {
        AppendBar(line, completed, steps, steps);
        Invariant(line.Append(' '), (int)duration.TotalSeconds).Append("s ");
        AppendStep(line, duration / Math.Max(completed, 1));
        foreach ((string name, double value) in figures)
        {
            AppendFigure(line, name, value);
        }
    }

    /// <summary>The line during an epoch: batches run, the bar so far, the time left at the pace so far, then the running figures.</summary>
    public static void AppendRunning(StringBuilder line, int batch, int batches, TimeSpan elapsed, ReadOnlySpan<(string Name, double Value)> figures)
    {
        AppendBar(line, batch, batch, batches);
        TimeSpan step = elapsed / Math.Max(batch, 1);
        line.Append(' ');
        AppendTimeLeft(line, (step * (batches - batch)).TotalSeconds);
        line.Append(' ');
        AppendStep(line, step);
        foreach ((string name, double value) in figures)
        {
            AppendFigure(line, name, value);
        }
    }

    private static void AppendFigure(StringBuilder line, string name, double value) =>
        AppendFigure(line.Append(" - ").Append(name).Append(": "), value);

    /// <summary>A figure as Keras' progress bar prints it: <c>0.5123</c>, or <c>1.0000e-04</c> at 0.001 and below.</summary>
    internal static StringBuilder AppendFigure(StringBuilder line, double value) =>
        Math.Abs(value) > 1e-3 || !double.IsFinite(value)
            ? Invariant(line, value, "0.0000")
            : Invariant(line, value, "0.0000e+00");

    /// <summary>The batch count, right-aligned to the width of the total as Keras aligns it, a slash, the total, and the bar.</summary>
    private static void AppendBar(StringBuilder line, int shown, int done, int batches)
    {
        line.Append(' ', Math.Max(Digits(batches) - Digits(shown), 0));
        Invariant(Invariant(line, shown).Append('/'), batches).Append(' ');
        int filled = batches == 0 ? BarWidth : (int)((long)BarWidth * done / batches);
        line.Append('━', filled).Append('─', BarWidth - filled);
    }

    private static void AppendStep(StringBuilder line, TimeSpan step)
    {
        if (step.TotalMilliseconds >= 1)
        {
            Invariant(line, step.TotalMilliseconds, "0").Append("ms/step");
        }
        else
        {
            Invariant(line, step.TotalMicroseconds, "0").Append("us/step");
        }
    }

    private static int Digits(int value) => value < 10 ? 1 : 1 + Digits(value / 10);

    /// <summary>Keras' estimate of the time left: <c>h:mm:ss</c> past an hour, <c>m:ss</c> past a minute, else whole seconds.</summary>
    private static void AppendTimeLeft(StringBuilder line, double seconds)
    {
        long whole = (long)seconds;
        if (seconds > 3600)
        {
            Invariant(Invariant(Invariant(line, whole / 3600).Append(':'), whole % 3600 / 60, "00").Append(':'), whole % 60, "00");
        }
        else if (seconds > 60)
        {
            Invariant(Invariant(line, whole / 60).Append(':'), whole % 60, "00");
        }
        else
        {
            Invariant(line, whole).Append('s');
        }
    }

    /// <summary>
    /// Appends a number in the invariant culture. A constrained call on the value itself, where the builder's
    /// interpolation handler tests the value for its interfaces: that boxes it until the JIT optimises the
    /// caller, so a redraw would allocate during the first seconds of a run.
    /// </summary>
    private static StringBuilder Invariant<T>(StringBuilder line, T value, string? format = null)
        where T : ISpanFormattable
    {
        Span<char> text = stackalloc char[64];
        return value.TryFormat(text, out int written, format, CultureInfo.InvariantCulture)
            ? line.Append(text[..written])
            : line.Append(value.ToString(format, CultureInfo.InvariantCulture));
    }
}
