using System;
using System.Buffers.Binary;
using System.IO;

namespace StaticNet;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST: a magic number (two zero bytes, a
/// data type, a dimension count), big-endian 32-bit dimension sizes, then the values. Files may
/// be gzip-compressed, as they are distributed; compression is recognised by its magic bytes, and
/// every gzip member's header, CRC-32 and size are checked, which .NET's GZipStream does not do
/// when a file is cut short.
/// </summary>
public static class Idx
{
    private const byte UnsignedByte = 0x08;
    private const int ReadChunk = 1 << 16;

    /// <summary>
    /// Loads an image file (dimensions: count × rows × columns) and its label file (dimension:
    /// count) as a dataset: one sample per image, features the pixels divided by 255 (so in [0, 1]),
    /// targets the label one-hot over <paramref name="classCount"/> classes.
    /// </summary>
    /// <param name="imagesPath">The images, e.g. <c>train-images-idx3-ubyte.gz</c>.</param>
    /// <param name="labelsPath">The labels, e.g. <c>train-labels-idx1-ubyte.gz</c>.</param>
    /// <param name="classCount">The number of classes; labels must be below it.</param>
    /// <exception cref="DataFormatException">
    /// A magic number, data type or dimension count is wrong, a file is truncated or longer than its
    /// header says, the gzip data is corrupt (invalid deflate data, a member cut short, a trailer
    /// whose CRC-32 or size disagrees, bytes after the last member), the counts of images and labels
    /// differ, or a label is out of range; the message names the file, and for gzip the member and byte.
    /// </exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="DirectoryNotFoundException">A directory of a path does not exist or is a file.</exception>
    /// <exception cref="UnauthorizedAccessException">A path is a directory, or reading it is not permitted.</exception>
    /// <exception cref="IOException">Another failure of the file system; each of these messages starts with the path.</exception>
    public static Dataset Load(string imagesPath, string labelsPath, int classCount = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        (byte[] pixels, int[] imageShape) = Read(imagesPath, 3);
        (byte[] labels, int[] labelShape) = Read(labelsPath, 1);
        if (imageShape[0] != labelShape[0])
        {
            throw new DataFormatException(labelsPath, null, null, null,
                $"The file holds {labelShape[0]} labels but {imagesPath} holds {imageShape[0]} images; each image needs one label.");
        }

        float[] features = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            features[i] = pixels[i] / 255f;
        }

        float[] targets = new float[labels.Length * classCount];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classCount)
            {
                throw new DataFormatException(labelsPath, null, null, labels[i].ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"Label {i} (byte {HeaderLength(1) + i}) is out of range: labels are 0 to {classCount - 1}.");
            }

            targets[(i * classCount) + labels[i]] = 1;
        }

        return new Dataset(features, imageShape[1] * imageShape[2], targets, classCount);
    }

    /// <summary>Reads an unsigned-byte IDX file with <paramref name="dimensions"/> dimensions: its values and its dimension sizes.</summary>
    internal static (byte[] Values, int[] Shape) Read(string path, int dimensions)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            bool compressed = file.ReadByte() == 0x1F && file.ReadByte() == 0x8B;
            file.Position = 0;
            using Stream stream = compressed ? new GzipReader(file) : file;
            return Read(stream, path, dimensions, compressed ? null : file.Length);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, null, null, null, $"The gzip data is corrupt: {e.Message}", e);
        }
        catch (Exception e) when (FileErrors.IsFileSystem(e))
        {
            throw FileErrors.Named(path, e, writing: false);
        }
    }

    /// <summary>Reads the header and values from <paramref name="stream"/>, whose length is known unless it is decompressed.</summary>
    private static (byte[] Values, int[] Shape) Read(Stream stream, string path, int dimensions, long? length)
    {
        int[] shape = ReadHeader(stream, path, dimensions);
        long announced = 1;
        foreach (int size in shape)
        {
            announced = Math.Min(announced * size, (long)Array.MaxLength + 1);
        }

        if (announced > Array.MaxLength)
        {
            throw new DataFormatException(path, null, null, null,
                $"The header announces {string.Join(" × ", shape)} values, more than an array can hold.");
        }

        long? available = length - HeaderLength(dimensions);
        if (available < announced)
        {
            throw Truncated(path, available.Value, announced, shape);
        }

        return (ReadValues(stream, path, (int)announced, shape, compressed: length is null), shape);
    }

    private static int HeaderLength(int dimensions) => 4 + (4 * dimensions);

    private static int[] ReadHeader(Stream stream, string path, int dimensions)
    {
        Span<byte> header = stackalloc byte[HeaderLength(dimensions)];
        int read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read < 4)
        {
            throw new DataFormatException(path, null, null, null, $"The file ends after {read} bytes, inside the 4-byte magic number.");
        }

        uint magic = BinaryPrimitives.ReadUInt32BigEndian(header);
        uint expected = ((uint)UnsignedByte << 8) | (uint)dimensions;
        if (magic != expected)
        {
            throw new DataFormatException(path, null, null, $"0x{magic:X8}",
                $"Wrong magic number: an unsigned-byte IDX file with {dimensions} dimension{(dimensions == 1 ? "" : "s")} starts with 0x{expected:X8}.");
        }

        if (read < header.Length)
        {
            throw new DataFormatException(path, null, null, null, $"The file ends after {read} bytes, inside the {header.Length}-byte header.");
        }

        int[] shape = new int[dimensions];
        for (int i = 0; i < dimensions; i++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(header.Slice(4 + (4 * i)));
            if (size is 0 or > int.MaxValue)
            {
                throw new DataFormatException(path, null, null, size.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"Dimension {i} (byte {4 + (4 * i)}) must be between 1 and {int.MaxValue}.");
            }

            shape[i] = (int)size;
        }

        return shape;
    }

    /// <summary>
    /// Reads exactly <paramref name="count"/> values and checks that nothing follows. Compressed
    /// data grows its buffer as it arrives, so a header that lies about the size costs no more
    /// memory than the data actually present.
    /// </summary>
    private static byte[] ReadValues(Stream stream, string path, int count, int[] shape, bool compressed)
    {
        byte[] values = new byte[compressed ? Math.Min(count, ReadChunk) : count];
        int filled = 0;
        while (filled < count)
        {
            if (filled == values.Length)
            {
                Array.Resize(ref values, (int)Math.Min(count, 2L * values.Length));
            }

            int read = stream.Read(values, filled, values.Length - filled);
            if (read == 0)
            {
                throw Truncated(path, filled, count, shape);
            }

            filled += read;
        }

        if (stream.ReadByte() >= 0)
        {
            throw new DataFormatException(path, null, null, null,
                $"The file goes on after the {count} values its header announces ({string.Join(" × ", shape)}).");
        }

        return values;
    }

    private static DataFormatException Truncated(string path, long available, long announced, int[] shape) =>
        new(path, null, null, null,
            $"The file is truncated: it holds {available} of the {announced} values its header announces ({string.Join(" × ", shape)}).");
}
