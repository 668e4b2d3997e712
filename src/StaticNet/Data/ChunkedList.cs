using System.Collections.Generic;

namespace StaticNet;

/// <summary>
/// A list that grows by adding fixed-size chunks rather than by copying into a larger array, so a column of
/// a large file is held once, with at most one chunk unused, and is never copied while it is read.
/// </summary>
internal sealed class ChunkedList<T>
{
    private const int ChunkBits = 14;
    private const int ChunkSize = 1 << ChunkBits;
    private readonly List<T[]> _chunks = [];

    public int Count { get; private set; }

    public T this[int index] => _chunks[index >> ChunkBits][index & (ChunkSize - 1)];

    public void Add(T value)
    {
        if ((Count & (ChunkSize - 1)) == 0)
        {
            _chunks.Add(new T[ChunkSize]);
        }

        _chunks[^1][Count & (ChunkSize - 1)] = value;
        Count++;
    }

    public void Clear()
    {
        _chunks.Clear();
        Count = 0;
    }
}
