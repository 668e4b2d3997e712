using System;
using System.Buffers;
using System.Buffers.Binary;
using System.IO;
using System.Runtime.InteropServices;

namespace StaticNet;

/// <summary>
/// Reads a tensor's little-endian values of any dtype StaticNet takes into float32: F32 as they are, F16 and
/// BF16 exactly (every half and bfloat16 value is a float32), F64 rounded to the nearest float32, a value
/// beyond float32's range becoming infinite, so the caller's finiteness check names it.
/// </summary>
internal static class TensorValues
{
    private const int ChunkValues = 4096;

    public static void Read(Stream file, string dtype, Span<float> values)
    {
        if (dtype == "F32")
        {
            file.ReadExactly(MemoryMarshal.AsBytes(values));
            if (!BitConverter.IsLittleEndian)
            {
                Span<int> words = MemoryMarshal.Cast<float, int>(values);
                BinaryPrimitives.ReverseEndianness(words, words);
            }

            return;
        }

        int size = SafetensorsHeader.ElementSize(dtype);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkValues * size);
        try
        {
            for (int start = 0; start < values.Length; start += ChunkValues)
            {
                int count = Math.Min(ChunkValues, values.Length - start);
                Span<byte> bytes = buffer.AsSpan(0, count * size);
                file.ReadExactly(bytes);
                Convert(dtype, bytes, values.Slice(start, count));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Convert(string dtype, ReadOnlySpan<byte> bytes, Span<float> values)
    {
        switch (dtype)
        {
            case "F16":
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]));
                }

                break;
            case "BF16":
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]) << 16);
                }

                break;
            default:
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes[(8 * i)..]);
                }

                break;
        }
    }
}
