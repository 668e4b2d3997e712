using System.ComponentModel;

namespace StaticNet.Training;

/// <summary>
/// The per-step constants of PyTorch's Adam update, precomputed once per step so the fused
/// kernel does no scalar work per parameter:
/// <c>g += λ·p</c>; <c>p *= decay</c>; <c>m = β1·m + (1-β1)·g</c>; <c>v = β2·v + (1-β2)·g²</c>;
/// <c>p -= stepSize · m / (sqrt(v) / sqrt(1-β2^t) + ε)</c>, with <c>stepSize = lr / (1-β1^t)</c>.
/// </summary>
/// <param name="Beta1">The first moment's decay, β1.</param>
/// <param name="Beta2">The second moment's decay, β2.</param>
/// <param name="Epsilon">ε, added to the denominator.</param>
/// <param name="StepSize">The learning rate divided by the first bias correction, <c>lr / (1 - β1^t)</c>.</param>
/// <param name="SecondBiasCorrectionSqrt"><c>sqrt(1 - β2^t)</c>.</param>
/// <param name="GradientDecay">λ of Adam's L2 weight decay, added to the gradient (0 for none or for AdamW).</param>
/// <param name="ParameterDecay">AdamW's decoupled decay factor <c>1 - lr·λ</c> (1 for Adam).</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct AdamCoefficients(
    float Beta1,
    float Beta2,
    float Epsilon,
    float StepSize,
    float SecondBiasCorrectionSqrt,
    float GradientDecay,
    float ParameterDecay);

/// <summary>
/// The constants of PyTorch's SGD step with momentum (dampening 0):
/// <c>g += λ·p</c>; <c>b = μ·b + g</c>; <c>p -= lr · (GradientWeight·g + VelocityWeight·b)</c>.
/// Plain momentum has weights (0, 1); Nesterov momentum (1, μ); no momentum (1, 0) with μ = 0.
/// </summary>
/// <param name="LearningRate">The learning rate.</param>
/// <param name="Momentum">μ, the momentum factor.</param>
/// <param name="WeightDecay">λ, the L2 penalty added to the gradient.</param>
/// <param name="GradientWeight">How much of the gradient the step takes directly.</param>
/// <param name="VelocityWeight">How much of the momentum buffer the step takes.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct SgdCoefficients(
    float LearningRate,
    float Momentum,
    float WeightDecay,
    float GradientWeight,
    float VelocityWeight);

/// <summary>
/// The constants of PyTorch's RMSprop step: <c>g += λ·p</c>; <c>s = α·s + (1-α)·g²</c>;
/// <c>a = α·a + (1-α)·g·Centered</c>; <c>b = μ·b + g / (sqrt(s - a²) + ε)</c>; <c>p -= lr·b</c>.
/// Without momentum (μ = 0) b is the step itself, <c>g / (sqrt(s - a²) + ε)</c>; uncentred (Centered = 0)
/// the running mean a stays 0.
/// </summary>
/// <param name="LearningRate">The learning rate.</param>
/// <param name="Alpha">α, the decay of the running means.</param>
/// <param name="Epsilon">ε, added to the denominator.</param>
/// <param name="Momentum">μ, the momentum factor.</param>
/// <param name="Centered">1 to subtract the squared running mean of gradients from the second moment, else 0.</param>
/// <param name="WeightDecay">λ, the L2 penalty added to the gradient.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct RMSpropCoefficients(
    float LearningRate,
    float Alpha,
    float Epsilon,
    float Momentum,
    float Centered,
    float WeightDecay);

/// <summary>
/// The per-step constants of PyTorch's NAdam update: <c>g += λ·p</c>; <c>m = β1·m + (1-β1)·g</c>;
/// <c>v = β2·v + (1-β2)·g²</c>; <c>p -= (GradientStep·g + MomentStep·m) / (sqrt(v) / sqrt(1-β2^t) + ε)</c>, with
/// <c>GradientStep = lr·(1 - μₜ) / (1 - Πμ)</c> and <c>MomentStep = lr·μₜ₊₁ / (1 - Πμ·μₜ₊₁)</c> from the momentum schedule
/// <c>μₜ = β1·(1 - 0.5·0.96^(t·ψ))</c>.
/// </summary>
/// <param name="Beta1">The first moment's decay, β1.</param>
/// <param name="Beta2">The second moment's decay, β2.</param>
/// <param name="Epsilon">ε, added to the denominator.</param>
/// <param name="SecondBiasCorrectionSqrt"><c>sqrt(1 - β2^t)</c>.</param>
/// <param name="WeightDecay">λ, the L2 penalty added to the gradient.</param>
/// <param name="GradientStep">The step's weight of the gradient.</param>
/// <param name="MomentStep">The step's weight of the first moment.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct NAdamCoefficients(
    float Beta1,
    float Beta2,
    float Epsilon,
    float SecondBiasCorrectionSqrt,
    float WeightDecay,
    float GradientStep,
    float MomentStep);
