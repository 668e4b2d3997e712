using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace StaticNet;

/// <summary>
/// Decompresses a gzip file (RFC 1952), member after member, and checks what
/// <see cref="GZipStream"/> lets pass: .NET's stream ends quietly when a file is cut inside its
/// last member, so a member whose trailer is missing, and any damage its CRC would have shown,
/// loads as if it were whole. Here every member's header is parsed (FEXTRA, FNAME, FCOMMENT and
/// FHCRC, whose CRC is checked), its deflate data go through <see cref="DeflateStream"/>, and its
/// 8-byte trailer must hold the CRC-32 and the size, modulo 2^32, of what was decompressed. Bytes
/// after the last member are an error too.
/// </summary>
/// <remarks>
/// <see cref="DeflateStream"/> reads ahead and does not say how much of its last read it used,
/// but it asks for more only when it has used everything it was given. So the compressed data end
/// inside its last read, and the trailer is the 8 bytes there that hold the CRC and size just
/// computed (a chance match elsewhere has odds of 2^-64 per position). The last 8 bytes of the
/// file, which can only be the last member's trailer, are never handed to it: if it asks for
/// them, the last member is cut short.
/// </remarks>
/// <exception cref="InvalidDataException">Raised by <see cref="Read(Span{byte})"/>: the data are not whole, valid gzip; the message says what and at which byte.</exception>
internal sealed class GzipReader : ForwardReadStream
{
    private const int TrailerLength = 8;

    private const byte Id1 = 0x1F;
    private const byte Id2 = 0x8B;
    private const byte Deflate = 8;
    private const byte HeaderCrcFlag = 0x02;
    private const byte ExtraFlag = 0x04;
    private const byte NameFlag = 0x08;
    private const byte CommentFlag = 0x10;
    private const byte ReservedFlags = 0xE0;

    private readonly Stream _file;
    private readonly long _fileLength;
    private readonly CompressedInput _input;

    /// <summary>The bytes where a member's trailer can be: from the second byte of the last read to 8 bytes past its end.</summary>
    private readonly byte[] _tail = new byte[CompressedInput.MaxRead + TrailerLength - 1];

    private DeflateStream? _deflate;
    private int _member;
    private long _memberStart;
    private uint _crc;
    private long _size;
    private bool _ended;

    /// <summary>Reads the gzip file <paramref name="file"/>, which must be seekable and positioned at its first member.</summary>
    public GzipReader(Stream file)
    {
        _file = file;
        _fileLength = file.Length;
        _input = new CompressedInput(file, _fileLength - TrailerLength);
        BeginMember();
    }

    public override int Read(Span<byte> buffer)
    {
        while (!_ended && !buffer.IsEmpty)
        {
            int read;
            try
            {
                read = _deflate!.Read(buffer);
            }
            catch (InvalidDataException e)
            {
                throw Corrupt($"the deflate data are invalid: {e.Message}", e);
            }

            if (read > 0)
            {
                _crc = Crc32.Append(_crc, buffer[..read]);
                _size += read;
                return read;
            }

            EndMember();
        }

        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _deflate?.Dispose();
        }

        base.Dispose(disposing);
    }

    private void BeginMember()
    {
        _member++;
        _memberStart = _file.Position;
        try
        {
            ReadHeader(new HeaderReader(_file));
        }
        catch (EndOfStreamException e)
        {
            throw Corrupt("the file ends inside the member's header.", e);
        }

        _crc = 0;
        _size = 0;
        _input.Restart();
        _deflate = new DeflateStream(_input, CompressionMode.Decompress, leaveOpen: true);
    }

    private void ReadHeader(HeaderReader header)
    {
        if (header.Next() != Id1 || header.Next() != Id2)
        {
            throw new InvalidDataException(_member == 1
                ? "The file does not start with a gzip member (bytes 1F 8B)."
                : $"The bytes from {_memberStart} on, after gzip member {_member - 1}, are not another member (bytes 1F 8B): the file has trailing bytes.");
        }

        byte method = header.Next();
        byte flags = header.Next();
        if (method != Deflate)
        {
            throw Corrupt($"the compression method is {method}; gzip defines only deflate (8).");
        }

        if ((flags & ReservedFlags) != 0)
        {
            throw Corrupt($"the header sets reserved flags (0x{flags:X2}).");
        }

        header.Skip(6);
        if ((flags & ExtraFlag) != 0)
        {
            header.Skip(header.Next() | (header.Next() << 8));
        }

        if ((flags & NameFlag) != 0)
        {
            header.SkipText();
        }

        if ((flags & CommentFlag) != 0)
        {
            header.SkipText();
        }

        if ((flags & HeaderCrcFlag) != 0)
        {
            ushort expected = (ushort)header.Crc;
            ushort stored = (ushort)(header.Next() | (header.Next() << 8));
            if (stored != expected)
            {
                throw Corrupt($"the header's CRC-16 is 0x{stored:X4} but its bytes give 0x{expected:X4}.");
            }
        }
    }

    private void EndMember()
    {
        _deflate!.Dispose();
        _deflate = null;
        if (_input.AskedPastLimit)
        {
            throw Corrupt("the file ends inside the member: its compressed data or its 8-byte trailer (CRC-32 and size) is cut off.");
        }

        // The compressed data end somewhere in the last read, after its first byte.
        long first = _input.LastReadStart + 1;
        _file.Position = first;
        int wanted = (int)Math.Min(_tail.Length, _fileLength - first);
        int available = _file.ReadAtLeast(_tail.AsSpan(0, wanted), wanted, throwOnEndOfStream: false);
        Span<byte> trailer = stackalloc byte[TrailerLength];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], (uint)_size);
        int found = Find(trailer, available, 0, TrailerLength);
        if (found < 0)
        {
            throw Corrupt(WrongTrailer(trailer, available));
        }

        _file.Position = first + found + TrailerLength;
        if (_file.Position == _fileLength)
        {
            _ended = true;
        }
        else
        {
            BeginMember();
        }
    }

    /// <summary>
    /// The first offset in <see cref="_tail"/>, among those the last read covers, at which bytes
    /// <paramref name="from"/> to <paramref name="to"/> of <paramref name="trailer"/> are found, or -1.
    /// </summary>
    private int Find(ReadOnlySpan<byte> trailer, int available, int from, int to)
    {
        ReadOnlySpan<byte> tail = _tail.AsSpan(0, available);
        for (int offset = 0; offset < _input.LastReadLength && offset + TrailerLength <= available; offset++)
        {
            if (tail.Slice(offset + from, to - from).SequenceEqual(trailer[from..to]))
            {
                return offset;
            }
        }

        return -1;
    }

    /// <summary>Says which half of the trailer disagrees when the other half is found, else that no trailer is there.</summary>
    private string WrongTrailer(ReadOnlySpan<byte> trailer, int available)
    {
        int crcOnly = Find(trailer, available, 0, 4);
        if (crcOnly >= 0)
        {
            uint recorded = BinaryPrimitives.ReadUInt32LittleEndian(_tail.AsSpan(crcOnly + 4));
            return $"its trailer records a size of {recorded} bytes but its data decompress to {(uint)_size}.";
        }

        int sizeOnly = Find(trailer, available, 4, TrailerLength);
        if (sizeOnly >= 0)
        {
            uint recorded = BinaryPrimitives.ReadUInt32LittleEndian(_tail.AsSpan(sizeOnly));
            return $"its trailer records CRC-32 0x{recorded:X8} but its {_size} decompressed bytes give 0x{_crc:X8}: the data are damaged.";
        }

        return $"no 8-byte trailer after its compressed data records the CRC-32 (0x{_crc:X8}) and size ({_size} bytes) of its decompressed data: it is damaged or cut short.";
    }

    private InvalidDataException Corrupt(string problem, Exception? inner = null) =>
        new($"Gzip member {_member}, from byte {_memberStart}: {problem}", inner);

    /// <summary>Reads a member's header byte by byte, keeping the CRC that FHCRC checks.</summary>
    private ref struct HeaderReader(Stream file)
    {
        public uint Crc { get; private set; }

        /// <exception cref="EndOfStreamException">The file ends.</exception>
        public byte Next()
        {
            int value = file.ReadByte();
            if (value < 0)
            {
                throw new EndOfStreamException();
            }

            byte b = (byte)value;
            Crc = Crc32.Append(Crc, new ReadOnlySpan<byte>(in b));
            return b;
        }

        public void Skip(int count)
        {
            for (int i = 0; i < count; i++)
            {
                Next();
            }
        }

        /// <summary>Skips a zero-terminated field (FNAME, FCOMMENT).</summary>
        public void SkipText()
        {
            while (Next() != 0)
            {
            }
        }
    }

    /// <summary>
    /// The file as <see cref="DeflateStream"/> sees it: reads of at most <see cref="MaxRead"/>
    /// bytes that stop at a limit, each remembered, so that the end of the compressed data can be
    /// found in the last one.
    /// </summary>
    private sealed class CompressedInput(Stream file, long limit) : ForwardReadStream
    {
        /// <summary>DeflateStream's own buffer size; a cap, so that the search for the trailer is bounded.</summary>
        public const int MaxRead = 8192;

        public long LastReadStart { get; private set; }

        public int LastReadLength { get; private set; }

        /// <summary>Whether the decompressor asked for bytes beyond the limit: the data it was given did not complete the member.</summary>
        public bool AskedPastLimit { get; private set; }

        /// <summary>Starts a member at the file's position.</summary>
        public void Restart()
        {
            LastReadStart = file.Position;
            LastReadLength = 0;
            AskedPastLimit = false;
        }

        public override int Read(Span<byte> buffer)
        {
            long start = file.Position;
            int count = (int)Math.Min(Math.Min(buffer.Length, MaxRead), Math.Max(0, limit - start));
            if (count == 0)
            {
                AskedPastLimit = !buffer.IsEmpty;
                return 0;
            }

            int read = file.Read(buffer[..count]);
            LastReadStart = start;
            LastReadLength = read;
            return read;
        }
    }
}
