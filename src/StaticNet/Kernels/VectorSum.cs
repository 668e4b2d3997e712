using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace StaticNet.Kernels;

/// <summary>Element-wise sums and products of the training passes: combining the gradients of parallel parts, scaling them, masking them.</summary>
internal static class VectorSum
{
    /// <summary>Adds <paramref name="source"/> to <paramref name="destination"/>, element by element.</summary>
    public static void AddTo(ReadOnlySpan<float> source, Span<float> destination)
    {
        if (source.Length > destination.Length)
        {
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        }

        ref float s = ref MemoryMarshal.GetReference(source);
        ref float d = ref MemoryMarshal.GetReference(destination);
        nuint length = (nuint)source.Length;
        nuint i = 0;
        for (; i + (nuint)Vector<float>.Count <= length; i += (nuint)Vector<float>.Count)
        {
            (Vector.LoadUnsafe(ref d, i) + Vector.LoadUnsafe(ref s, i)).StoreUnsafe(ref d, i);
        }

        for (; i < length; i++)
        {
            destination[(int)i] += source[(int)i];
        }
    }

    /// <summary>Multiplies every element of <paramref name="values"/> by <paramref name="factor"/>.</summary>
    public static void Scale(Span<float> values, float factor)
    {
        ref float v = ref MemoryMarshal.GetReference(values);
        nuint length = (nuint)values.Length;
        nuint i = 0;
        var factors = new Vector<float>(factor);
        for (; i + (nuint)Vector<float>.Count <= length; i += (nuint)Vector<float>.Count)
        {
            (Vector.LoadUnsafe(ref v, i) * factors).StoreUnsafe(ref v, i);
        }

        for (; i < length; i++)
        {
            values[(int)i] *= factor;
        }
    }

    /// <summary>Multiplies every element of <paramref name="values"/> by the element of <paramref name="factors"/> at the same index.</summary>
    public static void Multiply(Span<float> values, ReadOnlySpan<float> factors)
    {
        if (factors.Length < values.Length)
        {
            throw new ArgumentException("There are fewer factors than values.", nameof(factors));
        }

        ref float v = ref MemoryMarshal.GetReference(values);
        ref float f = ref MemoryMarshal.GetReference(factors);
        nuint length = (nuint)values.Length;
        nuint i = 0;
        for (; i + (nuint)Vector<float>.Count <= length; i += (nuint)Vector<float>.Count)
        {
            (Vector.LoadUnsafe(ref v, i) * Vector.LoadUnsafe(ref f, i)).StoreUnsafe(ref v, i);
        }

        for (; i < length; i++)
        {
            values[(int)i] *= factors[(int)i];
        }
    }
}
