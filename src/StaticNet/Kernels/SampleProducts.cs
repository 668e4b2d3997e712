using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace StaticNet.Kernels;

/// <summary>
/// The single-sample products of the generated layers (a GEMV rather than the batched GEMM): a panel's units
/// stay in registers over the inputs, only the inputs listed may be read, and the activation is applied in
/// registers before the store.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SampleProducts
{
    /// <summary>
    /// output[o] = f(bias[o] + Σ_t x[k_t] · m[k_t · mStride + o]) for every o below units, where k_t is
    /// indices[t] when gather and t otherwise: the single-sample product, over only the inputs listed, with
    /// the activation f applied in registers before the store. Four vectors of units at a time with two sets
    /// of accumulators, as <see cref="Products.MultiplyAccumulate"/>, which it does not extend: one kernel serving both
    /// grew past what the JIT inlines into a layer's small single-sample method, and the calls that were left
    /// took TINY's sample from 72 to 150–270 ns; fewer units than a vector are computed in one
    /// vector whose loads run past the block (inside the parameter array, whose padding is a vector at
    /// least) and whose extra lanes are not stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAccumulateOne(ref float x, ref int indices, nint count, bool gather, ref float m, nint mStride, nint units, ref float bias, ref float output, Activation activation)
    {
        if (Vector512.IsHardwareAccelerated && Vector<float>.Count == 8 && units >= 2 * Vector512<float>.Count)
        {
            MultiplyAccumulateOneWide(ref x, ref indices, count, gather, ref m, mStride, units, ref bias, ref output, activation);
            return;
        }

        nint width = Vector<float>.Count;
        if (units >= 4 * width)
        {
            for (nint o = 0; o < units; o += 4 * width)
            {
                o = Math.Min(o, units - (4 * width));
                Vector<float> acc0 = Vector.LoadUnsafe(ref bias, (nuint)o);
                Vector<float> acc1 = Vector.LoadUnsafe(ref bias, (nuint)(o + width));
                Vector<float> acc2 = Vector.LoadUnsafe(ref bias, (nuint)(o + (2 * width)));
                Vector<float> acc3 = Vector.LoadUnsafe(ref bias, (nuint)(o + (3 * width)));
                Vector<float> odd0 = Vector<float>.Zero, odd1 = Vector<float>.Zero, odd2 = Vector<float>.Zero, odd3 = Vector<float>.Zero;
                ref float column = ref Unsafe.Add(ref m, o);
                nint t = 0;
                for (; t + 2 <= count; t += 2)
                {
                    nint k = gather ? Unsafe.Add(ref indices, t) : t;
                    Vector<float> sk = new(Unsafe.Add(ref x, k));
                    ref float row = ref Unsafe.Add(ref column, k * mStride);
                    acc0 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row), acc0);
                    acc1 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row, (nuint)width), acc1);
                    acc2 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row, (nuint)(2 * width)), acc2);
                    acc3 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row, (nuint)(3 * width)), acc3);
                    k = gather ? Unsafe.Add(ref indices, t + 1) : t + 1;
                    sk = new(Unsafe.Add(ref x, k));
                    row = ref Unsafe.Add(ref column, k * mStride);
                    odd0 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row), odd0);
                    odd1 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row, (nuint)width), odd1);
                    odd2 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row, (nuint)(2 * width)), odd2);
                    odd3 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row, (nuint)(3 * width)), odd3);
                }

                if (t < count)
                {
                    nint k = gather ? Unsafe.Add(ref indices, t) : t;
                    Vector<float> sk = new(Unsafe.Add(ref x, k));
                    ref float row = ref Unsafe.Add(ref column, k * mStride);
                    acc0 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row), acc0);
                    acc1 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row, (nuint)width), acc1);
                    acc2 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row, (nuint)(2 * width)), acc2);
                    acc3 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row, (nuint)(3 * width)), acc3);
                }

                Vector.StoreUnsafe(ActivationKernels.Apply(activation, acc0 + odd0), ref output, (nuint)o);
                Vector.StoreUnsafe(ActivationKernels.Apply(activation, acc1 + odd1), ref output, (nuint)(o + width));
                Vector.StoreUnsafe(ActivationKernels.Apply(activation, acc2 + odd2), ref output, (nuint)(o + (2 * width)));
                Vector.StoreUnsafe(ActivationKernels.Apply(activation, acc3 + odd3), ref output, (nuint)(o + (3 * width)));
            }

            return;
        }

        for (nint o = 0; o < units; o += width)
        {
            o = units >= width ? Math.Min(o, units - width) : 0;
            Vector<float> acc = Vector.LoadUnsafe(ref bias, (nuint)o);
            ref float column = ref Unsafe.Add(ref m, o);

            // Four accumulators over consecutive terms: one vector of units is too few to hide the
            // multiply-add's latency otherwise.
            Vector<float> acc1 = Vector<float>.Zero, acc2 = Vector<float>.Zero, acc3 = Vector<float>.Zero;
            nint t = 0;
            for (; t + 4 <= count; t += 4)
            {
                nint k0 = gather ? Unsafe.Add(ref indices, t) : t;
                nint k1 = gather ? Unsafe.Add(ref indices, t + 1) : t + 1;
                nint k2 = gather ? Unsafe.Add(ref indices, t + 2) : t + 2;
                nint k3 = gather ? Unsafe.Add(ref indices, t + 3) : t + 3;
                acc = Vector.MultiplyAddEstimate(new Vector<float>(Unsafe.Add(ref x, k0)), Vector.LoadUnsafe(ref column, (nuint)(k0 * mStride)), acc);
                acc1 = Vector.MultiplyAddEstimate(new Vector<float>(Unsafe.Add(ref x, k1)), Vector.LoadUnsafe(ref column, (nuint)(k1 * mStride)), acc1);
                acc2 = Vector.MultiplyAddEstimate(new Vector<float>(Unsafe.Add(ref x, k2)), Vector.LoadUnsafe(ref column, (nuint)(k2 * mStride)), acc2);
                acc3 = Vector.MultiplyAddEstimate(new Vector<float>(Unsafe.Add(ref x, k3)), Vector.LoadUnsafe(ref column, (nuint)(k3 * mStride)), acc3);
            }

            for (; t < count; t++)
            {
                nint k = gather ? Unsafe.Add(ref indices, t) : t;
                acc = Vector.MultiplyAddEstimate(new Vector<float>(Unsafe.Add(ref x, k)), Vector.LoadUnsafe(ref column, (nuint)(k * mStride)), acc);
            }

            Vector<float> result = ActivationKernels.Apply(activation, (acc + acc1) + (acc2 + acc3));
            if (units >= width)
            {
                Vector.StoreUnsafe(result, ref output, (nuint)o);
            }
            else
            {
                for (nint q = 0; q < units; q++)
                {
                    Unsafe.Add(ref output, q) = result[(int)q];
                }
            }
        }
    }

    /// <summary>
    /// <see cref="MultiplyAccumulateOne"/> in 512-bit vectors, two per block of units, with four sets of accumulators
    /// over consecutive terms to cover the multiply-add's latency.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAccumulateOneWide(ref float x, ref int indices, nint count, bool gather, ref float m, nint mStride, nint units, ref float bias, ref float output, Activation activation)
    {
        nint width = Vector512<float>.Count;
        for (nint o = 0; o < units; o += 2 * width)
        {
            o = Math.Min(o, units - (2 * width));
            Vector512<float> a0 = Vector512.LoadUnsafe(ref bias, (nuint)o), a1 = Vector512.LoadUnsafe(ref bias, (nuint)(o + width));
            Vector512<float> b0 = Vector512<float>.Zero, b1 = Vector512<float>.Zero, c0 = Vector512<float>.Zero, c1 = Vector512<float>.Zero, d0 = Vector512<float>.Zero, d1 = Vector512<float>.Zero;
            ref float column = ref Unsafe.Add(ref m, o);
            nint t = 0;
            for (; t + 4 <= count; t += 4)
            {
                nint k = gather ? Unsafe.Add(ref indices, t) : t;
                Vector512<float> sk = Vector512.Create(Unsafe.Add(ref x, k));
                ref float row = ref Unsafe.Add(ref column, k * mStride);
                a0 = Vector512.MultiplyAddEstimate(sk, Vector512.LoadUnsafe(ref row), a0);
                a1 = Vector512.MultiplyAddEstimate(sk, Vector512.LoadUnsafe(ref row, (nuint)width), a1);
                k = gather ? Unsafe.Add(ref indices, t + 1) : t + 1;
                sk = Vector512.Create(Unsafe.Add(ref x, k));
                row = ref Unsafe.Add(ref column, k * mStride);
                b0 = Vector512.MultiplyAddEstimate(sk, Vector512.LoadUnsafe(ref row), b0);
                b1 = Vector512.MultiplyAddEstimate(sk, Vector512.LoadUnsafe(ref row, (nuint)width), b1);
                k = gather ? Unsafe.Add(ref indices, t + 2) : t + 2;
                sk = Vector512.Create(Unsafe.Add(ref x, k));
                row = ref Unsafe.Add(ref column, k * mStride);
                c0 = Vector512.MultiplyAddEstimate(sk, Vector512.LoadUnsafe(ref row), c0);
                c1 = Vector512.MultiplyAddEstimate(sk, Vector512.LoadUnsafe(ref row, (nuint)width), c1);
                k = gather ? Unsafe.Add(ref indices, t + 3) : t + 3;
                sk = Vector512.Create(Unsafe.Add(ref x, k));
                row = ref Unsafe.Add(ref column, k * mStride);
                d0 = Vector512.MultiplyAddEstimate(sk, Vector512.LoadUnsafe(ref row), d0);
                d1 = Vector512.MultiplyAddEstimate(sk, Vector512.LoadUnsafe(ref row, (nuint)width), d1);
            }

            for (; t < count; t++)
            {
                nint k = gather ? Unsafe.Add(ref indices, t) : t;
                Vector512<float> sk = Vector512.Create(Unsafe.Add(ref x, k));
                ref float row = ref Unsafe.Add(ref column, k * mStride);
                a0 = Vector512.MultiplyAddEstimate(sk, Vector512.LoadUnsafe(ref row), a0);
                a1 = Vector512.MultiplyAddEstimate(sk, Vector512.LoadUnsafe(ref row, (nuint)width), a1);
            }

            Vector512.StoreUnsafe(ActivationKernels.Apply(activation, (a0 + b0) + (c0 + d0)), ref output, (nuint)o);
            Vector512.StoreUnsafe(ActivationKernels.Apply(activation, (a1 + b1) + (c1 + d1)), ref output, (nuint)(o + width));
        }
    }
}
