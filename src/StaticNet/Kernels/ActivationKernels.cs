using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace StaticNet.Kernels;

/// <summary>
/// Vectorised activations and their derivatives over contiguous rows, called by generated
/// networks once per layer and batch.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ActivationKernels
{
    /// <summary>
    /// Writes <c>a = f(z)</c>. <paramref name="z"/> and <paramref name="a"/> may be the same memory.
    /// </summary>
    /// <param name="activation">The activation <c>f</c>.</param>
    /// <param name="z">Pre-activations, <paramref name="units"/> per row.</param>
    /// <param name="a">Receives the activations; as long as <paramref name="z"/>.</param>
    /// <param name="units">The row width; only Softmax, which normalises each row, uses it.</param>
    public static void Forward(Activation activation, ReadOnlySpan<float> z, Span<float> a, int units)
    {
        switch (activation)
        {
            case Activation.Linear: z.CopyTo(a); break;
            case Activation.ReLU: Map<ReLUFunction>(z, a); break;
            case Activation.LeakyReLU: Map<LeakyReLUFunction>(z, a); break;
            case Activation.Sigmoid: Map<SigmoidFunction>(z, a); break;
            case Activation.Tanh: Map<TanhFunction>(z, a); break;
            case Activation.Softmax: Softmax(z, a, units); break;
            case Activation.ELU: Map<ELUFunction>(z, a); break;
            case Activation.SiLU: Map<SiLUFunction>(z, a); break;
            case Activation.GELU: Map<GELUFunction>(z, a); break;
            case Activation.Softplus: Map<SoftplusFunction>(z, a); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation, "Not a defined activation.");
        }
    }

    /// <summary>
    /// Turns the gradient with respect to the activations into the gradient with respect to
    /// the pre-activations, in place: <c>g = g · f'(z)</c>, or for Softmax the product with
    /// its Jacobian, <c>g_j = a_j (g_j - sum_k g_k a_k)</c> per row.
    /// </summary>
    /// <param name="activation">The activation <c>f</c>.</param>
    /// <param name="z">The pre-activations of the forward pass.</param>
    /// <param name="a">The activations of the forward pass.</param>
    /// <param name="gradient">The gradient, rewritten in place.</param>
    /// <param name="units">The row width; only Softmax uses it.</param>
    public static void Backward(Activation activation, ReadOnlySpan<float> z, ReadOnlySpan<float> a, Span<float> gradient, int units)
    {
        switch (activation)
        {
            case Activation.Linear: break;
            case Activation.ReLU: Chain<ReLUFunction>(z, a, gradient); break;
            case Activation.LeakyReLU: Chain<LeakyReLUFunction>(z, a, gradient); break;
            case Activation.Sigmoid: Chain<SigmoidFunction>(z, a, gradient); break;
            case Activation.Tanh: Chain<TanhFunction>(z, a, gradient); break;
            case Activation.Softmax: SoftmaxBackward(a, gradient, units); break;
            case Activation.ELU: Chain<ELUFunction>(z, a, gradient); break;
            case Activation.SiLU: Chain<SiLUFunction>(z, a, gradient); break;
            case Activation.GELU: Chain<GELUFunction>(z, a, gradient); break;
            case Activation.Softplus: Chain<SoftplusFunction>(z, a, gradient); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation, "Not a defined activation.");
        }
    }

    /// <summary>
    /// Returns <c>f(z)</c> for every lane of one vector: the form the products use to apply an activation
    /// in registers before they store. Softmax, whose normalisation spans the whole layer, passes the
    /// pre-activations through: its caller normalises them once every unit is stored. A caller that passes
    /// its own activation argument on, rather than a value it computed, keeps a constant activation constant
    /// for the JIT, which then inlines only that function.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="activation"/> is not defined.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Apply(Activation activation, Vector<float> z) => activation switch
    {
        Activation.Linear or Activation.Softmax => z,
        Activation.ReLU => ReLUFunction.Apply(z),
        Activation.LeakyReLU => LeakyReLUFunction.Apply(z),
        Activation.Sigmoid => SigmoidFunction.Apply(z),
        Activation.Tanh => TanhFunction.Apply(z),
        Activation.ELU => ELUFunction.Apply(z),
        Activation.SiLU => SiLUFunction.Apply(z),
        Activation.GELU => GELUFunction.Apply(z),
        Activation.Softplus => SoftplusFunction.Apply(z),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Not an element-wise activation."),
    };

    /// <summary>
    /// Returns <c>f(z)</c> for every lane of a 512-bit vector, for the kernels that use them where they are
    /// fast: the functions are written once, for <see cref="Vector{T}"/>, and applied to each part of
    /// <paramref name="z"/> that width holds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="activation"/> is not defined.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Apply(Activation activation, Vector512<float> z)
    {
        if (activation is Activation.Linear or Activation.Softmax)
        {
            return z;
        }

        if (Vector<float>.Count == Vector512<float>.Count)
        {
            return Apply(activation, z.AsVector()).AsVector512();
        }

        if (Vector<float>.Count == Vector256<float>.Count)
        {
            // The halves joined in registers: Vector512.Create of two halves was built in a stack slot, stored and
            // reloaded, whose store is not forwarded to the load when the slot straddles a cache line.
            return Apply(activation, z.GetLower().AsVector()).AsVector256().ToVector512Unsafe()
                .WithUpper(Apply(activation, z.GetUpper().AsVector()).AsVector256());
        }

        Span<float> lanes = stackalloc float[Vector512<float>.Count];
        z.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i += Vector<float>.Count)
        {
            Apply(activation, new Vector<float>(lanes[i..])).CopyTo(lanes[i..]);
        }

        return Vector512.Create<float>(lanes);
    }

    private static void Map<TFunction>(ReadOnlySpan<float> z, Span<float> a)
        where TFunction : IElementwiseFunction
    {
        ref float zs = ref MemoryMarshal.GetReference(z);
        ref float az = ref MemoryMarshal.GetReference(a);
        nuint length = (nuint)z.Length;
        nuint i = 0;
        for (; i + (nuint)Vector<float>.Count <= length; i += (nuint)Vector<float>.Count)
        {
            TFunction.Apply(Vector.LoadUnsafe(ref zs, i)).StoreUnsafe(ref az, i);
        }

        if (i < length)
        {
            // The tail goes through one zero-padded vector, so each function is written once.
            int rest = (int)(length - i);
            Span<float> lane = stackalloc float[Vector<float>.Count];
            lane.Clear();
            z.Slice((int)i, rest).CopyTo(lane);
            TFunction.Apply(new Vector<float>(lane)).CopyTo(lane);
            lane[..rest].CopyTo(a[(int)i..]);
        }
    }

    private static void Chain<TFunction>(ReadOnlySpan<float> z, ReadOnlySpan<float> a, Span<float> gradient)
        where TFunction : IActivationFunction
    {
        ref float zs = ref MemoryMarshal.GetReference(z);
        ref float az = ref MemoryMarshal.GetReference(a);
        ref float gs = ref MemoryMarshal.GetReference(gradient);
        nuint length = (nuint)gradient.Length;
        nuint i = 0;
        for (; i + (nuint)Vector<float>.Count <= length; i += (nuint)Vector<float>.Count)
        {
            Vector<float> derivative = TFunction.Derivative(Vector.LoadUnsafe(ref zs, i), Vector.LoadUnsafe(ref az, i));
            (Vector.LoadUnsafe(ref gs, i) * derivative).StoreUnsafe(ref gs, i);
        }

        if (i < length)
        {
            int rest = (int)(length - i);
            Span<float> zLane = stackalloc float[Vector<float>.Count];
            Span<float> aLane = stackalloc float[Vector<float>.Count];
            zLane.Clear();
            aLane.Clear();
            z.Slice((int)i, rest).CopyTo(zLane);
            a.Slice((int)i, rest).CopyTo(aLane);
            Vector<float> derivative = TFunction.Derivative(new Vector<float>(zLane), new Vector<float>(aLane));
            for (int k = 0; k < rest; k++)
            {
                Unsafe.Add(ref gs, (nint)i + k) *= derivative[k];
            }
        }
    }

    /// <summary>
    /// Softmax of each row of <paramref name="units"/>: the row's maximum is taken off every value, the
    /// exponentials of the whole block are taken in one pass of whole vectors (rows are often narrower than a
    /// vector: 10 classes), and each row is scaled by the inverse of its sum.
    /// </summary>
    private static void Softmax(ReadOnlySpan<float> z, Span<float> a, int units)
    {
        if (z.Length == units && units <= Vector<float>.Count)
        {
            SoftmaxNarrowRow(z, a);
            return;
        }

        int length = z.Length / units * units;
        for (int row = 0; row < length; row += units)
        {
            ReadOnlySpan<float> zr = z.Slice(row, units);
            Span<float> ar = a.Slice(row, units);
            // One instruction, where MathF.Max orders NaN and signed zeros in several; a NaN in the row makes every
            // output NaN through its own exponential and the sum, whichever value the maximum keeps.
            float max = float.NegativeInfinity;
            foreach (float value in zr)
            {
                max = float.MaxNative(max, value);
            }

            for (int j = 0; j < units; j++)
            {
                ar[j] = zr[j] - max;
            }
        }

        Map<ExpFunction>(a[..length], a);
        for (int row = 0; row < length; row += units)
        {
            Span<float> ar = a.Slice(row, units);
            float sum = 0;
            foreach (float value in ar)
            {
                sum += value;
            }

            float scale = 1f / sum;
            for (int j = 0; j < units; j++)
            {
                ar[j] *= scale;
            }
        }
    }

    /// <summary>
    /// Softmax of one row no wider than a vector, as a single sample's few classes are, computed as
    /// <see cref="Softmax"/> computes it, to the bit, but in one register from load to store: TINY's 4 classes
    /// took 56 ns through the passes over the row and the exponentials' zero-padded tail.
    /// </summary>
    private static void SoftmaxNarrowRow(ReadOnlySpan<float> z, Span<float> a)
    {
        int units = z.Length;
        Span<float> lane = stackalloc float[Vector<float>.Count];
        float max = float.NegativeInfinity;
        for (int j = 0; j < units; j++)
        {
            lane[j] = z[j];
            max = float.MaxNative(max, z[j]);
        }

        // The lanes past the row are computed and dropped.
        Vector<float> exps = ExpFunction.Apply(new Vector<float>(lane) - new Vector<float>(max));
        exps.CopyTo(lane);
        float sum = 0;
        for (int j = 0; j < units; j++)
        {
            sum += lane[j];
        }

        (exps * (1f / sum)).CopyTo(lane);
        for (int j = 0; j < units; j++)
        {
            a[j] = lane[j];
        }
    }

    private static void SoftmaxBackward(ReadOnlySpan<float> a, Span<float> gradient, int units)
    {
        for (int row = 0; row + units <= gradient.Length; row += units)
        {
            ReadOnlySpan<float> ar = a.Slice(row, units);
            Span<float> gr = gradient.Slice(row, units);
            float dot = 0;
            for (int j = 0; j < units; j++)
            {
                dot += gr[j] * ar[j];
            }

            for (int j = 0; j < units; j++)
            {
                gr[j] = ar[j] * (gr[j] - dot);
            }
        }
    }
}
