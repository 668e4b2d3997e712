using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace StaticNet;

/// <summary>
/// Protobuf's wire format, the few field kinds an ONNX model needs: varints, 32-bit floats and
/// length-delimited strings, bytes and messages. Each message is built in memory and copied into its
/// parent, which suits models of at most some hundred megabytes.
/// </summary>
internal sealed class ProtoWriter
{
    private const int Varint = 0;
    private const int LengthDelimited = 2;
    private const int Fixed32 = 5;

    private readonly MemoryStream _stream = new();

    public ProtoWriter Int(int field, long value)
    {
        Tag(field, Varint);
        WriteVarint((ulong)value);
        return this;
    }

    public ProtoWriter Float(int field, float value)
    {
        Tag(field, Fixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _stream.Write(bytes);
        return this;
    }

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        _stream.Write(value);
        return this;
    }

    public ProtoWriter Message(int field, ProtoWriter message) =>
        Bytes(field, message._stream.GetBuffer().AsSpan(0, (int)message._stream.Length));

    public void CopyTo(Stream destination) => destination.Write(_stream.GetBuffer(), 0, (int)_stream.Length);

    private void Tag(int field, int wireType) => WriteVarint(((ulong)field << 3) | (uint)wireType);

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _stream.WriteByte((byte)value);
    }
}
