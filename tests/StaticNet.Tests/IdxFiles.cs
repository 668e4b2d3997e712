using System.Buffers.Binary;
using System.IO.Compression;

namespace StaticNet.Tests;

/// <summary>Builds IDX files byte by byte, as MNIST's are laid out.</summary>
internal static class IdxFiles
{
    public static byte[] Images(int count, int rows, int columns, Func<int, byte> pixel)
    {
        byte[] file = Header(0x00000803, count, rows, columns);
        int start = file.Length;
        Array.Resize(ref file, start + (count * rows * columns));
        for (int i = start; i < file.Length; i++)
        {
            file[i] = pixel(i - start);
        }

        return file;
    }

    public static byte[] Labels(params byte[] labels) => [.. Header(0x00000801, labels.Length), .. labels];

    public static byte[] Gzip(byte[] bytes, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, level))
        {
            gzip.Write(bytes);
        }

        return compressed.ToArray();
    }

    private static byte[] Header(uint magic, params int[] sizes)
    {
        byte[] header = new byte[4 + (4 * sizes.Length)];
        BinaryPrimitives.WriteUInt32BigEndian(header, magic);
        for (int i = 0; i < sizes.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + (4 * i)), sizes[i]);
        }

        return header;
    }
}
