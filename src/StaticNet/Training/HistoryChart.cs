using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace StaticNet.Training;

/// <summary>
/// Draws a <see cref="History"/> as an SVG picture of training curves: one panel per figure, the loss first,
/// each with its training series and, where there is one, its <c>val_</c> series, against the epoch. A
/// value that is NaN or infinite leaves a gap in its line. The picture needs nothing but a browser or an
/// IDE to open.
/// </summary>
internal static class HistoryChart
{
    private const int PanelWidth = 440;
    private const int PanelHeight = 270;
    private const int Columns = 2;
    private const int Left = 62;
    private const int Right = 16;
    private const int Top = 34;
    private const int Bottom = 44;
    private const string TrainingColor = "#1f77b4";
    private const string ValidationColor = "#ff7f0e";

    /// <summary>The SVG document for <paramref name="history"/>.</summary>
    public static string Draw(History history, string title)
    {
        IReadOnlyList<EpochSummary> epochs = history.Epochs;
        List<string> panels = Panels(history.Names);
        int rows = (panels.Count + Columns - 1) / Columns;
        int width = Columns * PanelWidth;
        int height = (rows * PanelHeight) + 30;
        StringBuilder svg = Svg.Open(width, height, title);
        for (int i = 0; i < panels.Count; i++)
        {
            DrawPanel(svg, epochs, panels[i], x: i % Columns * PanelWidth, y: 30 + (i / Columns * PanelHeight));
        }

        return svg.Append("</svg>\n").ToString();
    }

    /// <summary>The panels' figures: the loss first, then the others as recorded, each once with its validation series beside it.</summary>
    private static List<string> Panels(IEnumerable<string> names)
    {
        var panels = new List<string>();
        foreach (string name in names)
        {
            string figure = name.StartsWith("val_", StringComparison.Ordinal) ? name[4..] : name;
            if (!panels.Contains(figure))
            {
                panels.Add(figure);
            }
        }

        if (panels.Remove("loss"))
        {
            panels.Insert(0, "loss");
        }

        return panels;
    }

    private static void DrawPanel(StringBuilder svg, IReadOnlyList<EpochSummary> epochs, string figure, int x, int y)
    {
        var series = new List<(string Name, string Color)>();
        if (epochs[0].Values.ContainsKey(figure))
        {
            series.Add((figure, TrainingColor));
        }

        if (epochs[0].Values.ContainsKey("val_" + figure))
        {
            series.Add(("val_" + figure, ValidationColor));
        }

        double[] values = [.. series.SelectMany(s => epochs.Select(e => e.Values[s.Name])).Where(double.IsFinite)];
        (double low, double high, double step) = Ticks(values.Length == 0 ? 0 : values.Min(), values.Length == 0 ? 1 : values.Max());
        int first = epochs[0].Epoch;
        int last = epochs[^1].Epoch;
        double plotWidth = PanelWidth - Left - Right;
        double plotHeight = PanelHeight - Top - Bottom;
        double X(int epoch) => x + Left + (last == first ? plotWidth / 2 : (epoch - first) * plotWidth / (last - first));
        double Y(double value) => y + Top + ((high - value) * plotHeight / (high - low));

        svg.Append(CultureInfo.InvariantCulture, $"<g class=\"panel\" data-figure=\"{Svg.Escape(figure)}\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (PanelWidth / 2)}\" y=\"{y + 18}\" text-anchor=\"middle\" font-size=\"13\">{Svg.Escape(figure)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x + Left}\" y=\"{y + Top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"none\" stroke=\"#999\"/>\n");
        for (double tick = low; tick <= high + (step / 2); tick += step)
        {
            double ty = Y(tick);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x + Left}\" y1=\"{ty:0.##}\" x2=\"{x + Left + plotWidth}\" y2=\"{ty:0.##}\" stroke=\"#eee\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + Left - 5}\" y=\"{ty + 4:0.##}\" text-anchor=\"end\">{Label(tick, step)}</text>\n");
        }

        foreach (int epoch in EpochTicks(first, last))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(epoch):0.##}\" y=\"{y + Top + plotHeight + 15}\" text-anchor=\"middle\">{epoch}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + Left + (plotWidth / 2)}\" y=\"{y + PanelHeight - 10}\" text-anchor=\"middle\">epoch</text>\n");

        // The legend goes in the right-hand corner the late epochs' lines keep away from.
        double[] late = [.. series.SelectMany(item => epochs.Skip(epochs.Count * 3 / 5).Select(e => e.Values[item.Name])).Where(double.IsFinite)];
        bool legendBelow = late.Length > 0 && late.Average() > (low + high) / 2;
        double legendTop = legendBelow ? y + Top + plotHeight - (15 * series.Count) : y + Top + 14;
        for (int s = 0; s < series.Count; s++)
        {
            (string name, string color) = series[s];
            foreach (List<(double X, double Y)> run in FiniteRuns(epochs, name, X, Y))
            {
                svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"series\" data-series=\"{Svg.Escape(name)}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.8\" points=\"");
                svg.AppendJoin(' ', run.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.X:0.##},{p.Y:0.##}")));
                svg.Append("\"/>\n");
            }

            double legendY = legendTop + (s * 15);
            double legendX = x + Left + plotWidth - 110;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{legendX}\" y1=\"{legendY - 4}\" x2=\"{legendX + 18}\" y2=\"{legendY - 4}\" stroke=\"{color}\" stroke-width=\"1.8\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{legendX + 23}\" y=\"{legendY}\">{Svg.Escape(name)}</text>\n");
        }

        svg.Append("</g>\n");
    }

    /// <summary>The stretches of consecutive epochs whose value of <paramref name="name"/> is finite, as points.</summary>
    private static IEnumerable<List<(double X, double Y)>> FiniteRuns(
        IReadOnlyList<EpochSummary> epochs, string name, Func<int, double> x, Func<double, double> y)
    {
        var run = new List<(double X, double Y)>();
        foreach (EpochSummary epoch in epochs)
        {
            double value = epoch.Values[name];
            if (double.IsFinite(value))
            {
                run.Add((x(epoch.Epoch), y(value)));
            }
            else if (run.Count > 0)
            {
                yield return run;
                run = [];
            }
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }

    /// <summary>An axis from a round number at or below <paramref name="min"/> to one at or above <paramref name="max"/>, in steps of 1, 2 or 5 times a power of ten, about five of them.</summary>
    internal static (double Low, double High, double Step) Ticks(double min, double max)
    {
        if (max - min < Math.Max(Math.Abs(max), 1) * 1e-9)
        {
            double pad = Math.Max(Math.Abs(max) * 0.05, 1e-3);
            (min, max) = (min - pad, max + pad);
        }

        double rough = (max - min) / 5;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double multiple = (rough / magnitude) switch
        {
            <= 1 => 1,
            <= 2 => 2,
            <= 5 => 5,
            _ => 10,
        };
        double step = multiple * magnitude;
        // A figure on a tick, such as 0.0012 in steps of 0.0002, divides to just off a whole number.
        return (Math.Floor((min / step) + 1e-9) * step, Math.Ceiling((max / step) - 1e-9) * step, step);
    }

    /// <summary>
    /// The epochs to label: every one up to ten, else the first, the multiples of a round step after it, and
    /// the last unless a multiple sits within half a step of it.
    /// </summary>
    private static IEnumerable<int> EpochTicks(int first, int last)
    {
        if (last - first < 10)
        {
            return Enumerable.Range(first, last - first + 1);
        }

        int step = (int)Ticks(0, last - first).Step;
        var ticks = new List<int> { first };
        for (int epoch = ((first / step) + 1) * step; epoch <= last; epoch += step)
        {
            if (epoch - ticks[^1] >= step / 2)
            {
                ticks.Add(epoch);
            }
        }

        if (last - ticks[^1] >= step / 2)
        {
            ticks.Add(last);
        }

        return ticks;
    }

    private static string Label(double tick, double step)
    {
        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step)));
        return Math.Abs(tick) < step / 2 ? "0" : tick.ToString(decimals > 6 ? "0.###e+0" : "F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
