using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StaticNet.Kernels;

/// <summary>
/// How the single-sample products read a run of weights into vectors of floats, so that one kernel serves every
/// storage format: a struct type argument, which the JIT compiles into the kernel with nothing left to call.
/// </summary>
/// <typeparam name="TWeight">The stored element.</typeparam>
internal interface IWeightFormat<TWeight>
    where TWeight : unmanaged
{
    /// <summary>The <see cref="Vector{T}.Count"/> weights from <paramref name="offset"/> elements past <paramref name="row"/>.</summary>
    static abstract Vector<float> Load(ref TWeight row, nint offset);

    /// <summary>
    /// Of the 2 · <see cref="Vector{T}.Count"/> weights from <paramref name="offset"/> elements past <paramref name="row"/>, stored
    /// as <see cref="PairPosition"/> says, the first <see cref="Vector{T}.Count"/>. The pair is read as two calls, each used
    /// at once in a multiply-add, rather than into named vectors: the extra locals put the kernel over the JIT's limit on
    /// an inlinee's locals, and a kernel left as a call loses the constant width and activation it is specialised for.
    /// </summary>
    static abstract Vector<float> LoadLow(ref TWeight row, nint offset);

    /// <summary>Of the weights that <see cref="LoadLow"/> reads the first of, the other <see cref="Vector{T}.Count"/>.</summary>
    static abstract Vector<float> LoadHigh(ref TWeight row, nint offset);

    /// <summary>
    /// Of the 32 weights from <paramref name="offset"/> elements past <paramref name="row"/>, stored as <see cref="PairPosition"/>
    /// says for vectors of 16, the first 16; only where <see cref="Vector512.IsHardwareAccelerated"/>.
    /// </summary>
    static abstract Vector512<float> LoadLow512(ref TWeight row, nint offset);

    /// <summary>Of the weights that <see cref="LoadLow512"/> reads the first of, the other 16.</summary>
    static abstract Vector512<float> LoadHigh512(ref TWeight row, nint offset);

    /// <summary>Where a run read by a pair of vectors of <paramref name="width"/> lanes stores its weight <paramref name="index"/>.</summary>
    static abstract int PairPosition(int index, int width);
}

/// <summary>Weights stored as float32: a plain load.</summary>
internal readonly struct SingleWeights : IWeightFormat<float>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Load(ref float row, nint offset) => Vector.LoadUnsafe(ref row, (nuint)offset);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> LoadLow(ref float row, nint offset) => Vector.LoadUnsafe(ref row, (nuint)offset);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> LoadHigh(ref float row, nint offset) => Vector.LoadUnsafe(ref row, (nuint)(offset + Vector<float>.Count));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadLow512(ref float row, nint offset) => Vector512.LoadUnsafe(ref row, (nuint)offset);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadHigh512(ref float row, nint offset) => Vector512.LoadUnsafe(ref row, (nuint)(offset + Vector512<float>.Count));

    /// <inheritdoc/>
    public static int PairPosition(int index, int width) => index;
}

/// <summary>
/// Weights stored as the bits of IEEE half-precision values with no subnormals (see <see cref="HalfPrecisionPredictor"/>),
/// read as w · 2^-112 and so multiplied by inputs scaled by <see cref="InputScale"/>. Moving a half's sign, exponent and
/// mantissa into a float's places gives exactly w · 2^-112, a normal float: an arithmetic shift that copies the sign
/// and a mask, where rebiasing the exponent would take a multiply or a test for zero more per vector. .NET 10 exposes no
/// F16C (<c>vcvtph2ps</c>) intrinsic, so this is the conversion on every processor.
/// </summary>
/// <remarks>
/// A pair of vectors is one load of 32-bit lanes, each holding a weight of the first vector in its low half and the
/// weight of the second vector in the same lane in its high half: the high halves need only the shift and the mask, the
/// low halves a multiply-add of 16-bit lanes (<c>vpmaddwd</c>) that sign-extends and shifts them at once, and neither
/// needs the lane-crossing widen of a run stored in order, which measured slower on Zen 4.
/// </remarks>
internal readonly struct ScaledHalfWeights : IWeightFormat<short>
{
    /// <summary>2^112, by which the inputs of a layer are multiplied.</summary>
    public const float InputScale = 5.192297E+33f;

    /// <summary>The largest input magnitude whose scaled value stays finite: 2^16.</summary>
    public const float MaxInput = 65536f;

    // The sign, copied into the top bits by the shift, and the exponent and mantissa in place.
    private const int Kept = unchecked((int)0x8FFFE000);

    // Per 32-bit lane: the low 16 bits times 2^13, the high 16 bits times 0.
    private const int LowShifted = 1 << 13;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Load(ref short row, nint offset)
    {
        Vector<int> widened;
        if (Vector<int>.Count == Vector256<int>.Count && Avx2.IsSupported)
        {
            widened = Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref row, (nuint)offset)).AsVector();
        }
        else if (Vector<int>.Count == Vector128<int>.Count && Sse41.IsSupported)
        {
            long four = Unsafe.ReadUnaligned<long>(ref Unsafe.As<short, byte>(ref Unsafe.Add(ref row, offset)));
            widened = Sse41.ConvertToVector128Int32(Vector128.CreateScalarUnsafe(four).AsInt16()).AsVector();
        }
        else
        {
            widened = Vector.WidenLower(Vector.LoadUnsafe(ref row, (nuint)offset));
        }

        return Vector.AsVectorSingle((widened << 13) & new Vector<int>(Kept));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> LoadLow(ref short row, nint offset)
    {
        Vector<int> pairs = Pairs(ref row, offset);
        Vector<int> shifted = Vector<int>.Count == Vector256<int>.Count && Avx2.IsSupported
            ? Avx2.MultiplyAddAdjacent(pairs.AsVector256().AsInt16(), Vector256.Create(LowShifted).AsInt16()).AsVector()
            : Vector.ShiftRightArithmetic(pairs << 16, 3);
        return Vector.AsVectorSingle(shifted & new Vector<int>(Kept));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> LoadHigh(ref short row, nint offset) =>
        Vector.AsVectorSingle(Vector.ShiftRightArithmetic(Pairs(ref row, offset), 3) & new Vector<int>(Kept));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadLow512(ref short row, nint offset)
    {
        Vector512<int> pairs = Pairs512(ref row, offset);
        Vector512<int> shifted = Avx512BW.IsSupported
            ? Avx512BW.MultiplyAddAdjacent(pairs.AsInt16(), Vector512.Create(LowShifted).AsInt16())
            : Vector512.ShiftRightArithmetic(pairs << 16, 3);
        return (shifted & Vector512.Create(Kept)).AsSingle();
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadHigh512(ref short row, nint offset) =>
        (Vector512.ShiftRightArithmetic(Pairs512(ref row, offset), 3) & Vector512.Create(Kept)).AsSingle();

    /// <inheritdoc/>
    public static int PairPosition(int index, int width) => index < width ? 2 * index : (2 * (index - width)) + 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<int> Pairs(ref short row, nint offset) => Vector.LoadUnsafe(ref Unsafe.As<short, int>(ref Unsafe.Add(ref row, offset)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Pairs512(ref short row, nint offset) => Vector512.LoadUnsafe(ref Unsafe.As<short, int>(ref Unsafe.Add(ref row, offset)));
}
