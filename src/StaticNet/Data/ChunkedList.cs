using System;
using System.Collections.Generic;

namespace StaticNet;

/// <summary>
/// A list that grows by adding fixed-size chunks rather than by copying into a larger array, so a column of
/// a large file is held once, with at most one chunk unused, and is never copied while it is read.
/// </summary>
internal sealed class ChunkedList<T>
{
    // 16,384 values, 64 KB at 4 bytes: under the 85,000 bytes from which arrays go to the large object heap,
    // whose allocations trigger full collections (measured: 32K-value chunks read the 100 MB benchmark file slower).
    private const int ChunkBits = 14;
    private const int ChunkSize = 1 << ChunkBits;
    private readonly List<T[]> _chunks = [];
    private T[] _last = [];
    private int _lastCount = ChunkSize;

    public int Count { get; private set; }

    public T this[int index] => _chunks[index >> ChunkBits][index & (ChunkSize - 1)];

    public void Add(T value)
    {
        if (_lastCount == ChunkSize)
        {
            _last = new T[ChunkSize];
            _chunks.Add(_last);
            _lastCount = 0;
        }

        _last[_lastCount++] = value;
        Count++;
    }

    /// <summary>Copies every value to <paramref name="destination"/>, value i at <c>offset + i · stride</c>, chunk by chunk.</summary>
    public void CopyTo(Span<T> destination, int offset, int stride)
    {
        int at = offset;
        for (int chunk = 0; chunk < _chunks.Count; chunk++)
        {
            ReadOnlySpan<T> values = _chunks[chunk].AsSpan(0, chunk == _chunks.Count - 1 ? _lastCount : ChunkSize);
            for (int i = 0; i < values.Length; i++, at += stride)
            {
                destination[at] = values[i];
            }
        }
    }

    public void Clear()
    {
        _chunks.Clear();
        _last = [];
        _lastCount = ChunkSize;
        Count = 0;
    }
}
