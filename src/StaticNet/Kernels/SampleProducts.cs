using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StaticNet.Kernels;

/// <summary>
/// The single-sample products of dense layers (a GEMV rather than the batched GEMM): a panel's units
/// stay in registers over the inputs, only the inputs listed may be read, and the activation is applied in
/// registers before the store.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SampleProducts
{
    /// <summary>A layer with at least this many inputs that lists its inputs that are not zero reads its rows in order when few are zero.</summary>
    private const int ListingThreshold = 256;

    /// <summary>Such a layer reads its rows in order when at most one input in this many is zero.</summary>
    private const int DenseShare = 8;

    /// <summary>
    /// One sample through the units of slices first to end (exclusive) of a dense layer (see <see cref="LayerLayout"/>):
    /// a[o] = f(b[o] + Σ_i x[i] · W[i, o]), the element-wise activation f applied in registers before the store,
    /// and a Softmax layer, which must be computed whole, normalised after. A panel layer that skips zeros reads
    /// the weight rows of only the inputs that are not zero (with <see cref="ListingThreshold"/> inputs or more, only
    /// when enough of them are zero). A generated layer calls this with its sizes as constants, so the JIT inlines it
    /// and keeps only the branches and panels those sizes take.
    /// </summary>
    /// <param name="parameters">The network's parameter storage, padding included.</param>
    /// <param name="weights">The offset of the layer's weights in it.</param>
    /// <param name="bias">The offset of the layer's biases in it; -1 for a layer without.</param>
    /// <param name="inputs">The layer's inputs.</param>
    /// <param name="units">The layer's units.</param>
    /// <param name="activation">The layer's activation.</param>
    /// <param name="layout">How the weights are stored.</param>
    /// <param name="skipsZeros">Whether to read the rows of only the inputs that are not zero.</param>
    /// <param name="x">The sample's inputs to the layer.</param>
    /// <param name="a">The layer's outputs, of which these slices' units are written.</param>
    /// <param name="listed">Room for the indices of the inputs, at least <paramref name="inputs"/>, where the layer skips zeros.</param>
    /// <param name="first">The first slice.</param>
    /// <param name="end">The slice after the last.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dense(
        ReadOnlySpan<float> parameters, int weights, int bias, int inputs, int units, Activation activation, WeightLayout layout, bool skipsZeros,
        ReadOnlySpan<float> x, Span<float> a, Span<int> listed, int first, int end)
    {
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float w = ref Unsafe.Add(ref p, weights);
        ref float b = ref bias < 0 ? ref Unsafe.NullRef<float>() : ref Unsafe.Add(ref p, bias);
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float a0 = ref MemoryMarshal.GetReference(a);
        if (layout == WeightLayout.UnitMajor)
        {
            int from = first * LayerLayout.UnitBlock;
            int count = Math.Min(end * LayerLayout.UnitBlock, units) - from;
            LayerProducts.ForwardUnitMajor(ref x0, ref w, ref b, ref a0, 1, inputs, units, from, count);
            if (activation is not (Activation.Linear or Activation.Softmax))
            {
                Span<float> computed = a.Slice(from, count);
                ActivationKernels.Forward(activation, computed, computed, count);
            }
        }
        else
        {
            PanelLayer<float, SingleWeights>(ref x0, ref w, ref b, ref a0, inputs, units, wholePanels: false, activation, skipsZeros, x, listed, first, end);
        }

        if (activation == Activation.Softmax)
        {
            ActivationKernels.Forward(Activation.Softmax, a, a, units);
        }
    }

    /// <summary>
    /// The single-sample product of slices first to end (exclusive) of a layer stored in column panels, whose weights
    /// <typeparamref name="TFormat"/> reads: every input's row of each panel, or, where the layer skips zeros and
    /// enough of its inputs are zero, only the rows of those that are not. A Softmax layer is left to be normalised.
    /// A caller whose units are not a constant says whether they fill whole panels (<paramref name="wholePanels"/>), so that
    /// the kernel of a narrower last panel is not compiled in: the kernels of every width, compiled into one method, were
    /// more locals than the JIT inlines into a method, and it left the 512-bit weight loads as calls.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void PanelLayer<TWeight, TFormat>(
        ref float x0, ref TWeight w, ref float b, ref float a0, int inputs, int units, bool wholePanels, Activation activation, bool skipsZeros,
        ReadOnlySpan<float> x, Span<int> listed, int first, int end)
        where TWeight : unmanaged
        where TFormat : struct, IWeightFormat<TWeight>
    {
        // Reading the rows through the list costs a load and an address an input, which skipping a few rows does
        // not repay: on inputs with no zeros, FMNIST's sample took 5.9 µs with its first layer's rows read through
        // the list and 4.8 µs with them read in order.
        int nonZero = skipsZeros ? NonZero.Indices(x, listed) : inputs;
        if (skipsZeros && (inputs < ListingThreshold || nonZero < inputs - (inputs / DenseShare)))
        {
            Panels<TWeight, TFormat>(ref x0, ref MemoryMarshal.GetReference(listed), nonZero, gather: true, ref w, ref b, ref a0, inputs, units, wholePanels, first, end, activation);
        }
        else
        {
            Panels<TWeight, TFormat>(ref x0, ref Unsafe.NullRef<int>(), inputs, gather: false, ref w, ref b, ref a0, inputs, units, wholePanels, first, end, activation);
        }
    }

    /// <summary>
    /// The lanes of each vector of the pairs in which <see cref="MultiplyAccumulateOne"/> reads a whole panel's rows
    /// (<see cref="LayerProducts.PanelWidth"/> units): 16 where it takes the 512-bit path, <see cref="Vector{T}.Count"/> otherwise.
    /// </summary>
    internal static int PanelPairWidth =>
        Vector512.IsHardwareAccelerated && Vector<float>.Count == 8 && LayerProducts.PanelWidth >= 2 * Vector512<float>.Count ? Vector512<float>.Count : Vector<float>.Count;

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
    public static void MultiplyAccumulateOne(ref float x, ref int indices, nint count, bool gather, ref float m, nint mStride, nint units, ref float bias, ref float output, Activation activation) =>
        MultiplyAccumulateOne<float, SingleWeights>(ref x, ref indices, count, gather, ref m, mStride, units, ref bias, ref output, activation, narrowerThanPanel: false);

    /// <summary>
    /// <see cref="MultiplyAccumulateOne"/> over weights stored as <typeparamref name="TFormat"/> reads them. A caller passing
    /// fewer units than a panel says so (<paramref name="narrowerThanPanel"/>): the JIT does not know the count of a layer's
    /// narrower last panel as a constant even where it knows the layer's, and the flag picks its path from the vector width
    /// alone, the 512-bit path needing a whole panel and four vectors filling one unless they are 128-bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MultiplyAccumulateOne<TWeight, TFormat>(ref float x, ref int indices, nint count, bool gather, ref TWeight m, nint mStride, nint units, ref float bias, ref float output, Activation activation, bool narrowerThanPanel)
        where TWeight : unmanaged
        where TFormat : struct, IWeightFormat<TWeight>
    {
        // Each path is a method of its own, so that the JIT weighs only the one a layer's constant units select against
        // its inlining budget: weighed as one, the 256-bit paths left no budget for a layer's second call site, and
        // FMNIST's sample on AVX2 took 15 µs instead of 12. The tests are written out here, where the JIT folds them
        // before it imports a path; returned by a method, they were not folded and the unused paths spent the budget.
        if (!narrowerThanPanel && Vector512.IsHardwareAccelerated && Vector<float>.Count == 8 && units >= 2 * Vector512<float>.Count)
        {
            MultiplyAccumulateOneWide<TWeight, TFormat>(ref x, ref indices, count, gather, ref m, mStride, units, ref bias, ref output, activation);
        }
        else if ((!narrowerThanPanel || 4 * Vector<float>.Count < LayerProducts.PanelWidth) && units >= 4 * Vector<float>.Count)
        {
            MultiplyAccumulateOneBlocks<TWeight, TFormat>(ref x, ref indices, count, gather, ref m, mStride, units, ref bias, ref output, activation);
        }
        else
        {
            MultiplyAccumulateOneNarrow<TWeight, TFormat>(ref x, ref indices, count, gather, ref m, mStride, units, ref bias, ref output, activation);
        }
    }

    /// <summary><see cref="MultiplyAccumulateOne"/> for at least four vectors of units: four at a time, with two sets of accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAccumulateOneBlocks<TWeight, TFormat>(ref float x, ref int indices, nint count, bool gather, ref TWeight m, nint mStride, nint units, ref float bias, ref float output, Activation activation)
        where TWeight : unmanaged
        where TFormat : struct, IWeightFormat<TWeight>
    {
        nint width = Vector<float>.Count;
        for (nint o = 0; o < units; o += 4 * width)
        {
            o = Math.Min(o, units - (4 * width));
            bool hasBias = !Unsafe.IsNullRef(ref bias);
            Vector<float> acc0 = hasBias ? Vector.LoadUnsafe(ref bias, (nuint)o) : Vector<float>.Zero;
            Vector<float> acc1 = hasBias ? Vector.LoadUnsafe(ref bias, (nuint)(o + width)) : Vector<float>.Zero;
            Vector<float> acc2 = hasBias ? Vector.LoadUnsafe(ref bias, (nuint)(o + (2 * width))) : Vector<float>.Zero;
            Vector<float> acc3 = hasBias ? Vector.LoadUnsafe(ref bias, (nuint)(o + (3 * width))) : Vector<float>.Zero;
            Vector<float> odd0 = Vector<float>.Zero, odd1 = Vector<float>.Zero, odd2 = Vector<float>.Zero, odd3 = Vector<float>.Zero;
            ref TWeight column = ref Unsafe.Add(ref m, o);
            nint t = 0;
            if (!gather && Vector<float>.Count == Vector256<float>.Count && Avx.IsSupported)
            {
                // In order, four at a time, spread from one load (FourInputs), to the sets the pairs below would give them.
                for (; t + 4 <= count; t += 4)
                {
                    ref TWeight rows = ref Unsafe.Add(ref column, t * mStride);
                    (Vector<float> v0, Vector<float> v1, Vector<float> v2, Vector<float> v3) = FourInputs(ref x, t);
                    AddRow<TWeight, TFormat>(v0, ref rows, width, ref acc0, ref acc1, ref acc2, ref acc3);
                    AddRow<TWeight, TFormat>(v1, ref Unsafe.Add(ref rows, mStride), width, ref odd0, ref odd1, ref odd2, ref odd3);
                    AddRow<TWeight, TFormat>(v2, ref Unsafe.Add(ref rows, 2 * mStride), width, ref acc0, ref acc1, ref acc2, ref acc3);
                    AddRow<TWeight, TFormat>(v3, ref Unsafe.Add(ref rows, 3 * mStride), width, ref odd0, ref odd1, ref odd2, ref odd3);
                }
            }

            // Pairs, the first of each to the first set: t is even here, so a term goes to the same set whichever loop takes
            // it, and the sums run in one order.
            for (; t + 2 <= count; t += 2)
            {
                nint k = gather ? Unsafe.Add(ref indices, t) : t;
                AddRow<TWeight, TFormat>(new Vector<float>(Unsafe.Add(ref x, k)), ref Unsafe.Add(ref column, k * mStride), width, ref acc0, ref acc1, ref acc2, ref acc3);
                k = gather ? Unsafe.Add(ref indices, t + 1) : t + 1;
                AddRow<TWeight, TFormat>(new Vector<float>(Unsafe.Add(ref x, k)), ref Unsafe.Add(ref column, k * mStride), width, ref odd0, ref odd1, ref odd2, ref odd3);
            }

            if (t < count)
            {
                nint k = gather ? Unsafe.Add(ref indices, t) : t;
                AddRow<TWeight, TFormat>(new Vector<float>(Unsafe.Add(ref x, k)), ref Unsafe.Add(ref column, k * mStride), width, ref acc0, ref acc1, ref acc2, ref acc3);
            }

            Vector.StoreUnsafe(ActivationKernels.Apply(activation, acc0 + odd0), ref output, (nuint)o);
            Vector.StoreUnsafe(ActivationKernels.Apply(activation, acc1 + odd1), ref output, (nuint)(o + width));
            Vector.StoreUnsafe(ActivationKernels.Apply(activation, acc2 + odd2), ref output, (nuint)(o + (2 * width)));
            Vector.StoreUnsafe(ActivationKernels.Apply(activation, acc3 + odd3), ref output, (nuint)(o + (3 * width)));
        }
    }

    /// <summary>Adds the products of one input's value, in every lane of <paramref name="value"/>, with four vectors of its row to a set of accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow<TWeight, TFormat>(Vector<float> value, ref TWeight row, nint width, ref Vector<float> a0, ref Vector<float> a1, ref Vector<float> a2, ref Vector<float> a3)
        where TWeight : unmanaged
        where TFormat : struct, IWeightFormat<TWeight>
    {
        a0 = Vector.MultiplyAddEstimate(value, TFormat.LoadLow(ref row, 0), a0);
        a1 = Vector.MultiplyAddEstimate(value, TFormat.LoadHigh(ref row, 0), a1);
        a2 = Vector.MultiplyAddEstimate(value, TFormat.LoadLow(ref row, 2 * width), a2);
        a3 = Vector.MultiplyAddEstimate(value, TFormat.LoadHigh(ref row, 2 * width), a3);
    }

    /// <summary>
    /// Inputs t to t + 3, each in every lane of a 256-bit vector, from one load: its 128 bits copied to both halves, then
    /// each lane across its half. The shuffles take no load slot: broadcast from memory, each input took one beside its
    /// row's weights, and AVX2 processors load two vectors a cycle, so the 10 loads of two inputs of a panel held its 8
    /// multiply-adds to 80% of the peak.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector<float>, Vector<float>, Vector<float>, Vector<float>) FourInputs(ref float x, nint t)
    {
        Vector256<float> four = Vector256.Create(Vector128.LoadUnsafe(ref x, (nuint)t));
        return (Avx.Permute(four, 0x00).AsVector(), Avx.Permute(four, 0x55).AsVector(), Avx.Permute(four, 0xAA).AsVector(), Avx.Permute(four, 0xFF).AsVector());
    }

    /// <summary><see cref="MultiplyAccumulateOne"/> for fewer than four vectors of units: a vector at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAccumulateOneNarrow<TWeight, TFormat>(ref float x, ref int indices, nint count, bool gather, ref TWeight m, nint mStride, nint units, ref float bias, ref float output, Activation activation)
        where TWeight : unmanaged
        where TFormat : struct, IWeightFormat<TWeight>
    {
        nint width = Vector<float>.Count;
        for (nint o = 0; o < units; o += width)
        {
            o = units >= width ? Math.Min(o, units - width) : 0;
            Vector<float> acc = Unsafe.IsNullRef(ref bias) ? Vector<float>.Zero : Vector.LoadUnsafe(ref bias, (nuint)o);
            ref TWeight column = ref Unsafe.Add(ref m, o);

            // Four accumulators over consecutive terms: one vector of units is too few to hide the
            // multiply-add's latency otherwise.
            Vector<float> acc1 = Vector<float>.Zero, acc2 = Vector<float>.Zero, acc3 = Vector<float>.Zero;
            nint t = 0;
            if (!gather && Vector<float>.Count == Vector256<float>.Count && Avx.IsSupported)
            {
                // In order, eight at a time, spread from loads of four as FourInputs spreads them, into eight accumulators: with no
                // broadcast to load, a vector of weights a term, four accumulators left the multiply-adds waiting on
                // each other's latency.
                Vector<float> acc4 = Vector<float>.Zero, acc5 = Vector<float>.Zero, acc6 = Vector<float>.Zero, acc7 = Vector<float>.Zero;
                for (; t + 8 <= count; t += 8)
                {
                    ref TWeight rows = ref Unsafe.Add(ref column, t * mStride);
                    Vector256<float> four = Vector256.Create(Vector128.LoadUnsafe(ref x, (nuint)t));
                    acc = Vector.MultiplyAddEstimate(Avx.Permute(four, 0x00).AsVector(), TFormat.Load(ref rows, 0), acc);
                    acc1 = Vector.MultiplyAddEstimate(Avx.Permute(four, 0x55).AsVector(), TFormat.Load(ref rows, mStride), acc1);
                    acc2 = Vector.MultiplyAddEstimate(Avx.Permute(four, 0xAA).AsVector(), TFormat.Load(ref rows, 2 * mStride), acc2);
                    acc3 = Vector.MultiplyAddEstimate(Avx.Permute(four, 0xFF).AsVector(), TFormat.Load(ref rows, 3 * mStride), acc3);
                    four = Vector256.Create(Vector128.LoadUnsafe(ref x, (nuint)(t + 4)));
                    acc4 = Vector.MultiplyAddEstimate(Avx.Permute(four, 0x00).AsVector(), TFormat.Load(ref rows, 4 * mStride), acc4);
                    acc5 = Vector.MultiplyAddEstimate(Avx.Permute(four, 0x55).AsVector(), TFormat.Load(ref rows, 5 * mStride), acc5);
                    acc6 = Vector.MultiplyAddEstimate(Avx.Permute(four, 0xAA).AsVector(), TFormat.Load(ref rows, 6 * mStride), acc6);
                    acc7 = Vector.MultiplyAddEstimate(Avx.Permute(four, 0xFF).AsVector(), TFormat.Load(ref rows, 7 * mStride), acc7);
                }

                acc = (acc + acc4) + (acc1 + acc5);
                acc2 = (acc2 + acc6) + (acc3 + acc7);
                acc1 = acc3 = Vector<float>.Zero;
            }
            else
            {
                for (; t + 4 <= count; t += 4)
                {
                    nint k0 = gather ? Unsafe.Add(ref indices, t) : t;
                    nint k1 = gather ? Unsafe.Add(ref indices, t + 1) : t + 1;
                    nint k2 = gather ? Unsafe.Add(ref indices, t + 2) : t + 2;
                    nint k3 = gather ? Unsafe.Add(ref indices, t + 3) : t + 3;
                    acc = Vector.MultiplyAddEstimate(new Vector<float>(Unsafe.Add(ref x, k0)), TFormat.Load(ref column, k0 * mStride), acc);
                    acc1 = Vector.MultiplyAddEstimate(new Vector<float>(Unsafe.Add(ref x, k1)), TFormat.Load(ref column, k1 * mStride), acc1);
                    acc2 = Vector.MultiplyAddEstimate(new Vector<float>(Unsafe.Add(ref x, k2)), TFormat.Load(ref column, k2 * mStride), acc2);
                    acc3 = Vector.MultiplyAddEstimate(new Vector<float>(Unsafe.Add(ref x, k3)), TFormat.Load(ref column, k3 * mStride), acc3);
                }
            }

            for (; t < count; t++)
            {
                nint k = gather ? Unsafe.Add(ref indices, t) : t;
                acc = Vector.MultiplyAddEstimate(new Vector<float>(Unsafe.Add(ref x, k)), TFormat.Load(ref column, k * mStride), acc);
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
    private static void MultiplyAccumulateOneWide<TWeight, TFormat>(ref float x, ref int indices, nint count, bool gather, ref TWeight m, nint mStride, nint units, ref float bias, ref float output, Activation activation)
        where TWeight : unmanaged
        where TFormat : struct, IWeightFormat<TWeight>
    {
        nint width = Vector512<float>.Count;
        for (nint o = 0; o < units; o += 2 * width)
        {
            o = Math.Min(o, units - (2 * width));
            bool hasBias = !Unsafe.IsNullRef(ref bias);
            Vector512<float> a0 = hasBias ? Vector512.LoadUnsafe(ref bias, (nuint)o) : Vector512<float>.Zero, a1 = hasBias ? Vector512.LoadUnsafe(ref bias, (nuint)(o + width)) : Vector512<float>.Zero;
            Vector512<float> b0 = Vector512<float>.Zero, b1 = Vector512<float>.Zero, c0 = Vector512<float>.Zero, c1 = Vector512<float>.Zero, d0 = Vector512<float>.Zero, d1 = Vector512<float>.Zero;
            ref TWeight column = ref Unsafe.Add(ref m, o);
            nint t = 0;
            for (; t + 4 <= count; t += 4)
            {
                // In order, the four inputs come from one load, spread as FourInputs spreads them, in each 128-bit quarter;
                // listed, each is broadcast. The quarters are filled by a shuffle of the register: Vector512.Create of the
                // 256 bits was built in a stack slot, stored and reloaded every iteration, and when the slot straddled a
                // cache line the store could not be forwarded to the load (FMNIST's sample took 10 µs in one process and
                // 20 in another).
                Vector512<float> four = gather ? default : Vector128.LoadUnsafe(ref x, (nuint)t).ToVector256Unsafe().ToVector512Unsafe();
                four = gather ? default : Avx512F.Shuffle4x128(four, four, 0x00);
                nint k = gather ? Unsafe.Add(ref indices, t) : t;
                Vector512<float> sk = gather ? Vector512.Create(Unsafe.Add(ref x, k)) : Avx512F.Permute4x32(four, 0x00);
                ref TWeight row = ref Unsafe.Add(ref column, k * mStride);
                a0 = Vector512.MultiplyAddEstimate(sk, TFormat.LoadLow512(ref row, 0), a0);
                a1 = Vector512.MultiplyAddEstimate(sk, TFormat.LoadHigh512(ref row, 0), a1);
                k = gather ? Unsafe.Add(ref indices, t + 1) : t + 1;
                sk = gather ? Vector512.Create(Unsafe.Add(ref x, k)) : Avx512F.Permute4x32(four, 0x55);
                row = ref Unsafe.Add(ref column, k * mStride);
                b0 = Vector512.MultiplyAddEstimate(sk, TFormat.LoadLow512(ref row, 0), b0);
                b1 = Vector512.MultiplyAddEstimate(sk, TFormat.LoadHigh512(ref row, 0), b1);
                k = gather ? Unsafe.Add(ref indices, t + 2) : t + 2;
                sk = gather ? Vector512.Create(Unsafe.Add(ref x, k)) : Avx512F.Permute4x32(four, 0xAA);
                row = ref Unsafe.Add(ref column, k * mStride);
                c0 = Vector512.MultiplyAddEstimate(sk, TFormat.LoadLow512(ref row, 0), c0);
                c1 = Vector512.MultiplyAddEstimate(sk, TFormat.LoadHigh512(ref row, 0), c1);
                k = gather ? Unsafe.Add(ref indices, t + 3) : t + 3;
                sk = gather ? Vector512.Create(Unsafe.Add(ref x, k)) : Avx512F.Permute4x32(four, 0xFF);
                row = ref Unsafe.Add(ref column, k * mStride);
                d0 = Vector512.MultiplyAddEstimate(sk, TFormat.LoadLow512(ref row, 0), d0);
                d1 = Vector512.MultiplyAddEstimate(sk, TFormat.LoadHigh512(ref row, 0), d1);
            }

            for (; t < count; t++)
            {
                nint k = gather ? Unsafe.Add(ref indices, t) : t;
                Vector512<float> sk = Vector512.Create(Unsafe.Add(ref x, k));
                ref TWeight row = ref Unsafe.Add(ref column, k * mStride);
                a0 = Vector512.MultiplyAddEstimate(sk, TFormat.LoadLow512(ref row, 0), a0);
                a1 = Vector512.MultiplyAddEstimate(sk, TFormat.LoadHigh512(ref row, 0), a1);
            }

            Vector512.StoreUnsafe(ActivationKernels.Apply(activation, (a0 + b0) + (c0 + d0)), ref output, (nuint)o);
            Vector512.StoreUnsafe(ActivationKernels.Apply(activation, (a1 + b1) + (c1 + d1)), ref output, (nuint)(o + width));
        }
    }

    /// <summary>The single-sample product of panels first to end (exclusive) of a panel layer, one kernel call per panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Panels<TWeight, TFormat>(ref float x, ref int listed, nint count, bool gather, ref TWeight w, ref float b, ref float a, nint inputs, nint units, bool wholePanels, nint first, nint end, Activation activation)
        where TWeight : unmanaged
        where TFormat : struct, IWeightFormat<TWeight>
    {
        const int width = LayerProducts.PanelWidth;
        // Both tests read units itself, not a local, so that where units is a constant the JIT drops a call site that is
        // never taken before it spends any of the caller's inlining budget on it.
        nint full = units / width;
        if (units >= width)
        {
            for (nint j = first; j < Math.Min(end, full); j++)
            {
                MultiplyAccumulateOne<TWeight, TFormat>(ref x, ref listed, count, gather, ref Unsafe.Add(ref w, j * inputs * width), width, width, ref Unsafe.IsNullRef(ref b) ? ref b : ref Unsafe.Add(ref b, j * width), ref Unsafe.Add(ref a, j * width), activation, narrowerThanPanel: false);
            }
        }

        // The narrower last panel, if any.
        if (!wholePanels && units % width != 0 && end > full)
        {
            MultiplyAccumulateOne<TWeight, TFormat>(ref x, ref listed, count, gather, ref Unsafe.Add(ref w, full * inputs * width), units % width, units % width, ref Unsafe.IsNullRef(ref b) ? ref b : ref Unsafe.Add(ref b, full * width), ref Unsafe.Add(ref a, full * width), activation, narrowerThanPanel: true);
        }
    }
}
