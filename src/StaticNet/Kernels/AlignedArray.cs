using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StaticNet.Kernels;

/// <summary>
/// Floats whose first element lies on a 64-byte boundary. A vector load that straddles two cache
/// lines costs a second access, and an array of the ordinary heap starts wherever the allocator put
/// it, so a network's speed would depend on where its parameters happened to land. The array lives
/// on the pinned object heap, where the garbage collector never moves it, so the boundary found when
/// it is made holds for its life.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct AlignedArray
{
    private const int BoundaryBytes = 64;

    private readonly float[] _array;
    private readonly int _start;

    /// <summary>Allocates <paramref name="length"/> zeroed floats starting on a 64-byte boundary.</summary>
    /// <param name="length">The number of floats.</param>
    public unsafe AlignedArray(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _array = GC.AllocateArray<float>(Padded(length), pinned: true);
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
        _start = (int)((BoundaryBytes - (address % BoundaryBytes)) % BoundaryBytes / sizeof(float));
        Length = length;
    }

    /// <summary>The number of floats.</summary>
    public int Length { get; }

    /// <summary>All the floats.</summary>
    public Span<float> Span => new(_array, _start, Length);

    /// <summary>The first float, on the boundary: where kernels start their unchecked addressing.</summary>
    public ref float Start => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_array), _start);

    /// <summary>
    /// The first <paramref name="length"/> floats of <paramref name="space"/> that start on a 64-byte
    /// boundary. <paramref name="space"/> must be memory that does not move, such as the stack, and
    /// hold <see cref="Padded"/>(<paramref name="length"/>) floats.
    /// </summary>
    /// <param name="space">Fixed memory with room to spare.</param>
    /// <param name="length">The number of floats wanted.</param>
    public static unsafe Span<float> Within(Span<float> space, int length)
    {
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(space));
        int skip = (int)((BoundaryBytes - (address % BoundaryBytes)) % BoundaryBytes / sizeof(float));
        return space.Slice(skip, length);
    }

    /// <summary>The floats to set aside so that <see cref="Within"/> finds <paramref name="length"/> on a boundary.</summary>
    /// <param name="length">The number of floats wanted.</param>
    public static int Padded(int length) => length + (BoundaryBytes / sizeof(float)) - 1;

    /// <summary>The floats from <paramref name="start"/> on, <paramref name="length"/> of them.</summary>
    /// <param name="start">The first float's index.</param>
    /// <param name="length">The number of floats.</param>
    public Span<float> Slice(int start, int length) => Span.Slice(start, length);
}
