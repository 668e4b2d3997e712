using System;
using System.Buffers.Binary;
using System.Text;

namespace StaticNet;

/// <summary>
/// Reads protobuf's wire format from memory, field by field, checking every length against the bytes left,
/// so a damaged or hostile message ends in <see cref="FormatException"/>, never in a read past its end or an
/// allocation it sizes. Messages are read as slices of the same bytes, without copying.
/// </summary>
internal ref struct ProtoReader
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _bytes;
    private int _position;

    public ProtoReader(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>Whether bytes are left, for packed repeated fields, which are values without tags.</summary>
    public readonly bool HasMore => _position < _bytes.Length;

    /// <summary>The field number of the next field, and its wire type; false at the end of the message.</summary>
    public bool Next(out int field, out int wireType)
    {
        if (_position == _bytes.Length)
        {
            field = wireType = 0;
            return false;
        }

        ulong tag = ReadVarint();
        field = (int)Math.Min(tag >> 3, int.MaxValue);
        wireType = (int)(tag & 7);
        if (field == 0)
        {
            throw new FormatException("a field number is 0");
        }

        return true;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_position == _bytes.Length)
            {
                throw new FormatException("a number runs past the end of its message");
            }

            byte b = _bytes[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new FormatException("a number is longer than ten bytes");
    }

    public long ReadInt64() => (long)ReadVarint();

    public ReadOnlySpan<byte> ReadBytes()
    {
        ulong length = ReadVarint();
        if (length > (ulong)(_bytes.Length - _position))
        {
            throw new FormatException($"a field of {length} bytes runs past the end of its message, which has {_bytes.Length - _position} left");
        }

        ReadOnlySpan<byte> bytes = _bytes.Slice(_position, (int)length);
        _position += (int)length;
        return bytes;
    }

    public string ReadString()
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(ReadBytes());
        }
        catch (DecoderFallbackException)
        {
            throw new FormatException("a string is not valid UTF-8");
        }
    }

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>Skips a field this reader does not need.</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint:
                ReadVarint();
                break;
            case Fixed64:
                Take(8);
                break;
            case LengthDelimited:
                ReadBytes();
                break;
            case Fixed32:
                Take(4);
                break;
            default:
                throw new FormatException($"wire type {wireType} is not one an ONNX model uses");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (_bytes.Length - _position < count)
        {
            throw new FormatException("a value runs past the end of its message");
        }

        ReadOnlySpan<byte> bytes = _bytes.Slice(_position, count);
        _position += count;
        return bytes;
    }
}
