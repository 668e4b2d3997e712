using System;
using StaticNet.Kernels;
using StaticNet.Training;

namespace StaticNet;

/// <summary>
/// An update rule for a network's parameters. An optimizer keeps per-parameter state (moments,
/// momentum) across steps and across calls to Fit, so it belongs to one network. When Fit stops
/// because training diverged, it rewinds that state with the parameters to the end of the last epoch
/// that ended finite, so the same optimizer can go on training the network.
/// </summary>
public abstract class Optimizer
{
    private float _learningRate;
    private INetwork? _network;
    private AlignedArray _state;
    private int _storageLength;

    /// <summary>Initialises the optimizer with its learning rate.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is not positive and finite.</exception>
    private protected Optimizer(float learningRate) => _learningRate = CheckLearningRate(learningRate, nameof(learningRate));

    /// <summary>The step size; may be changed between steps, e.g. by a schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    public float LearningRate
    {
        get => _learningRate;
        set => _learningRate = CheckLearningRate(value, nameof(LearningRate));
    }

    /// <summary>The number of steps taken so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Every value of the per-parameter state, buffer after buffer; empty before the optimizer is bound to a network.</summary>
    internal ReadOnlySpan<float> State => _state.Span;

    /// <summary>The number of parameter-sized buffers of state the rule keeps (moments, momentum).</summary>
    private protected abstract int StateBuffers { get; }

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
    /// Binds the optimizer to <paramref name="network"/> on first use, allocating its state, and
    /// returns the parameter storage length.
    /// </summary>
    /// <exception cref="InvalidOperationException">The optimizer already holds state for another network.</exception>
    internal int Bind(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (_network is null)
        {
            _storageLength = ParameterStorage.Length(network.Shape.ParameterCount);
            _state = new AlignedArray(StateBuffers * _storageLength);
            _network = network;
        }
        else if (!ReferenceEquals(_network, network))
        {
            throw new InvalidOperationException(
                $"This {GetType().Name} holds state for another network ({_network.Shape}); create one optimizer per network.");
        }

        return _storageLength;
    }

    /// <summary>
    /// Starts a step: binds the optimizer (<see cref="Bind"/>), counts the step and fixes its
    /// coefficients. <see cref="ApplyRange"/> then updates the parameters, all at once or in ranges
    /// from several threads. Returns the parameter storage length.
    /// </summary>
    internal int BeginStep(INetwork network)
    {
        int storageLength = Bind(network);
        Steps++;
        PrepareStep(Steps);
        return storageLength;
    }

    /// <summary>Puts back a state and step count that <see cref="State"/> and <see cref="Steps"/> showed earlier.</summary>
    internal void Restore(ReadOnlySpan<float> state, long steps)
    {
        state.CopyTo(_state.Span);
        Steps = steps;
    }

    /// <summary>Applies the step begun by <see cref="BeginStep"/> to the parameters [start, start + length), whole vectors only.</summary>
    internal abstract void ApplyRange(INetwork network, ReadOnlySpan<float> gradients, int start, int length);

    /// <summary>Computes the coefficients of step number <paramref name="step"/> (counting from 1).</summary>
    private protected abstract void PrepareStep(long step);

    /// <summary>State buffer <paramref name="buffer"/>, one value per parameter in the kernel layout, storage length.</summary>
    private protected Span<float> StateBuffer(int buffer) => _state.Slice(buffer * _storageLength, _storageLength);

    /// <summary>Returns a decay or momentum factor, which must lie in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or outside [0, 1).</exception>
    private protected static float CheckFactor(float value, string name) =>
        value is >= 0 and < 1 ? value
        : throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1), e.g. 0.9.");

    /// <summary>Returns a weight-decay coefficient, which must be finite and not negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    private protected static float CheckWeightDecay(float value, string name) =>
        value >= 0 && float.IsFinite(value) ? value
        : throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and not negative, e.g. 0.01, or 0 for none.");

    private static float CheckLearningRate(float value, string name) =>
        value > 0 && float.IsFinite(value) ? value
        : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite, e.g. 0.001.");
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
    private AdamCoefficients _coefficients;

    /// <summary>The decay of the running mean of gradients, β1.</summary>
    public float Beta1 { get; } = CheckFactor(beta1, nameof(beta1));

    /// <summary>The decay of the running mean of squared gradients, β2.</summary>
    public float Beta2 { get; } = CheckFactor(beta2, nameof(beta2));

    /// <summary>ε, added to the denominator.</summary>
    public float Epsilon { get; } = epsilon > 0 && float.IsFinite(epsilon) ? epsilon
        : throw new ArgumentOutOfRangeException(
            nameof(epsilon), epsilon, "epsilon must be positive and finite, e.g. 1e-8: with 0, a parameter whose gradients have all been zero gets 0 / 0.");

    /// <summary>The weight-decay coefficient λ.</summary>
    public float WeightDecay { get; } = CheckWeightDecay(weightDecay, nameof(weightDecay));

    /// <summary>Whether the decay is decoupled from the gradient (AdamW) rather than an L2 term added to it.</summary>
    private protected virtual bool DecoupledWeightDecay => false;

    // The first and second moments.
    private protected override int StateBuffers => 2;

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
        network.ApplyAdam(gradients, StateBuffer(0), StateBuffer(1), _coefficients, start, length);
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
    /// <summary>The momentum factor μ.</summary>
    public float Momentum { get; } = CheckFactor(momentum, nameof(momentum));

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; } = !nesterov || momentum > 0 ? nesterov : throw new ArgumentException("Nesterov momentum needs a momentum above 0.", nameof(nesterov));

    /// <summary>The weight-decay coefficient λ.</summary>
    public float WeightDecay { get; } = CheckWeightDecay(weightDecay, nameof(weightDecay));

    // The momentum buffer.
    private protected override int StateBuffers => 1;

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
        network.ApplySgd(gradients, StateBuffer(0), coefficients, start, length);
    }
}
