using StaticNet;
using Xunit;

namespace StaticNet.Tests;

public sealed class IdxTests : IDisposable
{
    private readonly TemporaryDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Images_and_labels_load_as_pixels_over_255_and_one_hot_targets(bool gzipped)
    {
        byte[] images = IdxFiles.Images(3, 2, 2, i => (byte)(i * 20));
        byte[] labels = IdxFiles.Labels(2, 0, 9);
        string imagesPath = _files.Write("images", gzipped ? IdxFiles.Gzip(images) : images);
        string labelsPath = _files.Write("labels", gzipped ? IdxFiles.Gzip(labels) : labels);

        Dataset data = Idx.Load(imagesPath, labelsPath);

        Assert.Equal(3, data.Count);
        Assert.Equal(4, data.FeatureCount);
        Assert.Equal(10, data.TargetCount);
        Assert.Equal(220 / 255f, data.FeatureRow(2)[3]);
        Assert.Equal(0f, data.FeatureRow(0)[0]);
        Assert.Equal(2, data.TargetRow(0).IndexOf(1f));
        Assert.Equal(0, data.TargetRow(1).IndexOf(1f));
        Assert.Equal(9, data.TargetRow(2).IndexOf(1f));
        Assert.Equal(3f, Sum(data.Targets));
    }

    [Fact]
    public void A_wrong_magic_number_is_named_with_the_expected_one()
    {
        byte[] labels = IdxFiles.Labels(1, 2);
        string imagesPath = _files.Write("images", labels);
        string labelsPath = _files.Write("labels", labels);

        var error = Assert.Throws<DataFormatException>(() => Idx.Load(imagesPath, labelsPath));
        Assert.Equal(imagesPath, error.FilePath);
        Assert.Equal("0x00000801", error.Value);
        Assert.Contains("starts with 0x00000803", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_truncated_file_says_how_much_is_missing(bool gzipped)
    {
        byte[] images = IdxFiles.Images(2, 3, 3, i => 1)[..^5];
        string imagesPath = _files.Write("images", gzipped ? IdxFiles.Gzip(images) : images);
        string labelsPath = _files.Write("labels", IdxFiles.Labels(0, 1));

        var error = Assert.Throws<DataFormatException>(() => Idx.Load(imagesPath, labelsPath));
        Assert.Equal(imagesPath, error.FilePath);
        Assert.Contains("truncated: it holds 13 of the 18 values its header announces (2 × 3 × 3)", error.Message);
    }

    [Fact]
    public void A_file_truncated_inside_its_header_is_reported()
    {
        string imagesPath = _files.Write("images", IdxFiles.Images(2, 3, 3, i => 1)[..10]);
        string labelsPath = _files.Write("labels", IdxFiles.Labels(0, 1));

        var error = Assert.Throws<DataFormatException>(() => Idx.Load(imagesPath, labelsPath));
        Assert.Contains("ends after 10 bytes, inside the 16-byte header", error.Message);
    }

    [Fact]
    public void Bytes_after_the_announced_values_are_rejected()
    {
        string imagesPath = _files.Write("images", [.. IdxFiles.Images(2, 2, 2, i => 0), 7]);
        string labelsPath = _files.Write("labels", IdxFiles.Labels(0, 1));

        var error = Assert.Throws<DataFormatException>(() => Idx.Load(imagesPath, labelsPath));
        Assert.Contains("goes on after the 8 values", error.Message);
    }

    [Fact]
    public void An_image_and_label_count_mismatch_names_both_files()
    {
        string imagesPath = _files.Write("images", IdxFiles.Images(3, 2, 2, i => 0));
        string labelsPath = _files.Write("labels", IdxFiles.Labels(0, 1));

        var error = Assert.Throws<DataFormatException>(() => Idx.Load(imagesPath, labelsPath));
        Assert.Equal(labelsPath, error.FilePath);
        Assert.Contains($"holds 2 labels but {imagesPath} holds 3 images", error.Message);
    }

    [Fact]
    public void A_label_out_of_range_names_its_index_and_value()
    {
        string imagesPath = _files.Write("images", IdxFiles.Images(3, 2, 2, i => 0));
        string labelsPath = _files.Write("labels", IdxFiles.Labels(0, 10, 1));

        var error = Assert.Throws<DataFormatException>(() => Idx.Load(imagesPath, labelsPath));
        Assert.Equal("10", error.Value);
        Assert.Contains("Label 1 (byte 9) is out of range: labels are 0 to 9", error.Message);
    }

    [Fact]
    public void Corrupt_gzip_data_is_a_data_format_error()
    {
        byte[] gzip = IdxFiles.Gzip(IdxFiles.Images(4, 4, 4, i => (byte)i));
        gzip[gzip.Length / 2] ^= 0xFF;
        gzip[(gzip.Length / 2) + 1] ^= 0xFF;
        string imagesPath = _files.Write("images", gzip);
        string labelsPath = _files.Write("labels", IdxFiles.Labels(0, 1, 2, 3));

        var error = Assert.Throws<DataFormatException>(() => Idx.Load(imagesPath, labelsPath));
        Assert.Equal(imagesPath, error.FilePath);
    }

    private static float Sum(ReadOnlySpan<float> values)
    {
        float sum = 0;
        foreach (float value in values)
        {
            sum += value;
        }

        return sum;
    }
}
