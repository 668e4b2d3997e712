using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StaticNet.Kernels;

/// <summary>
/// Lists the inputs of a layer that are not zero, so a single-sample product can skip the weight rows
/// of the others: after a ReLU about half of a layer's inputs are zero, and so are the background
/// pixels of an image, and each skipped input is a row of weights not streamed through the caches.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NonZero
{
    /// <summary>
    /// Writes the indices of the values that are not zero (NaN counts as not zero) in ascending order
    /// and returns how many there are.
    /// </summary>
    /// <param name="values">The values to scan.</param>
    /// <param name="indices">Receives the indices; at least as long as <paramref name="values"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="indices"/> is shorter than <paramref name="values"/>.</exception>
    public static int Indices(ReadOnlySpan<float> values, Span<int> indices)
    {
        if (indices.Length < values.Length)
        {
            throw new ArgumentException($"{indices.Length} index slots cannot hold the indices of {values.Length} values.", nameof(indices));
        }

        ref float v = ref MemoryMarshal.GetReference(values);
        ref int k = ref MemoryMarshal.GetReference(indices);
        int length = values.Length;
        int width = Vector<float>.Count;
        int count = 0;
        int i = 0;

        if (Avx512F.IsSupported)
        {
            // One compress instruction packs a vector's non-zero lanes' indices together.
            for (; i + Vector512<int>.Count <= length; i += Vector512<int>.Count)
            {
                Vector512<int> kept = ~Vector512.Equals(Vector512.LoadUnsafe(ref v, (nuint)i), Vector512<float>.Zero).AsInt32();
                Avx512F.Compress(Vector512<int>.Zero, kept, Vector512<int>.Indices + Vector512.Create(i)).StoreUnsafe(ref k, (nuint)count);
                count += BitOperations.PopCount(kept.ExtractMostSignificantBits());
            }
        }

        // Elsewhere whole vectors with no zero or only zeros, the common cases, cost one compare each.
        for (; i + width <= length; i += width)
        {
            Vector<float> chunk = Vector.LoadUnsafe(ref v, (nuint)i);
            if (!Vector.EqualsAny(chunk, Vector<float>.Zero))
            {
                (Vector<int>.Indices + new Vector<int>(i)).StoreUnsafe(ref k, (nuint)count);
                count += width;
            }
            else if (!Vector.EqualsAll(chunk, Vector<float>.Zero))
            {
                count = Append(ref v, ref k, i, i + width, count);
            }
        }

        return Append(ref v, ref k, i, length, count);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Append(ref float v, ref int k, int from, int to, int count)
    {
        for (int j = from; j < to; j++)
        {
            // Written unconditionally and kept only when not zero: no branch to mispredict.
            Unsafe.Add(ref k, count) = j;
            count += Unsafe.Add(ref v, j) != 0f ? 1 : 0;
        }

        return count;
    }
}
