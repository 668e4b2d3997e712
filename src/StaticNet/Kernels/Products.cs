using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StaticNet.Kernels;

/// <summary>
/// The register-blocked products behind the batched passes of every generated layer: the forward pass
/// (X · W), the weight and bias gradients (Xᵀ · dZ) and the input gradients (dZ · Wᵀ). Generated code calls
/// them with the layer's sizes as constants and they are marked for inlining, but the JIT compiles these
/// large ones as methods of their own and calls them (seen with <c>DOTNET_JitDisasmSummary=1</c> on an AVX2
/// machine, as when they were private methods of each generated class): the sizes reach them as arguments.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Products
{
    /// <summary>
    /// output[o] = (hasStart ? start[o] : 0) + Σ_k s[k · sStride] · m[k · mStride + o] for every o below units.
    /// The one kernel behind the products of every layer: the forward pass (s: a sample's inputs, m: a weight
    /// panel, start: the biases), the weight and bias gradients (s: one input or unit across the batch,
    /// m: the other side's rows) and the input gradients (s: a row of dz, m: the weights as [units, inputs]).
    /// Units are held in registers four vectors at a time; a block that would run past the end is moved
    /// back to end exactly at units, recomputing a few columns rather than running a scalar tail.
    /// With rectify, sums below zero are stored as zero: inference's ReLU, fused into the stores.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAccumulate(ref float s, nint sStride, nint terms, ref float m, nint mStride, nint units, ref float start, bool hasStart, ref float output, bool rectify)
    {
        nint width = Vector<float>.Count;
        if (units >= 4 * width)
        {
            for (nint o = 0; o < units; o += 4 * width)
            {
                o = Math.Min(o, units - (4 * width));
                Vector<float> acc0 = hasStart ? Vector.LoadUnsafe(ref start, (nuint)o) : Vector<float>.Zero;
                Vector<float> acc1 = hasStart ? Vector.LoadUnsafe(ref start, (nuint)(o + width)) : Vector<float>.Zero;
                Vector<float> acc2 = hasStart ? Vector.LoadUnsafe(ref start, (nuint)(o + (2 * width))) : Vector<float>.Zero;
                Vector<float> acc3 = hasStart ? Vector.LoadUnsafe(ref start, (nuint)(o + (3 * width))) : Vector<float>.Zero;
                ref float column = ref Unsafe.Add(ref m, o);

                // Odd terms go to a second set of accumulators: with one set, each multiply-add
                // would wait for the previous one's latency instead of issuing every cycle.
                Vector<float> odd0 = Vector<float>.Zero, odd1 = Vector<float>.Zero, odd2 = Vector<float>.Zero, odd3 = Vector<float>.Zero;
                nint k = 0;
                for (; k + 2 <= terms; k += 2)
                {
                    Vector<float> sk = new(Unsafe.Add(ref s, k * sStride));
                    ref float row = ref Unsafe.Add(ref column, k * mStride);
                    acc0 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row), acc0);
                    acc1 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row, (nuint)width), acc1);
                    acc2 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row, (nuint)(2 * width)), acc2);
                    acc3 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row, (nuint)(3 * width)), acc3);
                    sk = new(Unsafe.Add(ref s, (k + 1) * sStride));
                    row = ref Unsafe.Add(ref row, mStride);
                    odd0 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row), odd0);
                    odd1 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row, (nuint)width), odd1);
                    odd2 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row, (nuint)(2 * width)), odd2);
                    odd3 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row, (nuint)(3 * width)), odd3);
                }

                if (k < terms)
                {
                    Vector<float> sk = new(Unsafe.Add(ref s, k * sStride));
                    ref float row = ref Unsafe.Add(ref column, k * mStride);
                    acc0 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row), acc0);
                    acc1 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row, (nuint)width), acc1);
                    acc2 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row, (nuint)(2 * width)), acc2);
                    acc3 = Vector.MultiplyAddEstimate(sk, Vector.LoadUnsafe(ref row, (nuint)(3 * width)), acc3);
                }

                Vector.StoreUnsafe(Rectify(acc0 + odd0, rectify), ref output, (nuint)o);
                Vector.StoreUnsafe(Rectify(acc1 + odd1, rectify), ref output, (nuint)(o + width));
                Vector.StoreUnsafe(Rectify(acc2 + odd2, rectify), ref output, (nuint)(o + (2 * width)));
                Vector.StoreUnsafe(Rectify(acc3 + odd3, rectify), ref output, (nuint)(o + (3 * width)));
            }
        }
        else if (units >= width)
        {
            for (nint o = 0; o < units; o += width)
            {
                o = Math.Min(o, units - width);
                Vector<float> acc = hasStart ? Vector.LoadUnsafe(ref start, (nuint)o) : Vector<float>.Zero;
                ref float column = ref Unsafe.Add(ref m, o);

                // Four accumulators over consecutive terms: one vector of units is too few to
                // hide the multiply-add's latency otherwise.
                Vector<float> acc1 = Vector<float>.Zero, acc2 = Vector<float>.Zero, acc3 = Vector<float>.Zero;
                nint k = 0;
                for (; k + 4 <= terms; k += 4)
                {
                    ref float sk = ref Unsafe.Add(ref s, k * sStride);
                    ref float row = ref Unsafe.Add(ref column, k * mStride);
                    acc = Vector.MultiplyAddEstimate(new Vector<float>(sk), Vector.LoadUnsafe(ref row), acc);
                    acc1 = Vector.MultiplyAddEstimate(new Vector<float>(Unsafe.Add(ref sk, sStride)), Vector.LoadUnsafe(ref Unsafe.Add(ref row, mStride)), acc1);
                    acc2 = Vector.MultiplyAddEstimate(new Vector<float>(Unsafe.Add(ref sk, 2 * sStride)), Vector.LoadUnsafe(ref Unsafe.Add(ref row, 2 * mStride)), acc2);
                    acc3 = Vector.MultiplyAddEstimate(new Vector<float>(Unsafe.Add(ref sk, 3 * sStride)), Vector.LoadUnsafe(ref Unsafe.Add(ref row, 3 * mStride)), acc3);
                }

                for (; k < terms; k++)
                {
                    acc = Vector.MultiplyAddEstimate(new Vector<float>(Unsafe.Add(ref s, k * sStride)), Vector.LoadUnsafe(ref Unsafe.Add(ref column, k * mStride)), acc);
                }

                Vector.StoreUnsafe(Rectify((acc + acc1) + (acc2 + acc3), rectify), ref output, (nuint)o);
            }
        }
        else
        {
            // Narrower than one vector: a block this small is cheapest as scalar code.
            for (nint o = 0; o < units; o++)
            {
                float acc = hasStart ? Unsafe.Add(ref start, o) : 0f;
                for (nint k = 0; k < terms; k++)
                {
                    acc += Unsafe.Add(ref s, k * sStride) * Unsafe.Add(ref m, (k * mStride) + o);
                }

                Unsafe.Add(ref output, o) = rectify ? MathF.Max(acc, 0f) : acc;
            }
        }
    }

    /// <summary>
    /// <see cref="MultiplyAccumulate"/> for 4 rows at once: row q reads s at q · sRowStride and writes
    /// output at q · outputStride. Each loaded row of m serves every row, so m is streamed once per block of
    /// rows. Each row takes four vectors of units where the processor has 32 vector registers (AVX-512), so
    /// 16 accumulators stay in registers, and two vectors (8 accumulators) elsewhere.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAccumulateRows(ref float s, nint sStride, nint sRowStride, nint terms, ref float m, nint mStride, nint units, ref float start, bool hasStart, ref float output, nint outputStride, bool rectify)
    {
        nint width = Vector<float>.Count;
        ref float s0 = ref Unsafe.Add(ref s, 0 * sRowStride);
        ref float s1 = ref Unsafe.Add(ref s, 1 * sRowStride);
        ref float s2 = ref Unsafe.Add(ref s, 2 * sRowStride);
        ref float s3 = ref Unsafe.Add(ref s, 3 * sRowStride);
        if (Vector512.IsHardwareAccelerated && units >= 4 * width)
        {
            for (nint o = 0; o < units; o += 4 * width)
            {
                o = Math.Min(o, units - (4 * width));
                ref float column = ref Unsafe.Add(ref m, o);
                ref float bias = ref Unsafe.Add(ref start, o);
                Vector<float> b0 = hasStart ? Vector.LoadUnsafe(ref bias) : Vector<float>.Zero;
                Vector<float> b1 = hasStart ? Vector.LoadUnsafe(ref bias, (nuint)width) : Vector<float>.Zero;
                Vector<float> b2 = hasStart ? Vector.LoadUnsafe(ref bias, (nuint)(2 * width)) : Vector<float>.Zero;
                Vector<float> b3 = hasStart ? Vector.LoadUnsafe(ref bias, (nuint)(3 * width)) : Vector<float>.Zero;
                Vector<float> a00 = b0, a01 = b1, a02 = b2, a03 = b3, a10 = b0, a11 = b1, a12 = b2, a13 = b3, a20 = b0, a21 = b1, a22 = b2, a23 = b3, a30 = b0, a31 = b1, a32 = b2, a33 = b3;
                for (nint k = 0; k < terms; k++)
                {
                    ref float row = ref Unsafe.Add(ref column, k * mStride);
                    Vector<float> m0 = Vector.LoadUnsafe(ref row);
                    Vector<float> m1 = Vector.LoadUnsafe(ref row, (nuint)width);
                    Vector<float> m2 = Vector.LoadUnsafe(ref row, (nuint)(2 * width));
                    Vector<float> m3 = Vector.LoadUnsafe(ref row, (nuint)(3 * width));
                    nint sk = k * sStride;
                    Vector<float> x0 = Vector.Create(Unsafe.Add(ref s0, sk));
                    a00 = Vector.MultiplyAddEstimate(x0, m0, a00);
                    a01 = Vector.MultiplyAddEstimate(x0, m1, a01);
                    a02 = Vector.MultiplyAddEstimate(x0, m2, a02);
                    a03 = Vector.MultiplyAddEstimate(x0, m3, a03);
                    Vector<float> x1 = Vector.Create(Unsafe.Add(ref s1, sk));
                    a10 = Vector.MultiplyAddEstimate(x1, m0, a10);
                    a11 = Vector.MultiplyAddEstimate(x1, m1, a11);
                    a12 = Vector.MultiplyAddEstimate(x1, m2, a12);
                    a13 = Vector.MultiplyAddEstimate(x1, m3, a13);
                    Vector<float> x2 = Vector.Create(Unsafe.Add(ref s2, sk));
                    a20 = Vector.MultiplyAddEstimate(x2, m0, a20);
                    a21 = Vector.MultiplyAddEstimate(x2, m1, a21);
                    a22 = Vector.MultiplyAddEstimate(x2, m2, a22);
                    a23 = Vector.MultiplyAddEstimate(x2, m3, a23);
                    Vector<float> x3 = Vector.Create(Unsafe.Add(ref s3, sk));
                    a30 = Vector.MultiplyAddEstimate(x3, m0, a30);
                    a31 = Vector.MultiplyAddEstimate(x3, m1, a31);
                    a32 = Vector.MultiplyAddEstimate(x3, m2, a32);
                    a33 = Vector.MultiplyAddEstimate(x3, m3, a33);
                }

                ref float out0 = ref Unsafe.Add(ref output, o);
                Vector.StoreUnsafe(Rectify(a00, rectify), ref out0);
                Vector.StoreUnsafe(Rectify(a01, rectify), ref out0, (nuint)width);
                Vector.StoreUnsafe(Rectify(a02, rectify), ref out0, (nuint)(2 * width));
                Vector.StoreUnsafe(Rectify(a03, rectify), ref out0, (nuint)(3 * width));
                ref float out1 = ref Unsafe.Add(ref out0, outputStride);
                Vector.StoreUnsafe(Rectify(a10, rectify), ref out1);
                Vector.StoreUnsafe(Rectify(a11, rectify), ref out1, (nuint)width);
                Vector.StoreUnsafe(Rectify(a12, rectify), ref out1, (nuint)(2 * width));
                Vector.StoreUnsafe(Rectify(a13, rectify), ref out1, (nuint)(3 * width));
                ref float out2 = ref Unsafe.Add(ref out1, outputStride);
                Vector.StoreUnsafe(Rectify(a20, rectify), ref out2);
                Vector.StoreUnsafe(Rectify(a21, rectify), ref out2, (nuint)width);
                Vector.StoreUnsafe(Rectify(a22, rectify), ref out2, (nuint)(2 * width));
                Vector.StoreUnsafe(Rectify(a23, rectify), ref out2, (nuint)(3 * width));
                ref float out3 = ref Unsafe.Add(ref out2, outputStride);
                Vector.StoreUnsafe(Rectify(a30, rectify), ref out3);
                Vector.StoreUnsafe(Rectify(a31, rectify), ref out3, (nuint)width);
                Vector.StoreUnsafe(Rectify(a32, rectify), ref out3, (nuint)(2 * width));
                Vector.StoreUnsafe(Rectify(a33, rectify), ref out3, (nuint)(3 * width));
            }

            return;
        }

        if (units >= 2 * width)
        {
            for (nint o = 0; o < units; o += 2 * width)
            {
                o = Math.Min(o, units - (2 * width));
                ref float column = ref Unsafe.Add(ref m, o);
                ref float bias = ref Unsafe.Add(ref start, o);
                Vector<float> b0 = hasStart ? Vector.LoadUnsafe(ref bias) : Vector<float>.Zero;
                Vector<float> b1 = hasStart ? Vector.LoadUnsafe(ref bias, (nuint)width) : Vector<float>.Zero;
                Vector<float> a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
                for (nint k = 0; k < terms; k++)
                {
                    ref float row = ref Unsafe.Add(ref column, k * mStride);
                    Vector<float> m0 = Vector.LoadUnsafe(ref row);
                    Vector<float> m1 = Vector.LoadUnsafe(ref row, (nuint)width);
                    nint sk = k * sStride;
                    Vector<float> x0 = Vector.Create(Unsafe.Add(ref s0, sk));
                    a00 = Vector.MultiplyAddEstimate(x0, m0, a00);
                    a01 = Vector.MultiplyAddEstimate(x0, m1, a01);
                    Vector<float> x1 = Vector.Create(Unsafe.Add(ref s1, sk));
                    a10 = Vector.MultiplyAddEstimate(x1, m0, a10);
                    a11 = Vector.MultiplyAddEstimate(x1, m1, a11);
                    Vector<float> x2 = Vector.Create(Unsafe.Add(ref s2, sk));
                    a20 = Vector.MultiplyAddEstimate(x2, m0, a20);
                    a21 = Vector.MultiplyAddEstimate(x2, m1, a21);
                    Vector<float> x3 = Vector.Create(Unsafe.Add(ref s3, sk));
                    a30 = Vector.MultiplyAddEstimate(x3, m0, a30);
                    a31 = Vector.MultiplyAddEstimate(x3, m1, a31);
                }

                ref float out0 = ref Unsafe.Add(ref output, o);
                Vector.StoreUnsafe(Rectify(a00, rectify), ref out0);
                Vector.StoreUnsafe(Rectify(a01, rectify), ref out0, (nuint)width);
                ref float out1 = ref Unsafe.Add(ref out0, outputStride);
                Vector.StoreUnsafe(Rectify(a10, rectify), ref out1);
                Vector.StoreUnsafe(Rectify(a11, rectify), ref out1, (nuint)width);
                ref float out2 = ref Unsafe.Add(ref out1, outputStride);
                Vector.StoreUnsafe(Rectify(a20, rectify), ref out2);
                Vector.StoreUnsafe(Rectify(a21, rectify), ref out2, (nuint)width);
                ref float out3 = ref Unsafe.Add(ref out2, outputStride);
                Vector.StoreUnsafe(Rectify(a30, rectify), ref out3);
                Vector.StoreUnsafe(Rectify(a31, rectify), ref out3, (nuint)width);
            }

            return;
        }

        for (nint q = 0; q < 4; q++)
        {
            MultiplyAccumulate(ref Unsafe.Add(ref s, q * sRowStride), sStride, terms, ref m, mStride, units, ref start, hasStart, ref Unsafe.Add(ref output, q * outputStride), rectify);
        }
    }

    /// <summary>
    /// <see cref="MultiplyAccumulate"/> for 6 rows at once, the block where 512-bit vectors are not fast: each row
    /// takes two vectors of units, so the 12 accumulators, the two loaded vectors of a row of m and one broadcast
    /// fill 15 of AVX2's 16 vector registers, and each row of m loaded serves six rows: two loads and six
    /// broadcasts per twelve multiply-adds, which keeps both FMA pipes busy (the shape of the best AVX2 SGEMM
    /// micro-kernels, 6 × 16). Fewer than two vectors of units go through <see cref="MultiplyAccumulateRows"/>
    /// and <see cref="MultiplyAccumulate"/>. Each row's sums run in the same order as in those kernels' blocks of
    /// rows, one accumulator per vector of units.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAccumulateSixRows(ref float s, nint sStride, nint sRowStride, nint terms, ref float m, nint mStride, nint units, ref float start, bool hasStart, ref float output, nint outputStride, bool rectify)
    {
        nint width = Vector<float>.Count;
        if (units < 2 * width)
        {
            MultiplyAccumulateRows(ref s, sStride, sRowStride, terms, ref m, mStride, units, ref start, hasStart, ref output, outputStride, rectify);
            MultiplyAccumulate(ref Unsafe.Add(ref s, 4 * sRowStride), sStride, terms, ref m, mStride, units, ref start, hasStart, ref Unsafe.Add(ref output, 4 * outputStride), rectify);
            MultiplyAccumulate(ref Unsafe.Add(ref s, 5 * sRowStride), sStride, terms, ref m, mStride, units, ref start, hasStart, ref Unsafe.Add(ref output, 5 * outputStride), rectify);
            return;
        }

        ref float s0 = ref Unsafe.Add(ref s, 0 * sRowStride);
        ref float s1 = ref Unsafe.Add(ref s, 1 * sRowStride);
        ref float s2 = ref Unsafe.Add(ref s, 2 * sRowStride);
        ref float s3 = ref Unsafe.Add(ref s, 3 * sRowStride);
        ref float s4 = ref Unsafe.Add(ref s, 4 * sRowStride);
        ref float s5 = ref Unsafe.Add(ref s, 5 * sRowStride);
        for (nint o = 0; o < units; o += 2 * width)
        {
            o = Math.Min(o, units - (2 * width));
            ref float column = ref Unsafe.Add(ref m, o);
            ref float bias = ref Unsafe.Add(ref start, o);
            Vector<float> b0 = hasStart ? Vector.LoadUnsafe(ref bias) : Vector<float>.Zero;
            Vector<float> b1 = hasStart ? Vector.LoadUnsafe(ref bias, (nuint)width) : Vector<float>.Zero;
            Vector<float> a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1, a40 = b0, a41 = b1, a50 = b0, a51 = b1;
            for (nint k = 0; k < terms; k++)
            {
                ref float row = ref Unsafe.Add(ref column, k * mStride);
                Vector<float> m0 = Vector.LoadUnsafe(ref row);
                Vector<float> m1 = Vector.LoadUnsafe(ref row, (nuint)width);
                nint sk = k * sStride;
                Vector<float> x = Vector.Create(Unsafe.Add(ref s0, sk));
                a00 = Vector.MultiplyAddEstimate(x, m0, a00);
                a01 = Vector.MultiplyAddEstimate(x, m1, a01);
                x = Vector.Create(Unsafe.Add(ref s1, sk));
                a10 = Vector.MultiplyAddEstimate(x, m0, a10);
                a11 = Vector.MultiplyAddEstimate(x, m1, a11);
                x = Vector.Create(Unsafe.Add(ref s2, sk));
                a20 = Vector.MultiplyAddEstimate(x, m0, a20);
                a21 = Vector.MultiplyAddEstimate(x, m1, a21);
                x = Vector.Create(Unsafe.Add(ref s3, sk));
                a30 = Vector.MultiplyAddEstimate(x, m0, a30);
                a31 = Vector.MultiplyAddEstimate(x, m1, a31);
                x = Vector.Create(Unsafe.Add(ref s4, sk));
                a40 = Vector.MultiplyAddEstimate(x, m0, a40);
                a41 = Vector.MultiplyAddEstimate(x, m1, a41);
                x = Vector.Create(Unsafe.Add(ref s5, sk));
                a50 = Vector.MultiplyAddEstimate(x, m0, a50);
                a51 = Vector.MultiplyAddEstimate(x, m1, a51);
            }

            ref float out0 = ref Unsafe.Add(ref output, o);
            Vector.StoreUnsafe(Rectify(a00, rectify), ref out0);
            Vector.StoreUnsafe(Rectify(a01, rectify), ref out0, (nuint)width);
            ref float out1 = ref Unsafe.Add(ref out0, outputStride);
            Vector.StoreUnsafe(Rectify(a10, rectify), ref out1);
            Vector.StoreUnsafe(Rectify(a11, rectify), ref out1, (nuint)width);
            ref float out2 = ref Unsafe.Add(ref out1, outputStride);
            Vector.StoreUnsafe(Rectify(a20, rectify), ref out2);
            Vector.StoreUnsafe(Rectify(a21, rectify), ref out2, (nuint)width);
            ref float out3 = ref Unsafe.Add(ref out2, outputStride);
            Vector.StoreUnsafe(Rectify(a30, rectify), ref out3);
            Vector.StoreUnsafe(Rectify(a31, rectify), ref out3, (nuint)width);
            ref float out4 = ref Unsafe.Add(ref out3, outputStride);
            Vector.StoreUnsafe(Rectify(a40, rectify), ref out4);
            Vector.StoreUnsafe(Rectify(a41, rectify), ref out4, (nuint)width);
            ref float out5 = ref Unsafe.Add(ref out4, outputStride);
            Vector.StoreUnsafe(Rectify(a50, rectify), ref out5);
            Vector.StoreUnsafe(Rectify(a51, rectify), ref out5, (nuint)width);
        }
    }

    /// <summary>
    /// <see cref="MultiplyAccumulateRows"/> for 8 rows at once, where 512-bit vectors are fast. Each row
    /// takes two such vectors of units, so 16 accumulators stay in registers and each loaded row of
    /// m serves twice as many rows as there, halving the bytes of m read per multiply-add; fewer units take
    /// one 512-bit or one narrower vector a row, so a narrow layer still has 8 independent sums in flight.
    /// When padded, a whole 512-bit vector may be read from any row of m and from start, as from the parameters,
    /// whose storage ends in a vector of padding: then 9 to 15 units take one such vector, whose lanes past the
    /// units are not stored, rather than two 256-bit vectors moved back to overlap (a 10-class output layer).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAccumulateWideRows(ref float s, nint sStride, nint sRowStride, nint terms, ref float m, nint mStride, nint units, ref float start, bool hasStart, ref float output, nint outputStride, bool padded, bool rectify)
    {
        if (Vector512.IsHardwareAccelerated && units >= 2 * Vector512<float>.Count)
        {
            nint width = Vector512<float>.Count;
            ref float s0 = ref Unsafe.Add(ref s, 0 * sRowStride);
            ref float s1 = ref Unsafe.Add(ref s, 1 * sRowStride);
            ref float s2 = ref Unsafe.Add(ref s, 2 * sRowStride);
            ref float s3 = ref Unsafe.Add(ref s, 3 * sRowStride);
            ref float s4 = ref Unsafe.Add(ref s, 4 * sRowStride);
            ref float s5 = ref Unsafe.Add(ref s, 5 * sRowStride);
            ref float s6 = ref Unsafe.Add(ref s, 6 * sRowStride);
            ref float s7 = ref Unsafe.Add(ref s, 7 * sRowStride);
            for (nint o = 0; o < units; o += 2 * width)
            {
                o = Math.Min(o, units - (2 * width));
                ref float column = ref Unsafe.Add(ref m, o);
                ref float bias = ref Unsafe.Add(ref start, o);
                Vector512<float> b0 = hasStart ? Vector512.LoadUnsafe(ref bias) : Vector512<float>.Zero;
                Vector512<float> b1 = hasStart ? Vector512.LoadUnsafe(ref bias, (nuint)width) : Vector512<float>.Zero;
                Vector512<float> a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1, a40 = b0, a41 = b1, a50 = b0, a51 = b1, a60 = b0, a61 = b1, a70 = b0, a71 = b1;
                for (nint k = 0; k < terms; k++)
                {
                    ref float row = ref Unsafe.Add(ref column, k * mStride);
                    Vector512<float> m0 = Vector512.LoadUnsafe(ref row);
                    Vector512<float> m1 = Vector512.LoadUnsafe(ref row, (nuint)width);
                    nint sk = k * sStride;
                    Vector512<float> x0 = Vector512.Create(Unsafe.Add(ref s0, sk));
                    a00 = Vector512.MultiplyAddEstimate(x0, m0, a00);
                    a01 = Vector512.MultiplyAddEstimate(x0, m1, a01);
                    Vector512<float> x1 = Vector512.Create(Unsafe.Add(ref s1, sk));
                    a10 = Vector512.MultiplyAddEstimate(x1, m0, a10);
                    a11 = Vector512.MultiplyAddEstimate(x1, m1, a11);
                    Vector512<float> x2 = Vector512.Create(Unsafe.Add(ref s2, sk));
                    a20 = Vector512.MultiplyAddEstimate(x2, m0, a20);
                    a21 = Vector512.MultiplyAddEstimate(x2, m1, a21);
                    Vector512<float> x3 = Vector512.Create(Unsafe.Add(ref s3, sk));
                    a30 = Vector512.MultiplyAddEstimate(x3, m0, a30);
                    a31 = Vector512.MultiplyAddEstimate(x3, m1, a31);
                    Vector512<float> x4 = Vector512.Create(Unsafe.Add(ref s4, sk));
                    a40 = Vector512.MultiplyAddEstimate(x4, m0, a40);
                    a41 = Vector512.MultiplyAddEstimate(x4, m1, a41);
                    Vector512<float> x5 = Vector512.Create(Unsafe.Add(ref s5, sk));
                    a50 = Vector512.MultiplyAddEstimate(x5, m0, a50);
                    a51 = Vector512.MultiplyAddEstimate(x5, m1, a51);
                    Vector512<float> x6 = Vector512.Create(Unsafe.Add(ref s6, sk));
                    a60 = Vector512.MultiplyAddEstimate(x6, m0, a60);
                    a61 = Vector512.MultiplyAddEstimate(x6, m1, a61);
                    Vector512<float> x7 = Vector512.Create(Unsafe.Add(ref s7, sk));
                    a70 = Vector512.MultiplyAddEstimate(x7, m0, a70);
                    a71 = Vector512.MultiplyAddEstimate(x7, m1, a71);
                }

                ref float out0 = ref Unsafe.Add(ref output, o);
                Vector512.StoreUnsafe(Rectify(a00, rectify), ref out0);
                Vector512.StoreUnsafe(Rectify(a01, rectify), ref out0, (nuint)width);
                ref float out1 = ref Unsafe.Add(ref out0, outputStride);
                Vector512.StoreUnsafe(Rectify(a10, rectify), ref out1);
                Vector512.StoreUnsafe(Rectify(a11, rectify), ref out1, (nuint)width);
                ref float out2 = ref Unsafe.Add(ref out1, outputStride);
                Vector512.StoreUnsafe(Rectify(a20, rectify), ref out2);
                Vector512.StoreUnsafe(Rectify(a21, rectify), ref out2, (nuint)width);
                ref float out3 = ref Unsafe.Add(ref out2, outputStride);
                Vector512.StoreUnsafe(Rectify(a30, rectify), ref out3);
                Vector512.StoreUnsafe(Rectify(a31, rectify), ref out3, (nuint)width);
                ref float out4 = ref Unsafe.Add(ref out3, outputStride);
                Vector512.StoreUnsafe(Rectify(a40, rectify), ref out4);
                Vector512.StoreUnsafe(Rectify(a41, rectify), ref out4, (nuint)width);
                ref float out5 = ref Unsafe.Add(ref out4, outputStride);
                Vector512.StoreUnsafe(Rectify(a50, rectify), ref out5);
                Vector512.StoreUnsafe(Rectify(a51, rectify), ref out5, (nuint)width);
                ref float out6 = ref Unsafe.Add(ref out5, outputStride);
                Vector512.StoreUnsafe(Rectify(a60, rectify), ref out6);
                Vector512.StoreUnsafe(Rectify(a61, rectify), ref out6, (nuint)width);
                ref float out7 = ref Unsafe.Add(ref out6, outputStride);
                Vector512.StoreUnsafe(Rectify(a70, rectify), ref out7);
                Vector512.StoreUnsafe(Rectify(a71, rectify), ref out7, (nuint)width);
            }

            return;
        }

        if (Vector512.IsHardwareAccelerated && units >= Vector512<float>.Count)
        {
            nint width = Vector512<float>.Count;
            ref float s0 = ref Unsafe.Add(ref s, 0 * sRowStride);
            ref float s1 = ref Unsafe.Add(ref s, 1 * sRowStride);
            ref float s2 = ref Unsafe.Add(ref s, 2 * sRowStride);
            ref float s3 = ref Unsafe.Add(ref s, 3 * sRowStride);
            ref float s4 = ref Unsafe.Add(ref s, 4 * sRowStride);
            ref float s5 = ref Unsafe.Add(ref s, 5 * sRowStride);
            ref float s6 = ref Unsafe.Add(ref s, 6 * sRowStride);
            ref float s7 = ref Unsafe.Add(ref s, 7 * sRowStride);
            for (nint o = 0; o < units; o += 1 * width)
            {
                o = Math.Min(o, units - (1 * width));
                ref float column = ref Unsafe.Add(ref m, o);
                ref float bias = ref Unsafe.Add(ref start, o);
                Vector512<float> b0 = hasStart ? Vector512.LoadUnsafe(ref bias) : Vector512<float>.Zero;
                Vector512<float> a00 = b0, a10 = b0, a20 = b0, a30 = b0, a40 = b0, a50 = b0, a60 = b0, a70 = b0;
                for (nint k = 0; k < terms; k++)
                {
                    ref float row = ref Unsafe.Add(ref column, k * mStride);
                    Vector512<float> m0 = Vector512.LoadUnsafe(ref row);
                    nint sk = k * sStride;
                    Vector512<float> x0 = Vector512.Create(Unsafe.Add(ref s0, sk));
                    a00 = Vector512.MultiplyAddEstimate(x0, m0, a00);
                    Vector512<float> x1 = Vector512.Create(Unsafe.Add(ref s1, sk));
                    a10 = Vector512.MultiplyAddEstimate(x1, m0, a10);
                    Vector512<float> x2 = Vector512.Create(Unsafe.Add(ref s2, sk));
                    a20 = Vector512.MultiplyAddEstimate(x2, m0, a20);
                    Vector512<float> x3 = Vector512.Create(Unsafe.Add(ref s3, sk));
                    a30 = Vector512.MultiplyAddEstimate(x3, m0, a30);
                    Vector512<float> x4 = Vector512.Create(Unsafe.Add(ref s4, sk));
                    a40 = Vector512.MultiplyAddEstimate(x4, m0, a40);
                    Vector512<float> x5 = Vector512.Create(Unsafe.Add(ref s5, sk));
                    a50 = Vector512.MultiplyAddEstimate(x5, m0, a50);
                    Vector512<float> x6 = Vector512.Create(Unsafe.Add(ref s6, sk));
                    a60 = Vector512.MultiplyAddEstimate(x6, m0, a60);
                    Vector512<float> x7 = Vector512.Create(Unsafe.Add(ref s7, sk));
                    a70 = Vector512.MultiplyAddEstimate(x7, m0, a70);
                }

                ref float out0 = ref Unsafe.Add(ref output, o);
                Vector512.StoreUnsafe(Rectify(a00, rectify), ref out0);
                ref float out1 = ref Unsafe.Add(ref out0, outputStride);
                Vector512.StoreUnsafe(Rectify(a10, rectify), ref out1);
                ref float out2 = ref Unsafe.Add(ref out1, outputStride);
                Vector512.StoreUnsafe(Rectify(a20, rectify), ref out2);
                ref float out3 = ref Unsafe.Add(ref out2, outputStride);
                Vector512.StoreUnsafe(Rectify(a30, rectify), ref out3);
                ref float out4 = ref Unsafe.Add(ref out3, outputStride);
                Vector512.StoreUnsafe(Rectify(a40, rectify), ref out4);
                ref float out5 = ref Unsafe.Add(ref out4, outputStride);
                Vector512.StoreUnsafe(Rectify(a50, rectify), ref out5);
                ref float out6 = ref Unsafe.Add(ref out5, outputStride);
                Vector512.StoreUnsafe(Rectify(a60, rectify), ref out6);
                ref float out7 = ref Unsafe.Add(ref out6, outputStride);
                Vector512.StoreUnsafe(Rectify(a70, rectify), ref out7);
            }

            return;
        }

        if (Vector512.IsHardwareAccelerated && padded && units > Vector256<float>.Count && units < Vector512<float>.Count)
        {
            nint width = Vector512<float>.Count;
            ref float s0 = ref Unsafe.Add(ref s, 0 * sRowStride);
            ref float s1 = ref Unsafe.Add(ref s, 1 * sRowStride);
            ref float s2 = ref Unsafe.Add(ref s, 2 * sRowStride);
            ref float s3 = ref Unsafe.Add(ref s, 3 * sRowStride);
            ref float s4 = ref Unsafe.Add(ref s, 4 * sRowStride);
            ref float s5 = ref Unsafe.Add(ref s, 5 * sRowStride);
            ref float s6 = ref Unsafe.Add(ref s, 6 * sRowStride);
            ref float s7 = ref Unsafe.Add(ref s, 7 * sRowStride);
            for (nint o = 0; o < units; o += 1 * width)
            {
                ref float column = ref Unsafe.Add(ref m, o);
                ref float bias = ref Unsafe.Add(ref start, o);
                Vector512<float> b0 = hasStart ? Vector512.LoadUnsafe(ref bias) : Vector512<float>.Zero;
                Vector512<float> a00 = b0, a10 = b0, a20 = b0, a30 = b0, a40 = b0, a50 = b0, a60 = b0, a70 = b0;
                for (nint k = 0; k < terms; k++)
                {
                    ref float row = ref Unsafe.Add(ref column, k * mStride);
                    Vector512<float> m0 = Vector512.LoadUnsafe(ref row);
                    nint sk = k * sStride;
                    Vector512<float> x0 = Vector512.Create(Unsafe.Add(ref s0, sk));
                    a00 = Vector512.MultiplyAddEstimate(x0, m0, a00);
                    Vector512<float> x1 = Vector512.Create(Unsafe.Add(ref s1, sk));
                    a10 = Vector512.MultiplyAddEstimate(x1, m0, a10);
                    Vector512<float> x2 = Vector512.Create(Unsafe.Add(ref s2, sk));
                    a20 = Vector512.MultiplyAddEstimate(x2, m0, a20);
                    Vector512<float> x3 = Vector512.Create(Unsafe.Add(ref s3, sk));
                    a30 = Vector512.MultiplyAddEstimate(x3, m0, a30);
                    Vector512<float> x4 = Vector512.Create(Unsafe.Add(ref s4, sk));
                    a40 = Vector512.MultiplyAddEstimate(x4, m0, a40);
                    Vector512<float> x5 = Vector512.Create(Unsafe.Add(ref s5, sk));
                    a50 = Vector512.MultiplyAddEstimate(x5, m0, a50);
                    Vector512<float> x6 = Vector512.Create(Unsafe.Add(ref s6, sk));
                    a60 = Vector512.MultiplyAddEstimate(x6, m0, a60);
                    Vector512<float> x7 = Vector512.Create(Unsafe.Add(ref s7, sk));
                    a70 = Vector512.MultiplyAddEstimate(x7, m0, a70);
                }

                ref float out0 = ref Unsafe.Add(ref output, o);
                Vector512<float> r0 = Rectify(a00, rectify);
                Vector256.StoreUnsafe(Vector512.GetLower(r0), ref out0);
                for (nint u = Vector256<float>.Count; u < units; u++)
                {
                    Unsafe.Add(ref out0, u) = Vector512.GetElement(r0, (int)u);
                }
                ref float out1 = ref Unsafe.Add(ref out0, outputStride);
                Vector512<float> r1 = Rectify(a10, rectify);
                Vector256.StoreUnsafe(Vector512.GetLower(r1), ref out1);
                for (nint u = Vector256<float>.Count; u < units; u++)
                {
                    Unsafe.Add(ref out1, u) = Vector512.GetElement(r1, (int)u);
                }
                ref float out2 = ref Unsafe.Add(ref out1, outputStride);
                Vector512<float> r2 = Rectify(a20, rectify);
                Vector256.StoreUnsafe(Vector512.GetLower(r2), ref out2);
                for (nint u = Vector256<float>.Count; u < units; u++)
                {
                    Unsafe.Add(ref out2, u) = Vector512.GetElement(r2, (int)u);
                }
                ref float out3 = ref Unsafe.Add(ref out2, outputStride);
                Vector512<float> r3 = Rectify(a30, rectify);
                Vector256.StoreUnsafe(Vector512.GetLower(r3), ref out3);
                for (nint u = Vector256<float>.Count; u < units; u++)
                {
                    Unsafe.Add(ref out3, u) = Vector512.GetElement(r3, (int)u);
                }
                ref float out4 = ref Unsafe.Add(ref out3, outputStride);
                Vector512<float> r4 = Rectify(a40, rectify);
                Vector256.StoreUnsafe(Vector512.GetLower(r4), ref out4);
                for (nint u = Vector256<float>.Count; u < units; u++)
                {
                    Unsafe.Add(ref out4, u) = Vector512.GetElement(r4, (int)u);
                }
                ref float out5 = ref Unsafe.Add(ref out4, outputStride);
                Vector512<float> r5 = Rectify(a50, rectify);
                Vector256.StoreUnsafe(Vector512.GetLower(r5), ref out5);
                for (nint u = Vector256<float>.Count; u < units; u++)
                {
                    Unsafe.Add(ref out5, u) = Vector512.GetElement(r5, (int)u);
                }
                ref float out6 = ref Unsafe.Add(ref out5, outputStride);
                Vector512<float> r6 = Rectify(a60, rectify);
                Vector256.StoreUnsafe(Vector512.GetLower(r6), ref out6);
                for (nint u = Vector256<float>.Count; u < units; u++)
                {
                    Unsafe.Add(ref out6, u) = Vector512.GetElement(r6, (int)u);
                }
                ref float out7 = ref Unsafe.Add(ref out6, outputStride);
                Vector512<float> r7 = Rectify(a70, rectify);
                Vector256.StoreUnsafe(Vector512.GetLower(r7), ref out7);
                for (nint u = Vector256<float>.Count; u < units; u++)
                {
                    Unsafe.Add(ref out7, u) = Vector512.GetElement(r7, (int)u);
                }
            }

            return;
        }

        if (Vector512.IsHardwareAccelerated && units >= Vector<float>.Count)
        {
            nint width = Vector<float>.Count;
            ref float s0 = ref Unsafe.Add(ref s, 0 * sRowStride);
            ref float s1 = ref Unsafe.Add(ref s, 1 * sRowStride);
            ref float s2 = ref Unsafe.Add(ref s, 2 * sRowStride);
            ref float s3 = ref Unsafe.Add(ref s, 3 * sRowStride);
            ref float s4 = ref Unsafe.Add(ref s, 4 * sRowStride);
            ref float s5 = ref Unsafe.Add(ref s, 5 * sRowStride);
            ref float s6 = ref Unsafe.Add(ref s, 6 * sRowStride);
            ref float s7 = ref Unsafe.Add(ref s, 7 * sRowStride);
            for (nint o = 0; o < units; o += 1 * width)
            {
                o = Math.Min(o, units - (1 * width));
                ref float column = ref Unsafe.Add(ref m, o);
                ref float bias = ref Unsafe.Add(ref start, o);
                Vector<float> b0 = hasStart ? Vector.LoadUnsafe(ref bias) : Vector<float>.Zero;
                Vector<float> a00 = b0, a10 = b0, a20 = b0, a30 = b0, a40 = b0, a50 = b0, a60 = b0, a70 = b0;
                for (nint k = 0; k < terms; k++)
                {
                    ref float row = ref Unsafe.Add(ref column, k * mStride);
                    Vector<float> m0 = Vector.LoadUnsafe(ref row);
                    nint sk = k * sStride;
                    Vector<float> x0 = Vector.Create(Unsafe.Add(ref s0, sk));
                    a00 = Vector.MultiplyAddEstimate(x0, m0, a00);
                    Vector<float> x1 = Vector.Create(Unsafe.Add(ref s1, sk));
                    a10 = Vector.MultiplyAddEstimate(x1, m0, a10);
                    Vector<float> x2 = Vector.Create(Unsafe.Add(ref s2, sk));
                    a20 = Vector.MultiplyAddEstimate(x2, m0, a20);
                    Vector<float> x3 = Vector.Create(Unsafe.Add(ref s3, sk));
                    a30 = Vector.MultiplyAddEstimate(x3, m0, a30);
                    Vector<float> x4 = Vector.Create(Unsafe.Add(ref s4, sk));
                    a40 = Vector.MultiplyAddEstimate(x4, m0, a40);
                    Vector<float> x5 = Vector.Create(Unsafe.Add(ref s5, sk));
                    a50 = Vector.MultiplyAddEstimate(x5, m0, a50);
                    Vector<float> x6 = Vector.Create(Unsafe.Add(ref s6, sk));
                    a60 = Vector.MultiplyAddEstimate(x6, m0, a60);
                    Vector<float> x7 = Vector.Create(Unsafe.Add(ref s7, sk));
                    a70 = Vector.MultiplyAddEstimate(x7, m0, a70);
                }

                ref float out0 = ref Unsafe.Add(ref output, o);
                Vector.StoreUnsafe(Rectify(a00, rectify), ref out0);
                ref float out1 = ref Unsafe.Add(ref out0, outputStride);
                Vector.StoreUnsafe(Rectify(a10, rectify), ref out1);
                ref float out2 = ref Unsafe.Add(ref out1, outputStride);
                Vector.StoreUnsafe(Rectify(a20, rectify), ref out2);
                ref float out3 = ref Unsafe.Add(ref out2, outputStride);
                Vector.StoreUnsafe(Rectify(a30, rectify), ref out3);
                ref float out4 = ref Unsafe.Add(ref out3, outputStride);
                Vector.StoreUnsafe(Rectify(a40, rectify), ref out4);
                ref float out5 = ref Unsafe.Add(ref out4, outputStride);
                Vector.StoreUnsafe(Rectify(a50, rectify), ref out5);
                ref float out6 = ref Unsafe.Add(ref out5, outputStride);
                Vector.StoreUnsafe(Rectify(a60, rectify), ref out6);
                ref float out7 = ref Unsafe.Add(ref out6, outputStride);
                Vector.StoreUnsafe(Rectify(a70, rectify), ref out7);
            }

            return;
        }

        for (nint q = 0; q < 8; q += 4)
        {
            MultiplyAccumulateRows(ref Unsafe.Add(ref s, q * sRowStride), sStride, sRowStride, terms, ref m, mStride, units, ref start, hasStart, ref Unsafe.Add(ref output, q * outputStride), outputStride, rectify);
        }
    }

    /// <summary>
    /// Adds a[k] · b[k] for the whole vectors of length contiguous values to acc and returns the sum of the
    /// remaining scalar products: a unit of a unit-major layer, whose weights are one row of the inputs' length.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float DotAccumulate(ref float a, ref float b, nint length, ref Vector<float> acc)
    {
        nint width = Vector<float>.Count;
        Vector<float> acc1 = Vector<float>.Zero;
        nint k = 0;
        for (; k <= length - (2 * width); k += 2 * width)
        {
            acc = Vector.MultiplyAddEstimate(Vector.LoadUnsafe(ref a, (nuint)k), Vector.LoadUnsafe(ref b, (nuint)k), acc);
            acc1 = Vector.MultiplyAddEstimate(Vector.LoadUnsafe(ref a, (nuint)(k + width)), Vector.LoadUnsafe(ref b, (nuint)(k + width)), acc1);
        }

        if (k <= length - width)
        {
            acc = Vector.MultiplyAddEstimate(Vector.LoadUnsafe(ref a, (nuint)k), Vector.LoadUnsafe(ref b, (nuint)k), acc);
            k += width;
        }

        acc += acc1;
        float tail = 0f;
        for (; k < length; k++)
        {
            tail += Unsafe.Add(ref a, k) * Unsafe.Add(ref b, k);
        }

        return tail;
    }

    /// <summary>Whether <see cref="DotFour"/> runs here: where <see cref="Vector{T}"/> is 256-bit and AVX's horizontal adds are.</summary>
    internal static bool DotFourIsAccelerated => Vector<float>.Count == Vector256<float>.Count && Avx.IsSupported;

    /// <summary>
    /// The dot products of <paramref name="a"/> with four rows of <paramref name="b"/>, <paramref name="bStride"/> apart, in the
    /// lanes of the result: Σ_k a[k] · b[u · bStride + k] for u = 0 to 3. Four units of a unit-major layer share each loaded
    /// vector of their inputs, and their sums end in one horizontal reduction (three horizontal adds and one add) where each
    /// alone took its own. Two accumulators a unit, even and odd vectors of terms, cover the multiply-add's latency. Only
    /// where <see cref="DotFourIsAccelerated"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> DotFour(ref float a, ref float b, nint bStride, nint length)
    {
        nint width = Vector256<float>.Count;
        ref float b1 = ref Unsafe.Add(ref b, bStride);
        ref float b2 = ref Unsafe.Add(ref b, 2 * bStride);
        ref float b3 = ref Unsafe.Add(ref b, 3 * bStride);
        Vector256<float> e0 = Vector256<float>.Zero, e1 = Vector256<float>.Zero, e2 = Vector256<float>.Zero, e3 = Vector256<float>.Zero;
        Vector256<float> o0 = Vector256<float>.Zero, o1 = Vector256<float>.Zero, o2 = Vector256<float>.Zero, o3 = Vector256<float>.Zero;
        nint k = 0;
        for (; k + (2 * width) <= length; k += 2 * width)
        {
            Vector256<float> even = Vector256.LoadUnsafe(ref a, (nuint)k);
            Vector256<float> odd = Vector256.LoadUnsafe(ref a, (nuint)(k + width));
            e0 = Vector256.MultiplyAddEstimate(even, Vector256.LoadUnsafe(ref b, (nuint)k), e0);
            e1 = Vector256.MultiplyAddEstimate(even, Vector256.LoadUnsafe(ref b1, (nuint)k), e1);
            e2 = Vector256.MultiplyAddEstimate(even, Vector256.LoadUnsafe(ref b2, (nuint)k), e2);
            e3 = Vector256.MultiplyAddEstimate(even, Vector256.LoadUnsafe(ref b3, (nuint)k), e3);
            o0 = Vector256.MultiplyAddEstimate(odd, Vector256.LoadUnsafe(ref b, (nuint)(k + width)), o0);
            o1 = Vector256.MultiplyAddEstimate(odd, Vector256.LoadUnsafe(ref b1, (nuint)(k + width)), o1);
            o2 = Vector256.MultiplyAddEstimate(odd, Vector256.LoadUnsafe(ref b2, (nuint)(k + width)), o2);
            o3 = Vector256.MultiplyAddEstimate(odd, Vector256.LoadUnsafe(ref b3, (nuint)(k + width)), o3);
        }

        if (k + width <= length)
        {
            Vector256<float> even = Vector256.LoadUnsafe(ref a, (nuint)k);
            e0 = Vector256.MultiplyAddEstimate(even, Vector256.LoadUnsafe(ref b, (nuint)k), e0);
            e1 = Vector256.MultiplyAddEstimate(even, Vector256.LoadUnsafe(ref b1, (nuint)k), e1);
            e2 = Vector256.MultiplyAddEstimate(even, Vector256.LoadUnsafe(ref b2, (nuint)k), e2);
            e3 = Vector256.MultiplyAddEstimate(even, Vector256.LoadUnsafe(ref b3, (nuint)k), e3);
            k += width;
        }

        // Per 128-bit half, the first adds leave pairs of two units' lanes, the last a quarter of each unit's sum; the
        // halves' sum is then the four units' sums.
        Vector256<float> quarters = Avx.HorizontalAdd(Avx.HorizontalAdd(e0 + o0, e1 + o1), Avx.HorizontalAdd(e2 + o2, e3 + o3));
        Vector128<float> sums = quarters.GetLower() + quarters.GetUpper();
        if (k < length)
        {
            float t0 = 0, t1 = 0, t2 = 0, t3 = 0;
            for (; k < length; k++)
            {
                float ak = Unsafe.Add(ref a, k);
                t0 += ak * Unsafe.Add(ref b, k);
                t1 += ak * Unsafe.Add(ref b1, k);
                t2 += ak * Unsafe.Add(ref b2, k);
                t3 += ak * Unsafe.Add(ref b3, k);
            }

            sums += Vector128.Create(t0, t1, t2, t3);
        }

        return sums;
    }

    /// <summary>max(v, 0) when rectify, else v: the ReLU the batched products can apply as they store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Rectify(Vector<float> v, bool rectify) => rectify ? Vector.Max(v, Vector<float>.Zero) : v;

    /// <summary>max(v, 0) when rectify, else v, in a 512-bit vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Rectify(Vector512<float> v, bool rectify) => rectify ? Vector512.Max(v, Vector512<float>.Zero) : v;
}
