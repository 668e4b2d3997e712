using System;
using System.Globalization;
using System.Text;

namespace StaticNet;

/// <summary>The parts every SVG picture StaticNet draws shares: the document's opening, with a white page and a title, and text escaping.</summary>
internal static class Svg
{
    /// <summary>Starts a document of <paramref name="width"/> × <paramref name="height"/> on white, titled at the top centre; the caller closes it with <c>&lt;/svg&gt;</c>.</summary>
    public static StringBuilder Open(int width, int height, string title)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">{Escape(title)}</text>\n");
        return svg;
    }

    /// <summary>Text as SVG character data or an attribute value.</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
}
