using System;
using System.Buffers.Binary;

namespace StaticNet;

/// <summary>
/// The CRC-32 of gzip (RFC 1952), zlib and PNG: polynomial 0xEDB88320 reflected, initial and final
/// value all ones. Computed eight bytes at a time ("slice-by-8") from eight tables of 256 entries,
/// because the BCL's own, System.IO.Hashing, is a separate package.
/// </summary>
internal static class Crc32
{
    private const uint Polynomial = 0xEDB88320;

    private static readonly uint[] Tables = CreateTables();

    /// <summary>The CRC of <paramref name="data"/> appended to data whose CRC is <paramref name="crc"/> (0 for none).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<uint> t = Tables;
        uint state = ~crc;
        while (data.Length >= 8)
        {
            uint low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ state;
            uint high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            state = t[(7 * 256) + (int)(low & 0xFF)] ^ t[(6 * 256) + (int)((low >> 8) & 0xFF)]
                  ^ t[(5 * 256) + (int)((low >> 16) & 0xFF)] ^ t[(4 * 256) + (int)(low >> 24)]
                  ^ t[(3 * 256) + (int)(high & 0xFF)] ^ t[(2 * 256) + (int)((high >> 8) & 0xFF)]
                  ^ t[256 + (int)((high >> 16) & 0xFF)] ^ t[(int)(high >> 24)];
            data = data[8..];
        }

        foreach (byte value in data)
        {
            state = t[(int)((state ^ value) & 0xFF)] ^ (state >> 8);
        }

        return ~state;
    }

    /// <summary>Table 0 is the CRC of each byte; table k is table 0 advanced by k zero bytes.</summary>
    private static uint[] CreateTables()
    {
        uint[] tables = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            }

            tables[i] = c;
        }

        for (int k = 1; k < 8; k++)
        {
            for (int i = 0; i < 256; i++)
            {
                uint previous = tables[((k - 1) * 256) + i];
                tables[(k * 256) + i] = (previous >> 8) ^ tables[previous & 0xFF];
            }
        }

        return tables;
    }
}
