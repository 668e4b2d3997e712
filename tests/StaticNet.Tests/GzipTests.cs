using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using StaticNet;
using Xunit;

namespace StaticNet.Tests;

/// <summary>Gzip-compressed IDX files damaged the ways GZipStream lets pass: each is refused, naming the file, the member and what is wrong.</summary>
public sealed class GzipTests : IDisposable
{
    private readonly TemporaryDirectory _files = new();
    private readonly byte[] _images = IdxFiles.Images(4, 5, 5, i => (byte)(i * 3));
    private readonly string _labels;

    public GzipTests() => _labels = _files.Write("labels", IdxFiles.Labels(0, 1, 2, 3));

    public void Dispose() => _files.Dispose();

    [Fact]
    public void The_CRC_32_is_gzips()
    {
        Assert.Equal(0xCBF43926u, Crc32.Append(0, "123456789"u8));
        Assert.Equal(0u, Crc32.Append(0, []));

        byte[] data = new byte[1000];
        new Random(7).NextBytes(data);
        uint whole = Crc32.Append(0, data);
        Assert.Equal(whole, Crc32.Append(Crc32.Append(0, data.AsSpan(0, 13)), data.AsSpan(13)));
        Assert.Equal(whole, BitwiseCrc(data));
    }

    [Fact]
    public void A_whole_file_loads_as_the_uncompressed_one_does()
    {
        Dataset gzipped = Idx.Load(Write(IdxFiles.Gzip(_images)), _labels);
        Dataset plain = Idx.Load(Write(_images), _labels);

        Assert.Equal(plain.Features.ToArray(), gzipped.Features.ToArray());
    }

    [Fact]
    public void A_file_whose_trailer_is_cut_off_is_refused()
    {
        byte[] gzip = IdxFiles.Gzip(_images);
        string path = Write(gzip[..^8]);

        DataFormatException error = Refused(path);

        Assert.Contains("Gzip member 1, from byte 0: the file ends inside the member", error.Message);
        Assert.Contains("8-byte trailer (CRC-32 and size) is cut off", error.Message);
    }

    [Fact]
    public void A_file_cut_inside_its_trailer_is_refused()
    {
        Assert.Contains("is cut off", Refused(Write(IdxFiles.Gzip(_images)[..^3])).Message);
    }

    [Fact]
    public void A_file_without_its_trailer_and_with_a_changed_byte_is_refused()
    {
        byte[] gzip = IdxFiles.Gzip(_images, CompressionLevel.NoCompression)[..^8];
        gzip[^5] ^= 0x40;

        Assert.Contains("Gzip member 1", Refused(Write(gzip)).Message);
    }

    [Fact]
    public void A_changed_payload_byte_is_caught_by_the_CRC()
    {
        // Stored (uncompressed) deflate blocks: the change alters a pixel but not the structure, so only the CRC can tell.
        byte[] gzip = IdxFiles.Gzip(_images, CompressionLevel.NoCompression);
        gzip[^20] ^= 0x01;

        DataFormatException error = Refused(Write(gzip));

        Assert.Contains($"its trailer records CRC-32 0x{Crc32.Append(0, _images):X8} but its {_images.Length} decompressed bytes give 0x", error.Message);
        Assert.Contains("the data are damaged", error.Message);
    }

    [Fact]
    public void A_wrong_size_in_the_trailer_is_refused()
    {
        byte[] gzip = IdxFiles.Gzip(_images);
        BinaryPrimitives.WriteUInt32LittleEndian(gzip.AsSpan(gzip.Length - 4), (uint)_images.Length + 1);

        DataFormatException error = Refused(Write(gzip));

        Assert.Contains($"its trailer records a size of {_images.Length + 1} bytes but its data decompress to {_images.Length}", error.Message);
    }

    [Fact]
    public void Two_members_load_as_their_concatenation()
    {
        byte[] first = IdxFiles.Gzip(_images[..30]);
        byte[] second = IdxFiles.Gzip(_images[30..], CompressionLevel.SmallestSize);

        Dataset data = Idx.Load(Write([.. first, .. second]), _labels);

        Assert.Equal(Idx.Load(Write(_images), _labels).Features.ToArray(), data.Features.ToArray());
    }

    [Fact]
    public void Damage_in_the_second_member_names_that_member_and_where_it_starts()
    {
        byte[] first = IdxFiles.Gzip(_images[..30]);
        byte[] second = IdxFiles.Gzip(_images[30..]);
        second[^8] ^= 0xFF;

        DataFormatException error = Refused(Write([.. first, .. second]));

        Assert.Contains($"Gzip member 2, from byte {first.Length}:", error.Message);
    }

    [Fact]
    public void Bytes_after_the_last_member_are_refused()
    {
        byte[] gzip = IdxFiles.Gzip(_images);

        DataFormatException error = Refused(Write([.. gzip, 0, 0, 0]));

        Assert.Contains($"The bytes from {gzip.Length} on, after gzip member 1, are not another member", error.Message);
    }

    [Fact]
    public void A_header_with_every_optional_field_is_read_and_its_CRC_16_checked()
    {
        byte[] member = WithOptionalFields(IdxFiles.Gzip(_images), corruptHeaderCrc: false);
        Assert.Equal(4, Idx.Load(Write(member), _labels).Count);

        DataFormatException error = Refused(Write(WithOptionalFields(IdxFiles.Gzip(_images), corruptHeaderCrc: true)));
        Assert.Contains("the header's CRC-16 is", error.Message);
    }

    [Fact]
    public void A_file_cut_inside_a_header_is_refused()
    {
        Assert.Contains("the file ends inside the member's header", Refused(Write(IdxFiles.Gzip(_images)[..6])).Message);
    }

    private string Write(byte[] bytes) => _files.Write($"images-{Guid.NewGuid():N}", bytes);

    private DataFormatException Refused(string imagesPath)
    {
        var error = Assert.Throws<DataFormatException>(() => Idx.Load(imagesPath, _labels));
        Assert.Equal(imagesPath, error.FilePath);
        Assert.StartsWith(imagesPath + ": The gzip data is corrupt: ", error.Message);
        return error;
    }

    /// <summary>Rewrites a member's 10-byte header with FEXTRA, FNAME, FCOMMENT and FHCRC set.</summary>
    private static byte[] WithOptionalFields(byte[] member, bool corruptHeaderCrc)
    {
        var header = new List<byte>(member[..10]);
        header[3] = 0x02 | 0x04 | 0x08 | 0x10;
        header.AddRange([3, 0, (byte)'a', (byte)'b', (byte)'c']);
        header.AddRange([.. Encoding.ASCII.GetBytes("images.idx"), 0]);
        header.AddRange([.. Encoding.ASCII.GetBytes("a comment"), 0]);
        ushort crc = (ushort)(Crc32.Append(0, header.ToArray()) ^ (corruptHeaderCrc ? 1u : 0u));
        header.AddRange([(byte)crc, (byte)(crc >> 8)]);
        return [.. header, .. member[10..]];
    }

    private static uint BitwiseCrc(byte[] data)
    {
        uint crc = uint.MaxValue;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
