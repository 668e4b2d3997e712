using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace StaticNet;

/// <summary>
/// One explanation: a value per feature (or per group of features) with the features' names and, where the method has
/// them, the output explained, the value the contributions start from and the prediction they add up to. It prints as
/// a table of the features sorted by the size of their contribution, and draws as a bar chart or, for an image, a heat-map.
/// </summary>
public sealed class Explanation
{
    private readonly float[] _values;

    /// <summary>Wraps a copy of attributions, such as those <see cref="InputGradients"/> writes, with the features' names.</summary>
    /// <param name="values">A value per feature.</param>
    /// <param name="featureNames">A name per feature, such as <see cref="Dataset.FeatureNames"/>, or null for <c>x0</c>, <c>x1</c>, ….</param>
    /// <exception cref="ArgumentException">There are no values, or the names are not one per value.</exception>
    public Explanation(ReadOnlySpan<float> values, IReadOnlyList<string>? featureNames = null)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("An explanation needs at least one value.", nameof(values));
        }

        if (featureNames is not null && featureNames.Count != values.Length)
        {
            throw new ArgumentException($"There are {featureNames.Count} names for {values.Length} values; give one per value.", nameof(featureNames));
        }

        _values = values.ToArray();
        FeatureNames = [.. FeatureGroups.FeatureNamesOrDefault(featureNames, values.Length)];
    }

    /// <summary>The value of each feature, in feature order.</summary>
    public IReadOnlyList<float> Values => _values;

    /// <summary>The features' names, in feature order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The method's name, as the table's title prints it, or null.</summary>
    public string? Method { get; init; }

    /// <summary>The name of the output explained, such as a class name, or null.</summary>
    public string? OutputName { get; init; }

    /// <summary>What the contributions start from: the expected output for Shapley values, the baseline's output for integrated gradients, the unpermuted score for permutation importance; or null.</summary>
    public double? BaseValue { get; init; }

    /// <summary>The explained output at the input, or null.</summary>
    public double? Prediction { get; init; }

    /// <summary>A spread per value, such as the standard deviation of permutation importance over its repeats, or null.</summary>
    public IReadOnlyList<float>? StandardDeviations { get; init; }

    /// <summary>The features by the size of their value, largest first (ties in feature order).</summary>
    public IReadOnlyList<FeatureContribution> Ranked() =>
        [.. Enumerable.Range(0, _values.Length)
            .OrderByDescending(i => MathF.Abs(_values[i]))
            .ThenBy(i => i)
            .Select(i => new FeatureContribution(i, FeatureNames[i], _values[i]))];

    /// <summary>
    /// The explanation as a table: a title with the method, output, base value and prediction, then the
    /// <paramref name="top"/> largest contributions, each with a bar of its size, and one line for the rest.
    /// </summary>
    /// <param name="top">The most features listed; the others are summed on one line.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is below 1.</exception>
    public string ToTable(int top = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        IReadOnlyList<FeatureContribution> ranked = Ranked();
        FeatureContribution[] shown = [.. ranked.Take(top)];
        int nameWidth = Math.Max("feature".Length, shown.Max(c => c.Name.Length));
        float largest = Math.Max(MathF.Abs(shown[0].Value), float.Epsilon);
        var table = new StringBuilder();
        table.Append(Title()).Append('\n');
        table.Append(CultureInfo.InvariantCulture, $"  {"feature".PadRight(nameWidth)}  {"value",12}{(StandardDeviations is null ? "" : $"  {"± sd",10}")}\n");
        foreach (FeatureContribution contribution in shown)
        {
            string bar = new(contribution.Value < 0 ? '-' : '+', (int)MathF.Round(20 * MathF.Abs(contribution.Value) / largest));
            string spread = StandardDeviations is null ? "" : $"  {StandardDeviations[contribution.Index],10:0.0000}";
            table.Append(CultureInfo.InvariantCulture, $"  {contribution.Name.PadRight(nameWidth)}  {contribution.Value,12:+0.000000;-0.000000;0}{spread}  {bar}\n");
        }

        if (ranked.Count > shown.Length)
        {
            double rest = ranked.Skip(shown.Length).Sum(c => (double)c.Value);
            table.Append(CultureInfo.InvariantCulture, $"  ({ranked.Count - shown.Length} more, adding up to {rest:+0.000000;-0.000000;0})\n");
        }

        return table.ToString();
    }

    /// <summary>The table of the 20 largest contributions (<see cref="ToTable"/>).</summary>
    public override string ToString() => ToTable();

    /// <summary>
    /// The <paramref name="top"/> largest contributions as an SVG bar chart, largest at the top: positive bars red to
    /// the right, negative blue to the left, each labelled with its feature and value.
    /// </summary>
    /// <param name="top">The most bars drawn.</param>
    /// <param name="title">The chart's title, or null for the table's.</param>
    /// <returns>The SVG document.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is below 1.</exception>
    public string ToBarChartSvg(int top = 20, string? title = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        return AttributionPictures.BarChart([.. Ranked().Take(top)], title ?? Title());
    }

    /// <summary>
    /// The values as an SVG heat-map of a row-major image of <paramref name="width"/> × <paramref name="height"/>: red
    /// where a pixel adds to the output, blue where it takes away, white where it does neither, on a scale symmetric
    /// about 0; over the image itself in grey when <paramref name="image"/> is given; with a colour bar.
    /// </summary>
    /// <param name="width">The image's width in pixels.</param>
    /// <param name="height">The image's height in pixels.</param>
    /// <param name="image">The image explained, to draw beneath, or empty.</param>
    /// <param name="title">The picture's title, or null for the table's.</param>
    /// <returns>The SVG document.</returns>
    /// <exception cref="ArgumentException">The values, or the image, are not <paramref name="width"/> × <paramref name="height"/>.</exception>
    public string ToHeatMapSvg(int width, int height, ReadOnlySpan<float> image = default, string? title = null)
    {
        RequireImage(width, height, image);
        return AttributionPictures.HeatMapSvg(_values, width, height, image, title ?? Title());
    }

    /// <summary>Writes <see cref="ToBarChartSvg"/>'s chart to <paramref name="path"/>, replacing the file atomically.</summary>
    /// <param name="path">The file to create or replace, conventionally <c>.svg</c>.</param>
    /// <param name="top">The most bars drawn.</param>
    /// <param name="title">The chart's title, or null for the table's.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is below 1.</exception>
    /// <exception cref="System.IO.IOException">The file system refused the file; the message starts with the path.</exception>
    public void SaveBarChart(string path, int top = 20, string? title = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] svg = Encoding.UTF8.GetBytes(ToBarChartSvg(top, title));
        AtomicFile.Write(path, stream => stream.Write(svg));
    }

    /// <summary>
    /// Writes the heat-map to <paramref name="path"/>, replacing the file atomically: a PNG, each pixel drawn as a
    /// square of <paramref name="scale"/> pixels, when the path ends in <c>.png</c>; otherwise <see cref="ToHeatMapSvg"/>'s SVG.
    /// </summary>
    /// <param name="path">The file to create or replace: <c>.png</c> or <c>.svg</c>.</param>
    /// <param name="width">The image's width in pixels.</param>
    /// <param name="height">The image's height in pixels.</param>
    /// <param name="image">The image explained, to draw beneath, or empty.</param>
    /// <param name="scale">The PNG's pixels per image pixel, 1 to 64.</param>
    /// <exception cref="ArgumentException">The values, or the image, are not <paramref name="width"/> × <paramref name="height"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is out of range.</exception>
    /// <exception cref="System.IO.IOException">The file system refused the file; the message starts with the path.</exception>
    public void SaveHeatMap(string path, int width, int height, ReadOnlySpan<float> image = default, int scale = 8)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scale, 64);
        RequireImage(width, height, image);
        byte[] file = path.EndsWith(".png", StringComparison.OrdinalIgnoreCase)
            ? AttributionPictures.HeatMapPng(_values, width, height, image, scale)
            : Encoding.UTF8.GetBytes(AttributionPictures.HeatMapSvg(_values, width, height, image, Title()));
        AtomicFile.Write(path, stream => stream.Write(file));
    }

    private void RequireImage(int width, int height, ReadOnlySpan<float> image)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if ((long)width * height != _values.Length || (!image.IsEmpty && image.Length != _values.Length))
        {
            throw new ArgumentException(
                $"A heat-map of {width} × {height} needs {(long)width * height} values and an image of as many or none; there are {_values.Length} values and an image of {image.Length}. Spread a group explanation over its features first (FeatureGroups.Spread).",
                nameof(width));
        }
    }

    private string Title()
    {
        var title = new StringBuilder(Method ?? "Attributions");
        if (OutputName is not null)
        {
            title.Append(" of ").Append(OutputName);
        }

        if (BaseValue is { } start && Prediction is { } end)
        {
            title.Append(CultureInfo.InvariantCulture, $": {start:0.######} + {_values.Sum(v => (double)v):0.######} = {end:0.######}");
        }
        else if (BaseValue is { } baseValue)
        {
            title.Append(CultureInfo.InvariantCulture, $" (base {baseValue:0.######})");
        }

        return title.ToString();
    }
}

/// <summary>One feature's contribution to an <see cref="Explanation"/>.</summary>
/// <param name="Index">The feature's index.</param>
/// <param name="Name">The feature's name.</param>
/// <param name="Value">Its contribution.</param>
public readonly record struct FeatureContribution(int Index, string Name, float Value);
