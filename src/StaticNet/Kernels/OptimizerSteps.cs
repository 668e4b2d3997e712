using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using StaticNet.Training;

namespace StaticNet.Kernels;

/// <summary>
/// The fused optimizer updates, one pass over memory per step: each reads a parameter, its gradient and
/// its state once and writes the parameter and state back. They work on a range of the parameter storage
/// (whole widest vectors), so that the threads of a parallel step each update their own units.
/// </summary>
/// <remarks>
/// Each update is written twice, in 512-bit vectors where those are fast and in portable ones elsewhere:
/// .NET 10 has no public interface over the vector types (<c>ISimdVector</c> is internal) through which
/// one generic loop could serve both.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class OptimizerSteps
{
    /// <summary>
    /// One Adam (or AdamW) step over the parameters [start, start + length), with PyTorch's formulas (see
    /// <see cref="AdamCoefficients"/>): one division a parameter, the bias correction of √v being a
    /// multiplication by its inverse. With <paramref name="maxSecondMoment"/>, AMSGrad (PyTorch's <c>amsgrad=True</c>):
    /// the denominator takes the largest second moment so far, which the buffer keeps.
    /// </summary>
    /// <param name="parameters">The parameter storage, padding included.</param>
    /// <param name="gradients">The gradients, as long as the storage.</param>
    /// <param name="firstMoment">Adam's running mean of gradients, updated in place.</param>
    /// <param name="secondMoment">Adam's running mean of squared gradients, updated in place.</param>
    /// <param name="maxSecondMoment">AMSGrad's largest second moment of each parameter so far, updated in place; empty without AMSGrad.</param>
    /// <param name="c">The step's coefficients.</param>
    /// <param name="start">The first parameter to update; a multiple of <see cref="ParameterStorage.Alignment"/>.</param>
    /// <param name="length">How many to update; a multiple of <see cref="ParameterStorage.Alignment"/>.</param>
    /// <exception cref="ArgumentException">A buffer is shorter than the parameters.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is not whole vectors within the parameters.</exception>
    public static void Adam(
        Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> firstMoment, Span<float> secondMoment, Span<float> maxSecondMoment,
        in AdamCoefficients c, int start, int length)
    {
        Guard.StorageRange(start, length, parameters.Length);
        Guard.StorageLength(gradients.Length, parameters.Length, nameof(gradients));
        Guard.StorageLength(firstMoment.Length, parameters.Length, nameof(firstMoment));
        Guard.StorageLength(secondMoment.Length, parameters.Length, nameof(secondMoment));
        bool amsgrad = !maxSecondMoment.IsEmpty;
        if (amsgrad)
        {
            Guard.StorageLength(maxSecondMoment.Length, parameters.Length, nameof(maxSecondMoment));
        }

        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float m = ref MemoryMarshal.GetReference(firstMoment);
        ref float v = ref MemoryMarshal.GetReference(secondMoment);
        ref float vMax = ref MemoryMarshal.GetReference(maxSecondMoment);
        float inverseCorrection2 = 1f / c.SecondBiasCorrectionSqrt;
        nuint end = (nuint)(start + length);

        // The moments of parameters whose gradients have stopped decay through the subnormal numbers; on
        // a Zen 5, 256-bit vectors took 2 to 4 times as long over those, and 512-bit ones no longer than
        // over any others. AMSGrad, the rarer variant, takes the portable loop only.
        if (Vector512.IsHardwareAccelerated && !amsgrad)
        {
            Vector512<float> beta1 = Vector512.Create(c.Beta1), rest1 = Vector512.Create(1f - c.Beta1);
            Vector512<float> beta2 = Vector512.Create(c.Beta2), rest2 = Vector512.Create(1f - c.Beta2);
            Vector512<float> epsilon = Vector512.Create(c.Epsilon), stepSize = Vector512.Create(c.StepSize), correction2 = Vector512.Create(inverseCorrection2);
            Vector512<float> gradientDecay = Vector512.Create(c.GradientDecay), parameterDecay = Vector512.Create(c.ParameterDecay);
            for (nuint k = (nuint)start; k < end; k += (nuint)Vector512<float>.Count)
            {
                Vector512<float> pk = Vector512.LoadUnsafe(ref p, k);
                Vector512<float> gk = Vector512.MultiplyAddEstimate(gradientDecay, pk, Vector512.LoadUnsafe(ref g, k));
                Vector512<float> mk = (beta1 * Vector512.LoadUnsafe(ref m, k)) + (rest1 * gk);
                Vector512<float> vk = (beta2 * Vector512.LoadUnsafe(ref v, k)) + (rest2 * gk * gk);
                Vector512<float> denominator = Vector512.MultiplyAddEstimate(Vector512.Sqrt(vk), correction2, epsilon);
                Vector512.StoreUnsafe((pk * parameterDecay) - (stepSize * mk / denominator), ref p, k);
                Vector512.StoreUnsafe(mk, ref m, k);
                Vector512.StoreUnsafe(vk, ref v, k);
            }
        }
        else
        {
            Vector<float> beta1 = new(c.Beta1), rest1 = new(1f - c.Beta1);
            Vector<float> beta2 = new(c.Beta2), rest2 = new(1f - c.Beta2);
            Vector<float> epsilon = new(c.Epsilon), stepSize = new(c.StepSize), correction2 = new(inverseCorrection2);
            Vector<float> gradientDecay = new(c.GradientDecay), parameterDecay = new(c.ParameterDecay);
            for (nuint k = (nuint)start; k < end; k += (nuint)Vector<float>.Count)
            {
                Vector<float> pk = Vector.LoadUnsafe(ref p, k);
                Vector<float> gk = Vector.MultiplyAddEstimate(gradientDecay, pk, Vector.LoadUnsafe(ref g, k));
                Vector<float> mk = (beta1 * Vector.LoadUnsafe(ref m, k)) + (rest1 * gk);
                Vector<float> vk = (beta2 * Vector.LoadUnsafe(ref v, k)) + (rest2 * gk * gk);
                Vector<float> divisor = vk;
                if (amsgrad)
                {
                    divisor = Vector.Max(Vector.LoadUnsafe(ref vMax, k), vk);
                    Vector.StoreUnsafe(divisor, ref vMax, k);
                }

                Vector<float> denominator = Vector.MultiplyAddEstimate(Vector.SquareRoot(divisor), correction2, epsilon);
                Vector.StoreUnsafe((pk * parameterDecay) - (stepSize * mk / denominator), ref p, k);
                Vector.StoreUnsafe(mk, ref m, k);
                Vector.StoreUnsafe(vk, ref v, k);
            }
        }
    }

    /// <summary>
    /// One step of stochastic gradient descent with momentum over the parameters [start, start + length),
    /// with PyTorch's formulas (see <see cref="SgdCoefficients"/>).
    /// </summary>
    /// <param name="parameters">The parameter storage, padding included.</param>
    /// <param name="gradients">The gradients, as long as the storage.</param>
    /// <param name="velocity">The momentum buffer, updated in place.</param>
    /// <param name="c">The step's coefficients.</param>
    /// <param name="start">The first parameter to update; a multiple of <see cref="ParameterStorage.Alignment"/>.</param>
    /// <param name="length">How many to update; a multiple of <see cref="ParameterStorage.Alignment"/>.</param>
    /// <exception cref="ArgumentException">A buffer is shorter than the parameters.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is not whole vectors within the parameters.</exception>
    public static void Sgd(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> velocity, in SgdCoefficients c, int start, int length)
    {
        Guard.StorageRange(start, length, parameters.Length);
        Guard.StorageLength(gradients.Length, parameters.Length, nameof(gradients));
        Guard.StorageLength(velocity.Length, parameters.Length, nameof(velocity));
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float b = ref MemoryMarshal.GetReference(velocity);
        nuint end = (nuint)(start + length);
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> learningRate = Vector512.Create(c.LearningRate), momentum = Vector512.Create(c.Momentum), decay = Vector512.Create(c.WeightDecay);
            Vector512<float> gradientWeight = Vector512.Create(c.GradientWeight), velocityWeight = Vector512.Create(c.VelocityWeight);
            for (nuint k = (nuint)start; k < end; k += (nuint)Vector512<float>.Count)
            {
                Vector512<float> pk = Vector512.LoadUnsafe(ref p, k);
                Vector512<float> gk = Vector512.MultiplyAddEstimate(decay, pk, Vector512.LoadUnsafe(ref g, k));
                Vector512<float> bk = Vector512.MultiplyAddEstimate(momentum, Vector512.LoadUnsafe(ref b, k), gk);
                Vector512.StoreUnsafe(pk - (learningRate * ((gradientWeight * gk) + (velocityWeight * bk))), ref p, k);
                Vector512.StoreUnsafe(bk, ref b, k);
            }
        }
        else
        {
            Vector<float> learningRate = new(c.LearningRate), momentum = new(c.Momentum), decay = new(c.WeightDecay);
            Vector<float> gradientWeight = new(c.GradientWeight), velocityWeight = new(c.VelocityWeight);
            for (nuint k = (nuint)start; k < end; k += (nuint)Vector<float>.Count)
            {
                Vector<float> pk = Vector.LoadUnsafe(ref p, k);
                Vector<float> gk = Vector.MultiplyAddEstimate(decay, pk, Vector.LoadUnsafe(ref g, k));
                Vector<float> bk = Vector.MultiplyAddEstimate(momentum, Vector.LoadUnsafe(ref b, k), gk);
                Vector.StoreUnsafe(pk - (learningRate * ((gradientWeight * gk) + (velocityWeight * bk))), ref p, k);
                Vector.StoreUnsafe(bk, ref b, k);
            }
        }
    }

    /// <summary>
    /// One RMSprop step over the parameters [start, start + length), with PyTorch's formulas (see
    /// <see cref="RMSpropCoefficients"/>).
    /// </summary>
    /// <param name="parameters">The parameter storage, padding included.</param>
    /// <param name="gradients">The gradients, as long as the storage.</param>
    /// <param name="squareAverage">The running mean of squared gradients, updated in place.</param>
    /// <param name="velocity">The momentum buffer, updated in place.</param>
    /// <param name="gradientAverage">The running mean of gradients (centred RMSprop), updated in place.</param>
    /// <param name="c">The step's coefficients.</param>
    /// <param name="start">The first parameter to update; a multiple of <see cref="ParameterStorage.Alignment"/>.</param>
    /// <param name="length">How many to update; a multiple of <see cref="ParameterStorage.Alignment"/>.</param>
    /// <exception cref="ArgumentException">A buffer is shorter than the parameters.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is not whole vectors within the parameters.</exception>
    public static void RMSprop(
        Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> squareAverage, Span<float> velocity, Span<float> gradientAverage,
        in RMSpropCoefficients c, int start, int length)
    {
        Guard.StorageRange(start, length, parameters.Length);
        Guard.StorageLength(gradients.Length, parameters.Length, nameof(gradients));
        Guard.StorageLength(squareAverage.Length, parameters.Length, nameof(squareAverage));
        Guard.StorageLength(velocity.Length, parameters.Length, nameof(velocity));
        Guard.StorageLength(gradientAverage.Length, parameters.Length, nameof(gradientAverage));
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float s = ref MemoryMarshal.GetReference(squareAverage);
        ref float b = ref MemoryMarshal.GetReference(velocity);
        ref float a = ref MemoryMarshal.GetReference(gradientAverage);
        nuint end = (nuint)(start + length);
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> learningRate = Vector512.Create(c.LearningRate), alpha = Vector512.Create(c.Alpha), rest = Vector512.Create(1f - c.Alpha);
            Vector512<float> epsilon = Vector512.Create(c.Epsilon), momentum = Vector512.Create(c.Momentum), decay = Vector512.Create(c.WeightDecay);
            Vector512<float> centered = Vector512.Create((1f - c.Alpha) * c.Centered);
            for (nuint k = (nuint)start; k < end; k += (nuint)Vector512<float>.Count)
            {
                Vector512<float> pk = Vector512.LoadUnsafe(ref p, k);
                Vector512<float> gk = Vector512.MultiplyAddEstimate(decay, pk, Vector512.LoadUnsafe(ref g, k));
                Vector512<float> sk = (alpha * Vector512.LoadUnsafe(ref s, k)) + (rest * gk * gk);
                Vector512<float> ak = (alpha * Vector512.LoadUnsafe(ref a, k)) + (centered * gk);
                Vector512<float> bk = (momentum * Vector512.LoadUnsafe(ref b, k)) + (gk / (Vector512.Sqrt(sk - (ak * ak)) + epsilon));
                Vector512.StoreUnsafe(pk - (learningRate * bk), ref p, k);
                Vector512.StoreUnsafe(sk, ref s, k);
                Vector512.StoreUnsafe(ak, ref a, k);
                Vector512.StoreUnsafe(bk, ref b, k);
            }
        }
        else
        {
            Vector<float> learningRate = new(c.LearningRate), alpha = new(c.Alpha), rest = new(1f - c.Alpha);
            Vector<float> epsilon = new(c.Epsilon), momentum = new(c.Momentum), decay = new(c.WeightDecay);
            Vector<float> centered = new((1f - c.Alpha) * c.Centered);
            for (nuint k = (nuint)start; k < end; k += (nuint)Vector<float>.Count)
            {
                Vector<float> pk = Vector.LoadUnsafe(ref p, k);
                Vector<float> gk = Vector.MultiplyAddEstimate(decay, pk, Vector.LoadUnsafe(ref g, k));
                Vector<float> sk = (alpha * Vector.LoadUnsafe(ref s, k)) + (rest * gk * gk);
                Vector<float> ak = (alpha * Vector.LoadUnsafe(ref a, k)) + (centered * gk);
                Vector<float> bk = (momentum * Vector.LoadUnsafe(ref b, k)) + (gk / (Vector.SquareRoot(sk - (ak * ak)) + epsilon));
                Vector.StoreUnsafe(pk - (learningRate * bk), ref p, k);
                Vector.StoreUnsafe(sk, ref s, k);
                Vector.StoreUnsafe(ak, ref a, k);
                Vector.StoreUnsafe(bk, ref b, k);
            }
        }
    }

    /// <summary>
    /// One NAdam step over the parameters [start, start + length), with PyTorch's formulas (see
    /// <see cref="NAdamCoefficients"/>). Portable vectors only.
    /// </summary>
    /// <param name="parameters">The parameter storage, padding included.</param>
    /// <param name="gradients">The gradients, as long as the storage.</param>
    /// <param name="firstMoment">The running mean of gradients, updated in place.</param>
    /// <param name="secondMoment">The running mean of squared gradients, updated in place.</param>
    /// <param name="c">The step's coefficients.</param>
    /// <param name="start">The first parameter to update; a multiple of <see cref="ParameterStorage.Alignment"/>.</param>
    /// <param name="length">How many to update; a multiple of <see cref="ParameterStorage.Alignment"/>.</param>
    /// <exception cref="ArgumentException">A buffer is shorter than the parameters.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is not whole vectors within the parameters.</exception>
    public static void NAdam(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> firstMoment, Span<float> secondMoment, in NAdamCoefficients c, int start, int length)
    {
        Guard.StorageRange(start, length, parameters.Length);
        Guard.StorageLength(gradients.Length, parameters.Length, nameof(gradients));
        Guard.StorageLength(firstMoment.Length, parameters.Length, nameof(firstMoment));
        Guard.StorageLength(secondMoment.Length, parameters.Length, nameof(secondMoment));
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float m = ref MemoryMarshal.GetReference(firstMoment);
        ref float v = ref MemoryMarshal.GetReference(secondMoment);
        Vector<float> beta1 = new(c.Beta1), rest1 = new(1f - c.Beta1);
        Vector<float> beta2 = new(c.Beta2), rest2 = new(1f - c.Beta2);
        Vector<float> epsilon = new(c.Epsilon), correction2 = new(1f / c.SecondBiasCorrectionSqrt), decay = new(c.WeightDecay);
        Vector<float> gradientStep = new(c.GradientStep), momentStep = new(c.MomentStep);
        for (nuint k = (nuint)start; k < (nuint)(start + length); k += (nuint)Vector<float>.Count)
        {
            Vector<float> pk = Vector.LoadUnsafe(ref p, k);
            Vector<float> gk = Vector.MultiplyAddEstimate(decay, pk, Vector.LoadUnsafe(ref g, k));
            Vector<float> mk = (beta1 * Vector.LoadUnsafe(ref m, k)) + (rest1 * gk);
            Vector<float> vk = (beta2 * Vector.LoadUnsafe(ref v, k)) + (rest2 * gk * gk);
            Vector<float> denominator = Vector.MultiplyAddEstimate(Vector.SquareRoot(vk), correction2, epsilon);
            Vector.StoreUnsafe(pk - (((gradientStep * gk) + (momentStep * mk)) / denominator), ref p, k);
            Vector.StoreUnsafe(mk, ref m, k);
            Vector.StoreUnsafe(vk, ref v, k);
        }
    }

    /// <summary>
    /// One Adagrad step over the parameters [start, start + length), with PyTorch's formulas:
    /// <c>g += λ·p</c>; <c>s += g²</c>; <c>p -= rate · g / (sqrt(s) + ε)</c>, the rate decayed per step. Portable vectors only.
    /// </summary>
    /// <param name="parameters">The parameter storage, padding included.</param>
    /// <param name="gradients">The gradients, as long as the storage.</param>
    /// <param name="sum">The sum of squared gradients, updated in place.</param>
    /// <param name="rate">The step's learning rate, <c>lr / (1 + (t - 1)·decay)</c>.</param>
    /// <param name="epsilon">ε, added to the denominator.</param>
    /// <param name="weightDecay">λ, the L2 penalty added to the gradient.</param>
    /// <param name="start">The first parameter to update; a multiple of <see cref="ParameterStorage.Alignment"/>.</param>
    /// <param name="length">How many to update; a multiple of <see cref="ParameterStorage.Alignment"/>.</param>
    /// <exception cref="ArgumentException">A buffer is shorter than the parameters.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The range is not whole vectors within the parameters.</exception>
    public static void Adagrad(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> sum, float rate, float epsilon, float weightDecay, int start, int length)
    {
        Guard.StorageRange(start, length, parameters.Length);
        Guard.StorageLength(gradients.Length, parameters.Length, nameof(gradients));
        Guard.StorageLength(sum.Length, parameters.Length, nameof(sum));
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float s = ref MemoryMarshal.GetReference(sum);
        Vector<float> step = new(rate), eps = new(epsilon), decay = new(weightDecay);
        for (nuint k = (nuint)start; k < (nuint)(start + length); k += (nuint)Vector<float>.Count)
        {
            Vector<float> pk = Vector.LoadUnsafe(ref p, k);
            Vector<float> gk = Vector.MultiplyAddEstimate(decay, pk, Vector.LoadUnsafe(ref g, k));
            Vector<float> sk = Vector.MultiplyAddEstimate(gk, gk, Vector.LoadUnsafe(ref s, k));
            Vector.StoreUnsafe(pk - (step * gk / (Vector.SquareRoot(sk) + eps)), ref p, k);
            Vector.StoreUnsafe(sk, ref s, k);
        }
    }
}
