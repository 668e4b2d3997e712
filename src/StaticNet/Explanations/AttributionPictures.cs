using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace StaticNet;

/// <summary>
/// Draws explanations as pictures a browser or an IDE opens, in the style of the training-curve charts: bar charts of
/// contributions and heat-maps of image attributions on a diverging scale, blue through white to red, symmetric about 0.
/// </summary>
internal static class AttributionPictures
{
    private const string PositiveColor = "#d62728";
    private const string NegativeColor = "#1f77b4";
    private const int BarHeight = 22;
    private const int ChartWidth = 760;
    private const int LabelWidth = 220;
    private const int CellSize = 12;

    /// <summary>A horizontal bar per contribution, largest first, about a vertical axis at 0.</summary>
    public static string BarChart(IReadOnlyList<FeatureContribution> bars, string title)
    {
        double largest = double.Epsilon;
        foreach (FeatureContribution bar in bars)
        {
            largest = Math.Max(largest, Math.Abs(bar.Value));
        }

        int plotWidth = ChartWidth - LabelWidth - 30;
        double half = plotWidth / 2.0;
        double axis = LabelWidth + half;
        int height = 50 + (bars.Count * BarHeight) + 20;
        StringBuilder svg = Svg.Open(ChartWidth, height, title);
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{axis:0.#}\" y1=\"40\" x2=\"{axis:0.#}\" y2=\"{height - 20}\" stroke=\"#888\"/>\n");
        for (int i = 0; i < bars.Count; i++)
        {
            FeatureContribution bar = bars[i];
            double length = half * 0.8 * Math.Abs(bar.Value) / largest;
            double x = bar.Value < 0 ? axis - length : axis;
            int y = 44 + (i * BarHeight);
            string color = bar.Value < 0 ? NegativeColor : PositiveColor;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 8}\" y=\"{y + 14}\" text-anchor=\"end\">{Svg.Escape(bar.Name)}</text>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.##}\" y=\"{y + 2}\" width=\"{Math.Max(length, 0.5):0.##}\" height=\"{BarHeight - 6}\" fill=\"{color}\"><title>{Svg.Escape(bar.Name)}: {bar.Value:G6}</title></rect>\n");
            double labelX = bar.Value < 0 ? x - 4 : x + length + 4;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelX:0.##}\" y=\"{y + 14}\" text-anchor=\"{(bar.Value < 0 ? "end" : "start")}\" fill=\"#444\">{bar.Value:+0.0000;-0.0000;0}</text>\n");
        }

        return svg.Append("</svg>\n").ToString();
    }

    /// <summary>A square per pixel, coloured by its value, over the grey image when there is one, with a colour bar of the scale.</summary>
    public static string HeatMapSvg(ReadOnlySpan<float> values, int width, int height, ReadOnlySpan<float> image, string title)
    {
        float scale = Scale(values);
        (float low, float high) = Range(image);
        int pictureWidth = Math.Max((width * CellSize) + 120, 360);
        int pictureHeight = 40 + (height * CellSize) + 20;
        StringBuilder svg = Svg.Open(pictureWidth, pictureHeight, title);
        svg.Append("<g shape-rendering=\"crispEdges\">\n");
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = (y * width) + x;
                (byte r, byte g, byte b) = Pixel(values[i], scale, image.IsEmpty ? null : Grey(image[i], low, high));
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{10 + (x * CellSize)}\" y=\"{40 + (y * CellSize)}\" width=\"{CellSize}\" height=\"{CellSize}\" fill=\"#{r:x2}{g:x2}{b:x2}\"/>\n");
            }
        }

        svg.Append("</g>\n");
        int barX = 30 + (width * CellSize), barTop = 40, barHeight = height * CellSize;
        const int Steps = 32;
        for (int k = 0; k < Steps; k++)
        {
            float value = scale * (1 - (2 * (k + 0.5f) / Steps));
            (byte r, byte g, byte b) = Pixel(value, scale, null);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{barX}\" y=\"{barTop + (k * barHeight / (double)Steps):0.##}\" width=\"16\" height=\"{(barHeight / (double)Steps) + 0.5:0.##}\" fill=\"#{r:x2}{g:x2}{b:x2}\"/>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{barX + 22}\" y=\"{barTop + 10}\">{scale:+0.###E+0}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{barX + 22}\" y=\"{barTop + (barHeight / 2) + 4}\">0</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{barX + 22}\" y=\"{barTop + barHeight}\">{-scale:+0.###E+0;-0.###E+0}</text>\n");
        return svg.Append("</svg>\n").ToString();
    }

    /// <summary>The heat-map as an 8-bit RGB PNG, each pixel a square of <paramref name="scale"/> pixels.</summary>
    public static byte[] HeatMapPng(ReadOnlySpan<float> values, int width, int height, ReadOnlySpan<float> image, int scale)
    {
        float range = Scale(values);
        (float low, float high) = Range(image);
        int outWidth = width * scale, outHeight = height * scale;
        byte[] rgb = new byte[outWidth * outHeight * 3];
        for (int y = 0; y < outHeight; y++)
        {
            for (int x = 0; x < outWidth; x++)
            {
                int i = (y / scale * width) + (x / scale);
                (byte r, byte g, byte b) = Pixel(values[i], range, image.IsEmpty ? null : Grey(image[i], low, high));
                int o = ((y * outWidth) + x) * 3;
                (rgb[o], rgb[o + 1], rgb[o + 2]) = (r, g, b);
            }
        }

        return Png.Encode(outWidth, outHeight, rgb);
    }

    /// <summary>
    /// A value's colour: white blended toward red (positive) or blue (negative) by its share of the scale; over an
    /// image, the grey of the pixel blended the same way, so that the image shows where the attributions are small.
    /// </summary>
    private static (byte R, byte G, byte B) Pixel(float value, float scale, float? grey)
    {
        float t = Math.Clamp(MathF.Abs(value) / scale, 0, 1);
        (float r, float g, float b) = value < 0 ? (0.12f, 0.47f, 0.71f) : (0.84f, 0.15f, 0.16f);
        float under = grey ?? 1;
        return (Channel(under + (t * (r - under))), Channel(under + (t * (g - under))), Channel(under + (t * (b - under))));
    }

    /// <summary>The scale of a diverging map: the largest magnitude, or 1 when every value is 0 or not finite.</summary>
    private static float Scale(ReadOnlySpan<float> values)
    {
        float largest = 0;
        foreach (float value in values)
        {
            if (float.IsFinite(value))
            {
                largest = MathF.Max(largest, MathF.Abs(value));
            }
        }

        return largest > 0 ? largest : 1;
    }

    private static (float Low, float High) Range(ReadOnlySpan<float> image)
    {
        float low = float.PositiveInfinity, high = float.NegativeInfinity;
        foreach (float value in image)
        {
            low = MathF.Min(low, value);
            high = MathF.Max(high, value);
        }

        return (low, high);
    }

    /// <summary>An image pixel's grey: dark for high values, as dark ink on light paper, between 0.25 and 1.</summary>
    private static float Grey(float value, float low, float high) =>
        high > low ? 1 - (0.75f * (value - low) / (high - low)) : 1;

    private static byte Channel(float value) => (byte)Math.Clamp(MathF.Round(value * 255), 0, 255);
}
