using System.Buffers.Binary;
using System.Text;

namespace StaticNet.Tests;

/// <summary>Assembles safetensors files byte by byte, for tests that must not trust the writer under test.</summary>
internal static class SafetensorsFiles
{
    /// <summary>SeedNet's (2-5-1) four tensors as PyTorch's writer orders them: by name, data in the same order.</summary>
    public const string SeedNetTensors =
        "\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[5],\"data_offsets\":[0,20]}," +
        "\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[5,2],\"data_offsets\":[20,60]}," +
        "\"layers.1.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[60,64]}," +
        "\"layers.1.weight\":{\"dtype\":\"F32\",\"shape\":[1,5],\"data_offsets\":[64,84]}";

    public const int SeedNetDataBytes = 84;

    /// <summary>An 8-byte little-endian header length, the header padded with spaces to a multiple of 8 as PyTorch's writer does, then the data.</summary>
    public static byte[] Build(string header, byte[] data, ulong? declaredLength = null)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        int padded = (json.Length + 7) / 8 * 8;
        byte[] file = new byte[8 + padded + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, declaredLength ?? (ulong)padded);
        json.CopyTo(file, 8);
        file.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        data.CopyTo(file, 8 + padded);
        return file;
    }

    public static byte[] Floats(params float[] values)
    {
        byte[] bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        }

        return bytes;
    }

    /// <summary>A valid SeedNet file whose every value is its position in the data section over 100.</summary>
    public static byte[] SeedNet(string metadata = "") =>
        Build("{" + metadata + SeedNetTensors + "}", Floats(Enumerable.Range(0, SeedNetDataBytes / 4).Select(i => i / 100f).ToArray()));
}
