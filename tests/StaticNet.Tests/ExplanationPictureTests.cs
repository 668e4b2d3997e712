using System.Buffers.Binary;
using System.IO.Compression;
using System.Xml.Linq;
using Xunit;

namespace StaticNet.Tests;

/// <summary>
/// Explanations as users read them: a table sorted by the size of each contribution with the features' names, a bar
/// chart, and image heat-maps as SVG and as a PNG that decodes back to the colours of the diverging scale.
/// </summary>
public sealed class ExplanationPictureTests : IDisposable
{
    private static readonly XNamespace SvgNamespace = "http://www.w3.org/2000/svg";
    private readonly TemporaryDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void The_table_lists_the_largest_contributions_first_by_name_and_sums_the_rest_on_one_line()
    {
        var explanation = new Explanation([0.1f, -0.5f, 0.25f, 0.01f, -0.02f], ["bill", "flipper", "mass", "year", "sex"])
        {
            Method = "KernelSHAP",
            OutputName = "Gentoo",
            BaseValue = 0.3,
            Prediction = 0.14,
        };

        string[] lines = explanation.ToTable(top: 3).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("KernelSHAP of Gentoo: 0.3 + -0.16 = 0.14", lines[0]);
        Assert.Equal(["flipper", "mass", "bill"], lines[2..5].Select(line => line.Trim().Split(' ')[0]));
        Assert.Contains("-0.500000", lines[2], StringComparison.Ordinal);
        Assert.EndsWith(new string('-', 20), lines[2], StringComparison.Ordinal);
        Assert.EndsWith(new string('+', 10), lines[3], StringComparison.Ordinal);
        Assert.Equal("  (2 more, adding up to -0.010000)", lines[5]);
        Assert.Equal([1, 2, 0, 4, 3], explanation.Ranked().Select(c => c.Index));
    }

    [Fact]
    public void Features_without_names_are_numbered_and_names_must_be_one_per_value()
    {
        Assert.Equal(["x0", "x1"], new Explanation([1f, 2f]).FeatureNames);
        Assert.Throws<ArgumentException>(() => new Explanation([1f, 2f], ["only"]));
        Assert.Throws<ArgumentException>(() => new Explanation([]));
    }

    [Fact]
    public void The_bar_chart_draws_a_bar_per_contribution_in_order_red_for_positive_and_blue_for_negative()
    {
        var explanation = new Explanation([0.1f, -0.5f, 0.25f], ["a<b", "c", "d"]);

        XDocument svg = XDocument.Parse(explanation.ToBarChartSvg());

        XElement[] bars = [.. svg.Descendants(SvgNamespace + "rect").Where(rect => rect.Element(SvgNamespace + "title") is not null)];
        Assert.Equal(["c: -0.5", "d: 0.25", "a<b: 0.1"], bars.Select(bar => bar.Element(SvgNamespace + "title")!.Value));
        Assert.Equal(["#1f77b4", "#d62728", "#d62728"], bars.Select(bar => (string)bar.Attribute("fill")!));
        double[] widths = [.. bars.Select(bar => (double)bar.Attribute("width")!)];
        Assert.Equal(widths[0] / 2, widths[1], 0.02);
        Assert.True((double)bars[0].Attribute("x")! < (double)bars[1].Attribute("x")!);
    }

    [Fact]
    public void The_heat_map_svg_has_a_cell_per_pixel_white_at_zero_and_the_strongest_colour_at_the_largest_value()
    {
        float[] values = new float[12];
        values[5] = 2;
        values[7] = -1;
        var explanation = new Explanation(values);

        XDocument svg = XDocument.Parse(explanation.ToHeatMapSvg(4, 3));

        XElement[] cells = [.. svg.Descendants(SvgNamespace + "g").Single().Elements(SvgNamespace + "rect")];
        Assert.Equal(12, cells.Length);
        Assert.Equal("#ffffff", (string)cells[0].Attribute("fill")!);
        Assert.Equal("#d62629", (string)cells[5].Attribute("fill")!);
        Assert.Equal("#8fbbda", (string)cells[7].Attribute("fill")!);
    }

    [Fact]
    public void The_heat_map_png_decodes_to_the_scaled_image_of_the_diverging_colours_over_the_grey_picture()
    {
        float[] values = [0, 1, -1, 0.5f, 0, 0];
        float[] image = [0, 0, 0, 0, 1, 0];
        string path = _files.File("map.png");

        new Explanation(values).SaveHeatMap(path, width: 3, height: 2, image, scale: 2);

        (int width, int height, byte[] rgb) = DecodePng(File.ReadAllBytes(path));
        Assert.Equal((6, 4), (width, height));
        byte[] Pixel(int x, int y) => rgb.AsSpan(((y * width) + x) * 3, 3).ToArray();
        Assert.Equal([255, 255, 255], Pixel(0, 0));
        Assert.Equal([214, 38, 41], Pixel(3, 1));
        Assert.Equal([31, 120, 181], Pixel(5, 0));
        Assert.Equal([64, 64, 64], Pixel(2, 3));
        Assert.Equal(Pixel(2, 2), Pixel(3, 3));
    }

    [Fact]
    public void Heat_maps_and_charts_are_written_as_their_extension_says_and_refuse_a_wrong_size_with_the_fix()
    {
        var explanation = new Explanation(new float[6]);

        explanation.SaveHeatMap(_files.File("map.svg"), 3, 2);
        explanation.SaveBarChart(_files.File("bars.svg"));

        Assert.NotNull(XDocument.Load(_files.File("map.svg")).Root);
        Assert.NotNull(XDocument.Load(_files.File("bars.svg")).Root);
        var wrong = Assert.Throws<ArgumentException>(() => explanation.SaveHeatMap(_files.File("no.png"), 4, 2));
        Assert.Contains("FeatureGroups.Spread", wrong.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_files.File("no.png")));
    }

    [Fact]
    public void Image_patches_number_and_name_the_patches_row_by_row_and_spread_back_over_the_pixels()
    {
        FeatureGroups patches = FeatureGroups.ImagePatches(width: 5, height: 3, patchWidth: 2, patchHeight: 2);

        Assert.Equal(6, patches.Count);
        Assert.Equal([0, 0, 1, 1, 2, 0, 0, 1, 1, 2, 3, 3, 4, 4, 5], Enumerable.Range(0, 15).Select(patches.GroupOf));
        Assert.Equal("rows 0-1, columns 4-4", patches.Names[2]);
        Assert.Equal("rows 2-2, columns 0-1", patches.Names[3]);
        float[] pixels = new float[15];
        patches.Spread([1, 2, 3, 4, 5, 6], pixels);
        Assert.Equal([1f, 1, 2, 2, 3, 1, 1, 2, 2, 3, 4, 4, 5, 5, 6], pixels);
        Assert.Throws<ArgumentException>(() => new FeatureGroups([0, 2]));
        Assert.Throws<ArgumentException>(() => new FeatureGroups([0, -1]));
        Assert.Throws<ArgumentException>(() => new FeatureGroups([0, 1], ["one"]));
    }

    /// <summary>Reads an 8-bit RGB PNG of filter type 0, checking the signature and every chunk's CRC-32.</summary>
    private static (int Width, int Height, byte[] Rgb) DecodePng(byte[] file)
    {
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], file[..8]);
        int width = 0, height = 0;
        var data = new MemoryStream();
        for (int at = 8; at < file.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
            byte[] body = file[(at + 8)..(at + 8 + length)];
            Assert.Equal(BitwiseCrc32(file.AsSpan(at + 4, length + 4)), BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at + 8 + length)));
            if (type == "IHDR")
            {
                (width, height) = (BinaryPrimitives.ReadInt32BigEndian(body), BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(4)));
                Assert.Equal([8, 2, 0, 0, 0], body[8..]);
            }
            else if (type == "IDAT")
            {
                data.Write(body);
            }

            at += 12 + length;
        }

        data.Position = 0;
        using var zlib = new ZLibStream(data, CompressionMode.Decompress);
        var raw = new MemoryStream();
        zlib.CopyTo(raw);
        byte[] scanlines = raw.ToArray();
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            Assert.Equal(0, scanlines[y * ((width * 3) + 1)]);
            scanlines.AsSpan((y * ((width * 3) + 1)) + 1, width * 3).CopyTo(rgb.AsSpan(y * width * 3));
        }

        return (width, height, rgb);
    }

    /// <summary>PNG's CRC-32 one bit at a time, as the standard's sample code computes it.</summary>
    private static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte value in data)
        {
            crc ^= value;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
