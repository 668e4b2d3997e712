using System.Numerics;
using System.Runtime.CompilerServices;

namespace StaticNet.Kernels;

/// <summary>
/// One element-wise function, written once for whole vectors. The loops in
/// <see cref="ActivationKernels"/> are generic over these structs, so the JIT compiles one
/// specialised loop per function with the function inlined.
/// </summary>
internal interface IElementwiseFunction
{
    /// <summary>Returns <c>f(z)</c>.</summary>
    static abstract Vector<float> Apply(Vector<float> z);
}

/// <summary>An element-wise activation: a function and its derivative.</summary>
internal interface IActivationFunction : IElementwiseFunction
{
    /// <summary>Returns <c>f'(z)</c>, given <c>z</c> and <c>a = f(z)</c>, whichever is cheaper.</summary>
    static abstract Vector<float> Derivative(Vector<float> z, Vector<float> a);
}

/// <summary>e^z, the step of Softmax that dominates its cost.</summary>
internal readonly struct ExpFunction : IElementwiseFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Apply(Vector<float> z) => VectorMath.Exp(z);
}

internal readonly struct LinearFunction : IActivationFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Apply(Vector<float> z) => z;

    public static Vector<float> Derivative(Vector<float> z, Vector<float> a) => Vector<float>.One;
}

internal readonly struct ReLUFunction : IActivationFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Apply(Vector<float> z) => Vector.Max(z, Vector<float>.Zero);

    public static Vector<float> Derivative(Vector<float> z, Vector<float> a) =>
        Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<float>.Zero), Vector<float>.One, Vector<float>.Zero);
}

internal readonly struct LeakyReLUFunction : IActivationFunction
{
    private const float Slope = 0.01f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Apply(Vector<float> z) =>
        Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<float>.Zero), z, z * Slope);

    public static Vector<float> Derivative(Vector<float> z, Vector<float> a) =>
        Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<float>.Zero), Vector<float>.One, new Vector<float>(Slope));
}

internal readonly struct SigmoidFunction : IActivationFunction
{
    // exp(-z) overflows to infinity for very negative z, which correctly yields 0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Apply(Vector<float> z) => Vector<float>.One / (Vector<float>.One + VectorMath.Exp(-z));

    public static Vector<float> Derivative(Vector<float> z, Vector<float> a) => a * (Vector<float>.One - a);
}

internal readonly struct TanhFunction : IActivationFunction
{
    // Near zero, 1 - 2 / (e^2z + 1) loses digits to cancellation; the odd Taylor series is
    // accurate to float precision there.
    private const float SeriesLimit = 0.25f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Apply(Vector<float> z)
    {
        Vector<float> z2 = z * z;
        Vector<float> series = z * (Vector<float>.One + z2 * (new Vector<float>(-1f / 3) + z2 * (new Vector<float>(2f / 15) + z2 * new Vector<float>(-17f / 315))));
        Vector<float> viaExp = Vector<float>.One - new Vector<float>(2f) / (VectorMath.Exp(z + z) + Vector<float>.One);
        return Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(z), new Vector<float>(SeriesLimit)), series, viaExp);
    }

    public static Vector<float> Derivative(Vector<float> z, Vector<float> a) => Vector<float>.One - a * a;
}

internal readonly struct ELUFunction : IActivationFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Apply(Vector<float> z) =>
        Vector.ConditionalSelect(
            Vector.GreaterThan(z, Vector<float>.Zero),
            z,
            VectorMath.Exp(Vector.Min(z, Vector<float>.Zero)) - Vector<float>.One);

    public static Vector<float> Derivative(Vector<float> z, Vector<float> a) =>
        Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<float>.Zero), Vector<float>.One, a + Vector<float>.One);
}

internal readonly struct SiLUFunction : IActivationFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Apply(Vector<float> z) => z * SigmoidFunction.Apply(z);

    // d/dz z·s(z) = s + z·s·(1 - s) = s + a·(1 - s).
    public static Vector<float> Derivative(Vector<float> z, Vector<float> a)
    {
        Vector<float> s = SigmoidFunction.Apply(z);
        return s + a * (Vector<float>.One - s);
    }
}

internal readonly struct GELUFunction : IActivationFunction
{
    private const float Scale = 0.7978845608028654f; // sqrt(2 / pi)
    private const float Cubic = 0.044715f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Apply(Vector<float> z) =>
        new Vector<float>(0.5f) * z * (Vector<float>.One + TanhFunction.Apply(Inner(z)));

    public static Vector<float> Derivative(Vector<float> z, Vector<float> a)
    {
        Vector<float> t = TanhFunction.Apply(Inner(z));
        Vector<float> innerSlope = new Vector<float>(Scale) * (Vector<float>.One + new Vector<float>(3 * Cubic) * z * z);
        return new Vector<float>(0.5f) * (Vector<float>.One + t + z * (Vector<float>.One - t * t) * innerSlope);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Inner(Vector<float> z) => new Vector<float>(Scale) * (z + new Vector<float>(Cubic) * z * z * z);
}

internal readonly struct SoftplusFunction : IActivationFunction
{
    private const float Threshold = 20f;

    // max(z, 0) + log(1 + e^-|z|) never overflows; above the threshold PyTorch returns z itself.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Apply(Vector<float> z)
    {
        Vector<float> stable = Vector.Max(z, Vector<float>.Zero) + Vector.Log(Vector<float>.One + VectorMath.Exp(-Vector.Abs(z)));
        return Vector.ConditionalSelect(Vector.GreaterThan(z, new Vector<float>(Threshold)), z, stable);
    }

    public static Vector<float> Derivative(Vector<float> z, Vector<float> a) =>
        Vector.ConditionalSelect(Vector.GreaterThan(z, new Vector<float>(Threshold)), Vector<float>.One, SigmoidFunction.Apply(z));
}
