using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace StaticNet.Training;

/// <summary>Finds NaN and infinite values in float buffers, a vector at a time and without allocating.</summary>
internal static class NonFinite
{
    // NaN and both infinities, and only they, have every exponent bit set.
    private const int ExponentBits = 0x7F800000;

    /// <summary>Returns the index of the first NaN or infinite value, or -1 when every value is finite.</summary>
    public static int IndexOf(ReadOnlySpan<float> values)
    {
        ref float start = ref MemoryMarshal.GetReference(values);
        var exponent = new Vector<int>(ExponentBits);
        int i = 0;
        for (; i + Vector<float>.Count <= values.Length; i += Vector<float>.Count)
        {
            if (Vector.EqualsAny(Vector.AsVectorInt32(Vector.LoadUnsafe(ref start, (nuint)i)) & exponent, exponent))
            {
                break;
            }
        }

        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Throws when a value is NaN or infinite, naming its row and column.</summary>
    /// <param name="values">Row-major values, <paramref name="valuesPerRow"/> per row.</param>
    /// <param name="valuesPerRow">The width of a row.</param>
    /// <param name="parameterName">The name of the argument the values came in, which the message calls them by.</param>
    /// <exception cref="ArgumentException">A value is NaN or infinite.</exception>
    public static void ThrowIfAny(ReadOnlySpan<float> values, int valuesPerRow, string parameterName)
    {
        int index = IndexOf(values);
        if (index >= 0)
        {
            throw new ArgumentException(
                $"Row {index / valuesPerRow}, column {index % valuesPerRow} of the {parameterName} is {values[index]}; " +
                "training needs finite values: fill in or drop missing values first.",
                parameterName);
        }
    }
}
