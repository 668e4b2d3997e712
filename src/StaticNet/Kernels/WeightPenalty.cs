using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace StaticNet.Kernels;

/// <summary>Keras' L1 and L2 weight regularisers: the penalty of a run of weights and its gradient, in one pass.</summary>
internal static class WeightPenalty
{
    /// <summary>
    /// Returns <c>Σ l1·|w| + l2·w²</c> over <paramref name="weights"/> and, unless <paramref name="gradients"/> is
    /// empty, adds its gradient <c>l1·sign(w) + 2·l2·w</c> (sign(0) = 0, as TensorFlow's) to each weight's.
    /// </summary>
    /// <param name="weights">The weights.</param>
    /// <param name="gradients">Their gradients, as long; empty to compute the penalty alone.</param>
    /// <param name="l1">The L1 coefficient.</param>
    /// <param name="l2">The L2 coefficient.</param>
    public static double Apply(ReadOnlySpan<float> weights, Span<float> gradients, float l1, float l2)
    {
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        bool withGradients = !gradients.IsEmpty;
        int width = Vector<float>.Count;
        Vector<float> absolute = Vector<float>.Zero, squared = Vector<float>.Zero;
        Vector<float> l1s = new(l1), twiceL2 = new(2 * l2);
        int i = 0;
        for (; i <= weights.Length - width; i += width)
        {
            Vector<float> wk = Vector.LoadUnsafe(ref w, (nuint)i);
            absolute += Vector.Abs(wk);
            squared += wk * wk;
            if (withGradients)
            {
                // sign(w) as copysign(1, w) where w is not zero, and 0 where it is.
                Vector<float> sign = Vector.ConditionalSelect(Vector.Equals(wk, Vector<float>.Zero), Vector<float>.Zero, Vector.CopySign(Vector<float>.One, wk));
                Vector.StoreUnsafe(Vector.LoadUnsafe(ref g, (nuint)i) + (l1s * sign) + (twiceL2 * wk), ref g, (nuint)i);
            }
        }

        double sumAbsolute = Vector.Sum(absolute), sumSquared = Vector.Sum(squared);
        for (; i < weights.Length; i++)
        {
            float wk = weights[i];
            sumAbsolute += Math.Abs(wk);
            sumSquared += (double)wk * wk;
            if (withGradients)
            {
                gradients[i] += (l1 * (wk > 0 ? 1 : wk < 0 ? -1 : 0)) + (2 * l2 * wk);
            }
        }

        return (l1 * sumAbsolute) + (l2 * sumSquared);
    }
}
