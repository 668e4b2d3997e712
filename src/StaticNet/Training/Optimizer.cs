using System;
using StaticNet.Kernels;
using StaticNet.Training;

namespace StaticNet;

/// <summary>
/// An update rule for a network's parameters. An optimizer keeps per-parameter state (moments,
/// momentum) across steps and across calls to Fit, so it belongs to one network.
/// </summary>
public abstract class Optimizer
{
    private float _learningRate;
    private INetwork? _network;

    /// <summary>Initialises the optimizer with its learning rate.</summary>
    private protected Optimizer(float learningRate) => LearningRate = learningRate;

    /// <summary>The step size; may be changed between steps, e.g. by a schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value > 0) || !float.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be positive and finite.");
            }

            _learningRate = value;
        }
    }

    /// <summary>The number of steps taken so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Applies one step to <paramref name="network"/>'s parameters given the gradients of the loss.</summary>
    /// <param name="network">The network; always the same one for a given optimizer.</param>
    /// <param name="gradients">The gradients, in the network's kernel layout, padded to its storage length.</param>
    /// <exception cref="InvalidOperationException">The optimizer already holds state for another network.</exception>
    public void Step(INetwork network, ReadOnlySpan<float> gradients)
    {
        int storageLength = BeginStep(network);
        ApplyRange(network, gradients, 0, storageLength);
    }

    /// <summary>
    /// Starts a step: binds the optimizer to <paramref name="network"/> on first use, counts the step
    /// and fixes its coefficients. <see cref="ApplyRange"/> then updates the parameters, all at once or
    /// in ranges from several threads. Returns the parameter storage length.
    /// </summary>
    internal int BeginStep(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        int storageLength = ParameterStorage.Length(network.Shape.ParameterCount);
        if (_network is null)
        {
            AllocateState(storageLength);
            _network = network;
        }
        else if (!ReferenceEquals(_network, network))
        {
            throw new InvalidOperationException(
                $"This {GetType().Name} holds state for another network ({_network.Shape}); create one optimizer per network.");
        }

        Steps++;
        PrepareStep(Steps);
        return storageLength;
    }

    /// <summary>Applies the step begun by <see cref="BeginStep"/> to the parameters [start, start + length), whole vectors only.</summary>
    internal abstract void ApplyRange(INetwork network, ReadOnlySpan<float> gradients, int start, int length);

    /// <summary>Allocates the per-parameter state for <paramref name="storageLength"/> parameters.</summary>
    private protected abstract void AllocateState(int storageLength);

    /// <summary>Computes the coefficients of step number <paramref name="step"/> (counting from 1).</summary>
    private protected abstract void PrepareStep(long step);
}

/// <summary>
/// Adam (Kingma and Ba), with PyTorch's update and bias correction and its defaults: β1 = 0.9,
/// β2 = 0.999, ε = 1e-8. A non-zero <see cref="WeightDecay"/> adds an L2 penalty to the
/// gradient, as PyTorch's Adam does; <see cref="AdamW"/> decouples it instead.
/// </summary>
/// <param name="learningRate">The step size; Keras and PyTorch default to 0.001.</param>
/// <param name="beta1">The decay of the running mean of gradients.</param>
/// <param name="beta2">The decay of the running mean of squared gradients.</param>
/// <param name="epsilon">Added to the denominator for numerical stability.</param>
/// <param name="weightDecay">The L2 penalty coefficient.</param>
public class Adam(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
    : Optimizer(learningRate)
{
    private AlignedArray _firstMoment;
    private AlignedArray _secondMoment;
    private AdamCoefficients _coefficients;

    /// <summary>The decay of the running mean of gradients, β1.</summary>
    public float Beta1 { get; } = InRange(beta1, nameof(beta1));

    /// <summary>The decay of the running mean of squared gradients, β2.</summary>
    public float Beta2 { get; } = InRange(beta2, nameof(beta2));

    /// <summary>ε, added to the denominator.</summary>
    public float Epsilon { get; } = epsilon >= 0 ? epsilon : throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must not be negative.");

    /// <summary>The weight-decay coefficient λ.</summary>
    public float WeightDecay { get; } = weightDecay >= 0 ? weightDecay : throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must not be negative.");

    /// <summary>Whether the decay is decoupled from the gradient (AdamW) rather than an L2 term added to it.</summary>
    private protected virtual bool DecoupledWeightDecay => false;

    private protected override void AllocateState(int storageLength)
    {
        _firstMoment = new AlignedArray(storageLength);
        _secondMoment = new AlignedArray(storageLength);
    }

    private protected override void PrepareStep(long step)
    {
        double correction1 = 1 - Math.Pow(Beta1, step);
        double correction2 = 1 - Math.Pow(Beta2, step);
        _coefficients = new AdamCoefficients(
            Beta1,
            Beta2,
            Epsilon,
            StepSize: (float)(LearningRate / correction1),
            SecondBiasCorrectionSqrt: (float)Math.Sqrt(correction2),
            GradientDecay: DecoupledWeightDecay ? 0 : WeightDecay,
            ParameterDecay: DecoupledWeightDecay ? 1 - (LearningRate * WeightDecay) : 1);
    }

    internal override void ApplyRange(INetwork network, ReadOnlySpan<float> gradients, int start, int length) =>
        network.ApplyAdam(gradients, _firstMoment.Span, _secondMoment.Span, _coefficients, start, length);

    private static float InRange(float beta, string name) =>
        beta is >= 0 and < 1 ? beta : throw new ArgumentOutOfRangeException(name, beta, "β must be in [0, 1).");
}

/// <summary>
/// AdamW (Loshchilov and Hutter): Adam with weight decay applied to the parameters directly,
/// <c>p *= 1 - lr·λ</c>, as PyTorch's AdamW, whose default λ is 0.01.
/// </summary>
/// <param name="learningRate">The step size.</param>
/// <param name="beta1">The decay of the running mean of gradients.</param>
/// <param name="beta2">The decay of the running mean of squared gradients.</param>
/// <param name="epsilon">Added to the denominator for numerical stability.</param>
/// <param name="weightDecay">The decoupled weight-decay coefficient λ.</param>
public sealed class AdamW(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.01f)
    : Adam(learningRate, beta1, beta2, epsilon, weightDecay)
{
    private protected override bool DecoupledWeightDecay => true;
}

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay,
/// with PyTorch's update (dampening 0).
/// </summary>
/// <param name="learningRate">The step size.</param>
/// <param name="momentum">The momentum factor μ; 0 for plain SGD.</param>
/// <param name="nesterov">Whether to use Nesterov momentum.</param>
/// <param name="weightDecay">The L2 penalty coefficient.</param>
public sealed class Sgd(float learningRate = 0.01f, float momentum = 0f, bool nesterov = false, float weightDecay = 0f)
    : Optimizer(learningRate)
{
    private AlignedArray _velocity;

    /// <summary>The momentum factor μ.</summary>
    public float Momentum { get; } = momentum is >= 0 and < 1 ? momentum : throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; } = !nesterov || momentum > 0 ? nesterov : throw new ArgumentException("Nesterov momentum needs a momentum above 0.", nameof(nesterov));

    /// <summary>The weight-decay coefficient λ.</summary>
    public float WeightDecay { get; } = weightDecay >= 0 ? weightDecay : throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must not be negative.");

    private protected override void AllocateState(int storageLength) => _velocity = new AlignedArray(storageLength);

    // SGD's coefficients do not depend on the step.
    private protected override void PrepareStep(long step)
    {
    }

    internal override void ApplyRange(INetwork network, ReadOnlySpan<float> gradients, int start, int length)
    {
        // With a zero-initialised buffer, b = μ·b + g equals PyTorch's first step b = g.
        var coefficients = new SgdCoefficients(
            LearningRate,
            Momentum,
            WeightDecay,
            GradientWeight: Nesterov || Momentum == 0 ? 1 : 0,
            VelocityWeight: Nesterov ? Momentum : Momentum == 0 ? 0 : 1);
        network.ApplySgd(gradients, _velocity.Span, coefficients, start, length);
    }
}
