using System;
using System.Collections.Generic;
using System.Globalization;
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
    private LearningRateSchedule? _schedule;
    private float? _clipValue;
    private float? _clipNorm;
    private float? _globalClipNorm;
    private AlignedArray _clipped;
    private INetwork? _network;
    private AlignedArray _state;
    private int _storageLength;

    /// <summary>Initialises the optimizer with its learning rate.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is not positive and finite.</exception>
    private protected Optimizer(float learningRate) => _learningRate = InitialLearningRate = CheckLearningRate(learningRate, nameof(learningRate));

    /// <summary>The learning rate the optimizer was made with.</summary>
    private protected float InitialLearningRate { get; }

    /// <summary>
    /// The step size of the next step. Without a <see cref="Schedule"/> it may be set between steps, e.g. by a
    /// callback; with one, it is the schedule's rate for the steps taken so far, and cannot be set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is not positive and finite.</exception>
    /// <exception cref="InvalidOperationException">The value is set while the optimizer has a <see cref="Schedule"/>.</exception>
    public float LearningRate
    {
        get => Schedule is null ? _learningRate : ScheduledRate(Steps);
        set => _learningRate = Schedule is null
            ? CheckLearningRate(value, nameof(LearningRate))
            : throw new InvalidOperationException(
                $"This {GetType().Name} takes its learning rate from its schedule ({Schedule.GetType().Name}), so the rate cannot be set; " +
                "leave Schedule unset to set rates by hand or from a callback.");
    }

    /// <summary>
    /// The learning rate of every step as a function of the steps taken before it, as Keras' optimizers take
    /// a <c>LearningRateSchedule</c> for their learning rate; null (the default) for a rate that changes only
    /// when <see cref="LearningRate"/> is set. With a schedule, the constructor's learning rate is not used.
    /// </summary>
    public LearningRateSchedule? Schedule
    {
        get => _schedule;
        init => _schedule = value;
    }

    /// <summary>
    /// Clips each gradient to [-value, value] before the step, Keras' <c>clipvalue</c> (PyTorch's
    /// <c>clip_grad_value_</c>); null (the default) for none. At most one of the three clippings may be set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    /// <exception cref="ArgumentException">Another clipping is set.</exception>
    public float? ClipValue
    {
        get => _clipValue;
        init => _clipValue = CheckClipping(value, nameof(ClipValue));
    }

    /// <summary>
    /// Scales each tensor's gradient (a layer's weights, or its biases) to an L2 norm of at most this before the step,
    /// Keras' <c>clipnorm</c>: <c>g · c / max(‖g‖, c)</c>; null (the default) for none.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    /// <exception cref="ArgumentException">Another clipping is set.</exception>
    public float? ClipNorm
    {
        get => _clipNorm;
        init => _clipNorm = CheckClipping(value, nameof(ClipNorm));
    }

    /// <summary>
    /// Scales all the gradients together to an L2 norm of at most this before the step, Keras' <c>global_clipnorm</c>
    /// (<c>tf.clip_by_global_norm</c>; PyTorch's <c>clip_grad_norm_</c> but for its 1e-6): <c>g · c / max(‖g‖, c)</c> over
    /// every parameter; null (the default) for none.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    /// <exception cref="ArgumentException">Another clipping is set.</exception>
    public float? GlobalClipNorm
    {
        get => _globalClipNorm;
        init => _globalClipNorm = CheckClipping(value, nameof(GlobalClipNorm));
    }

    /// <summary>Whether a clipping is set, so the gradients are clipped before each step.</summary>
    internal bool Clips => _clipValue is not null || _clipNorm is not null || _globalClipNorm is not null;

    /// <summary>The learning rate of the step begun by <see cref="BeginStep"/>, or of the last step taken.</summary>
    internal float StepRate => _learningRate;

    /// <summary>The number of steps taken so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Every value of the per-parameter state, buffer after buffer; empty before the optimizer is bound to a network.</summary>
    internal ReadOnlySpan<float> State => _state.Span;

    /// <summary>The number of parameter-sized buffers of state the rule keeps (moments, momentum).</summary>
    internal abstract int StateBuffers { get; }

    /// <summary>Applies one step to <paramref name="network"/>'s parameters given the gradients of the loss.</summary>
    /// <param name="network">The network; always the same one for a given optimizer.</param>
    /// <param name="gradients">The gradients, in the network's kernel layout, padded to its storage length.</param>
    /// <exception cref="ArgumentException">The network was not generated by StaticNet.</exception>
    /// <exception cref="InvalidOperationException">The optimizer already holds state for another network, or the network is declared with <c>Training = false</c>.</exception>
    public void Step(INetwork network, ReadOnlySpan<float> gradients)
    {
        IGeneratedNetwork kernels = GeneratedNetworks.RequireTrainable(network, nameof(network));
        int storageLength = BeginStep(network);
        if (Clips)
        {
            // The caller's gradients are read-only: clip a copy, in memory bound once.
            Span<float> clipped = _clipped.Slice(0, storageLength);
            gradients[..storageLength].CopyTo(clipped);
            GradientClipping.ClipWhole(this, kernels.Layout, clipped);
            gradients = clipped;
        }

        ApplyRange(kernels, gradients, 0, storageLength);
    }

    /// <summary>
    /// Binds the optimizer to <paramref name="network"/> on first use, allocating its state, and
    /// returns the parameter storage length.
    /// </summary>
    /// <exception cref="InvalidOperationException">The optimizer already holds state for another network.</exception>
    internal int Bind(INetwork network)
    {
        CheckBindable(network);
        if (_network is null)
        {
            _storageLength = ParameterStorage.Length(network.Shape.ParameterCount);
            _state = new AlignedArray(StateBuffers * _storageLength);
            _clipped = Clips ? new AlignedArray(_storageLength) : default;
            _network = network;
            InitializeState();
        }

        return _storageLength;
    }

    /// <summary>Throws when the optimizer is bound to a network other than <paramref name="network"/>, binding nothing.</summary>
    /// <exception cref="InvalidOperationException">The optimizer already holds state for another network.</exception>
    internal void CheckBindable(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (_network is not null && !ReferenceEquals(_network, network))
        {
            throw new InvalidOperationException(
                $"This {GetType().Name} holds state for another network ({_network.Shape}); create one optimizer per network.");
        }
    }

    /// <summary>
    /// Starts a step: binds the optimizer (<see cref="Bind"/>), counts the step and fixes its
    /// coefficients. <see cref="ApplyRange"/> then updates the parameters, all at once or in ranges
    /// from several threads. Returns the parameter storage length.
    /// </summary>
    internal int BeginStep(INetwork network)
    {
        int storageLength = Bind(network);
        if (Schedule is not null)
        {
            _learningRate = ScheduledRate(Steps);
        }

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

    /// <summary>
    /// The names of the state buffers, as PyTorch's optimizers name them in their state (<c>exp_avg</c>,
    /// <c>exp_avg_sq</c>, <c>momentum_buffer</c>), one per buffer.
    /// </summary>
    internal abstract string[] StateNames { get; }

    /// <summary>The settings that give the state its meaning, by PyTorch's names, as round-trip strings; a model file records them with the state.</summary>
    internal abstract IEnumerable<KeyValuePair<string, string>> Settings { get; }

    /// <summary>Copies every state buffer, one after another, to PyTorch's layout of <paramref name="network"/>'s parameters.</summary>
    internal void CopyStateToCanonical(IGeneratedNetwork network, Span<float> destination)
    {
        int count = network.Shape.ParameterCount;
        for (int buffer = 0; buffer < StateBuffers; buffer++)
        {
            network.CopyToCanonicalLayout(StateBuffer(buffer), destination.Slice(buffer * count, count));
        }
    }

    /// <summary>
    /// Puts back state that <see cref="CopyStateToCanonical"/> wrote, with the step count and, unless a
    /// <see cref="Schedule"/> sets it, the learning rate; the optimizer must be bound to <paramref name="network"/>.
    /// </summary>
    internal void RestoreFromCanonical(IGeneratedNetwork network, ReadOnlySpan<float> state, long steps, float learningRate)
    {
        int count = network.Shape.ParameterCount;
        for (int buffer = 0; buffer < StateBuffers; buffer++)
        {
            network.CopyFromCanonicalLayout(state.Slice(buffer * count, count), StateBuffer(buffer));
        }

        Steps = steps;
        if (Schedule is null && learningRate > 0)
        {
            _learningRate = learningRate;
        }
    }

    /// <summary>A setting as a model file records it.</summary>
    private protected static KeyValuePair<string, string> Setting(string name, float value) =>
        new(name, value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>A switch as a model file records it.</summary>
    private protected static KeyValuePair<string, string> Setting(string name, bool value) => new(name, value ? "true" : "false");

    /// <summary>Returns ε, which must be positive and finite.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    private protected static float CheckEpsilon(float value, string name) =>
        value > 0 && float.IsFinite(value) ? value
        : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite, e.g. 1e-8: with 0, a parameter whose gradients have all been zero gets 0 / 0.");

    /// <summary>A new optimizer of this kind with this one's settings, schedule, clipping and initial rate, bound to no network, for training another.</summary>
    internal Optimizer Fresh()
    {
        Optimizer fresh = FreshOfKind();
        fresh._schedule = _schedule;
        (fresh._clipValue, fresh._clipNorm, fresh._globalClipNorm) = (_clipValue, _clipNorm, _globalClipNorm);
        return fresh;
    }

    /// <summary>A new optimizer of this kind with this one's settings and initial rate.</summary>
    private protected abstract Optimizer FreshOfKind();

    /// <summary>Applies the step begun by <see cref="BeginStep"/> to the parameters [start, start + length), whole vectors only.</summary>
    internal abstract void ApplyRange(IGeneratedNetwork network, ReadOnlySpan<float> gradients, int start, int length);

    /// <summary>Sets the state's starting values once it is allocated, zero unless a rule starts elsewhere.</summary>
    private protected virtual void InitializeState()
    {
    }

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

    /// <summary>The schedule's rate after <paramref name="steps"/> steps, which may be 0 but no less, and finite as a float.</summary>
    /// <exception cref="InvalidOperationException">The schedule's rate is negative, NaN or too large for a float.</exception>
    private float ScheduledRate(long steps)
    {
        double rate = Schedule!.RateAt(steps);
        return rate >= 0 && float.IsFinite((float)rate) ? (float)rate
            : throw new InvalidOperationException(
                $"The learning rate schedule {Schedule.GetType().Name} gave {rate} for step {steps}; a learning rate must be finite and not negative.");
    }

    /// <summary>Returns a clipping threshold, which must be positive and finite and the only clipping set.</summary>
    private float? CheckClipping(float? value, string name)
    {
        if (value is float threshold && !(threshold > 0 && float.IsFinite(threshold)))
        {
            throw new ArgumentOutOfRangeException(name, threshold, $"{name} must be positive and finite, e.g. 1.0.");
        }

        if (value is not null && Clips)
        {
            throw new ArgumentException($"Only one of ClipValue, ClipNorm and GlobalClipNorm can be set, as in Keras; {name} is the second.", name);
        }

        return value;
    }

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
/// <param name="amsgrad">Whether to divide by the largest second moment so far rather than the current one (Reddi et al.'s AMSGrad, PyTorch's <c>amsgrad</c>).</param>
public class Adam(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f, bool amsgrad = false)
    : Optimizer(learningRate)
{
    private AdamCoefficients _coefficients;

    /// <summary>The decay of the running mean of gradients, β1.</summary>
    public float Beta1 { get; } = CheckFactor(beta1, nameof(beta1));

    /// <summary>The decay of the running mean of squared gradients, β2.</summary>
    public float Beta2 { get; } = CheckFactor(beta2, nameof(beta2));

    /// <summary>ε, added to the denominator.</summary>
    public float Epsilon { get; } = CheckEpsilon(epsilon, nameof(epsilon));

    /// <summary>The weight-decay coefficient λ.</summary>
    public float WeightDecay { get; } = CheckWeightDecay(weightDecay, nameof(weightDecay));

    /// <summary>Whether the step divides by the largest second moment so far (AMSGrad).</summary>
    public bool Amsgrad { get; } = amsgrad;

    /// <summary>Whether the decay is decoupled from the gradient (AdamW) rather than an L2 term added to it.</summary>
    private protected virtual bool DecoupledWeightDecay => false;

    // The first and second moments, and with AMSGrad the largest second moment.
    internal override int StateBuffers => Amsgrad ? 3 : 2;

    internal override string[] StateNames => Amsgrad ? ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"] : ["exp_avg", "exp_avg_sq"];

    private protected override Optimizer FreshOfKind() =>
        DecoupledWeightDecay
            ? new AdamW(InitialLearningRate, Beta1, Beta2, Epsilon, WeightDecay, Amsgrad)
            : new Adam(InitialLearningRate, Beta1, Beta2, Epsilon, WeightDecay, Amsgrad);

    internal override IEnumerable<KeyValuePair<string, string>> Settings =>
        [Setting("beta1", Beta1), Setting("beta2", Beta2), Setting("eps", Epsilon), Setting("weight_decay", WeightDecay), Setting("amsgrad", Amsgrad)];

    private protected override void PrepareStep(long step)
    {
        double correction1 = 1 - Math.Pow(Beta1, step);
        double correction2 = 1 - Math.Pow(Beta2, step);
        _coefficients = new AdamCoefficients(
            Beta1,
            Beta2,
            Epsilon,
            StepSize: (float)(StepRate / correction1),
            SecondBiasCorrectionSqrt: (float)Math.Sqrt(correction2),
            GradientDecay: DecoupledWeightDecay ? 0 : WeightDecay,
            ParameterDecay: DecoupledWeightDecay ? 1 - (StepRate * WeightDecay) : 1);
    }

    internal override void ApplyRange(IGeneratedNetwork network, ReadOnlySpan<float> gradients, int start, int length) =>
        OptimizerSteps.Adam(network.ParameterStorage, gradients, StateBuffer(0), StateBuffer(1), Amsgrad ? StateBuffer(2) : [], _coefficients, start, length);
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
/// <param name="amsgrad">Whether to divide by the largest second moment so far (AMSGrad).</param>
public sealed class AdamW(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.01f, bool amsgrad = false)
    : Adam(learningRate, beta1, beta2, epsilon, weightDecay, amsgrad)
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
    internal override int StateBuffers => 1;

    internal override string[] StateNames => ["momentum_buffer"];

    private protected override Optimizer FreshOfKind() => new Sgd(InitialLearningRate, Momentum, Nesterov, WeightDecay);

    internal override IEnumerable<KeyValuePair<string, string>> Settings =>
        [Setting("momentum", Momentum), Setting("nesterov", Nesterov), Setting("weight_decay", WeightDecay)];

    // SGD's coefficients do not depend on the step.
    private protected override void PrepareStep(long step)
    {
    }

    internal override void ApplyRange(IGeneratedNetwork network, ReadOnlySpan<float> gradients, int start, int length)
    {
        // With a zero-initialised buffer, b = μ·b + g equals PyTorch's first step b = g.
        var coefficients = new SgdCoefficients(
            StepRate,
            Momentum,
            WeightDecay,
            GradientWeight: Nesterov || Momentum == 0 ? 1 : 0,
            VelocityWeight: Nesterov ? Momentum : Momentum == 0 ? 0 : 1);
        OptimizerSteps.Sgd(network.ParameterStorage, gradients, StateBuffer(0), coefficients, start, length);
    }
}

/// <summary>
/// RMSprop (Hinton) with PyTorch's update, <c>torch.optim.RMSprop</c>: each parameter's step is its gradient
/// divided by the root of a running mean of its squared gradients, optionally centred (that mean less the
/// squared running mean of the gradients) and with momentum. The defaults are PyTorch's; Keras' are
/// <c>learningRate: 0.001f, alpha: 0.9f, epsilon: 1e-7f</c>, with ε added inside its root.
/// </summary>
/// <param name="learningRate">The step size.</param>
/// <param name="alpha">The decay α of the running means (Keras' <c>rho</c>), in [0, 1).</param>
/// <param name="epsilon">Added to the denominator for numerical stability.</param>
/// <param name="momentum">The momentum factor μ; 0 for none.</param>
/// <param name="centered">Whether to divide by an estimate of the gradients' variance rather than their second moment.</param>
/// <param name="weightDecay">The L2 penalty coefficient.</param>
public sealed class RMSprop(float learningRate = 0.01f, float alpha = 0.99f, float epsilon = 1e-8f, float momentum = 0f, bool centered = false, float weightDecay = 0f)
    : Optimizer(learningRate)
{
    /// <summary>The decay α of the running means.</summary>
    public float Alpha { get; } = CheckFactor(alpha, nameof(alpha));

    /// <summary>ε, added to the denominator.</summary>
    public float Epsilon { get; } = CheckEpsilon(epsilon, nameof(epsilon));

    /// <summary>The momentum factor μ.</summary>
    public float Momentum { get; } = CheckFactor(momentum, nameof(momentum));

    /// <summary>Whether the update is centred.</summary>
    public bool Centered { get; } = centered;

    /// <summary>The weight-decay coefficient λ.</summary>
    public float WeightDecay { get; } = CheckWeightDecay(weightDecay, nameof(weightDecay));

    // The running mean of squared gradients, the momentum buffer and the running mean of gradients, named as
    // PyTorch names them; the last two stay zero when momentum or centring is off.
    internal override int StateBuffers => 3;

    internal override string[] StateNames => ["square_avg", "momentum_buffer", "grad_avg"];

    private protected override Optimizer FreshOfKind() => new RMSprop(InitialLearningRate, Alpha, Epsilon, Momentum, Centered, WeightDecay);

    internal override IEnumerable<KeyValuePair<string, string>> Settings =>
        [Setting("alpha", Alpha), Setting("eps", Epsilon), Setting("momentum", Momentum), Setting("centered", Centered), Setting("weight_decay", WeightDecay)];

    // RMSprop's coefficients do not depend on the step.
    private protected override void PrepareStep(long step)
    {
    }

    internal override void ApplyRange(IGeneratedNetwork network, ReadOnlySpan<float> gradients, int start, int length) =>
        OptimizerSteps.RMSprop(
            network.ParameterStorage, gradients, StateBuffer(0), StateBuffer(1), StateBuffer(2),
            new RMSpropCoefficients(StepRate, Alpha, Epsilon, Momentum, Centered ? 1 : 0, WeightDecay), start, length);
}

/// <summary>
/// NAdam (Dozat): Adam with Nesterov momentum, with PyTorch's update and defaults, <c>torch.optim.NAdam</c>: the
/// momentum follows the schedule <c>μₜ = β1·(1 - 0.5·0.96^(t·ψ))</c>, and each step takes the gradient and the first
/// moment each with its own bias correction (see <see cref="NAdamCoefficients"/>).
/// </summary>
/// <param name="learningRate">The step size; PyTorch defaults to 0.002.</param>
/// <param name="beta1">The decay of the running mean of gradients.</param>
/// <param name="beta2">The decay of the running mean of squared gradients.</param>
/// <param name="epsilon">Added to the denominator for numerical stability.</param>
/// <param name="weightDecay">The L2 penalty coefficient.</param>
/// <param name="momentumDecay">ψ, how fast the momentum schedule rises to β1.</param>
public sealed class NAdam(float learningRate = 0.002f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f, float momentumDecay = 0.004f)
    : Optimizer(learningRate)
{
    private NAdamCoefficients _coefficients;
    private long _productSteps;
    private double _momentumProduct = 1;

    /// <summary>The decay of the running mean of gradients, β1.</summary>
    public float Beta1 { get; } = CheckFactor(beta1, nameof(beta1));

    /// <summary>The decay of the running mean of squared gradients, β2.</summary>
    public float Beta2 { get; } = CheckFactor(beta2, nameof(beta2));

    /// <summary>ε, added to the denominator.</summary>
    public float Epsilon { get; } = CheckEpsilon(epsilon, nameof(epsilon));

    /// <summary>The weight-decay coefficient λ.</summary>
    public float WeightDecay { get; } = CheckWeightDecay(weightDecay, nameof(weightDecay));

    /// <summary>ψ, the momentum schedule's rate.</summary>
    public float MomentumDecay { get; } = momentumDecay >= 0 && float.IsFinite(momentumDecay) ? momentumDecay
        : throw new ArgumentOutOfRangeException(nameof(momentumDecay), momentumDecay, "momentumDecay must be finite and not negative, e.g. 0.004.");

    // The first and second moments; PyTorch's per-parameter mu_product is the same for every parameter and follows from the step count.
    internal override int StateBuffers => 2;

    internal override string[] StateNames => ["exp_avg", "exp_avg_sq"];

    private protected override Optimizer FreshOfKind() => new NAdam(InitialLearningRate, Beta1, Beta2, Epsilon, WeightDecay, MomentumDecay);

    internal override IEnumerable<KeyValuePair<string, string>> Settings =>
        [Setting("beta1", Beta1), Setting("beta2", Beta2), Setting("eps", Epsilon), Setting("weight_decay", WeightDecay), Setting("momentum_decay", MomentumDecay)];

    private protected override void PrepareStep(long step)
    {
        // The product of the schedule's momenta so far, extended a step at a time; computed afresh after a restore.
        if (_productSteps > step - 1)
        {
            (_productSteps, _momentumProduct) = (0, 1);
        }

        for (; _productSteps < step; _productSteps++)
        {
            _momentumProduct *= Momentum(_productSteps + 1);
        }

        double momentum = Momentum(step), next = Momentum(step + 1);
        _coefficients = new NAdamCoefficients(
            Beta1,
            Beta2,
            Epsilon,
            SecondBiasCorrectionSqrt: (float)Math.Sqrt(1 - Math.Pow(Beta2, step)),
            WeightDecay,
            GradientStep: (float)(StepRate * (1 - momentum) / (1 - _momentumProduct)),
            MomentStep: (float)(StepRate * next / (1 - (_momentumProduct * next))));
    }

    internal override void ApplyRange(IGeneratedNetwork network, ReadOnlySpan<float> gradients, int start, int length) =>
        OptimizerSteps.NAdam(network.ParameterStorage, gradients, StateBuffer(0), StateBuffer(1), _coefficients, start, length);

    private double Momentum(long step) => Beta1 * (1 - (0.5 * Math.Pow(0.96, step * (double)MomentumDecay)));
}

/// <summary>
/// Adagrad (Duchi et al.) with PyTorch's update and defaults, <c>torch.optim.Adagrad</c>: each parameter's step is
/// its gradient divided by the root of the sum of its squared gradients so far, at a rate that decays as
/// <c>lr / (1 + (t - 1)·decay)</c>.
/// </summary>
/// <param name="learningRate">The step size.</param>
/// <param name="learningRateDecay">How fast the rate decays with the steps; 0 for none.</param>
/// <param name="weightDecay">The L2 penalty coefficient.</param>
/// <param name="initialAccumulatorValue">The sum of squared gradients to start from (Keras' default is 0.1).</param>
/// <param name="epsilon">Added to the denominator for numerical stability.</param>
public sealed class Adagrad(float learningRate = 0.01f, float learningRateDecay = 0f, float weightDecay = 0f, float initialAccumulatorValue = 0f, float epsilon = 1e-10f)
    : Optimizer(learningRate)
{
    private float _rate;

    /// <summary>How fast the rate decays with the steps.</summary>
    public float LearningRateDecay { get; } = CheckWeightDecay(learningRateDecay, nameof(learningRateDecay));

    /// <summary>The weight-decay coefficient λ.</summary>
    public float WeightDecay { get; } = CheckWeightDecay(weightDecay, nameof(weightDecay));

    /// <summary>The sum of squared gradients each parameter starts from.</summary>
    public float InitialAccumulatorValue { get; } = CheckWeightDecay(initialAccumulatorValue, nameof(initialAccumulatorValue));

    /// <summary>ε, added to the denominator.</summary>
    public float Epsilon { get; } = CheckEpsilon(epsilon, nameof(epsilon));

    // The sum of squared gradients, as PyTorch names it.
    internal override int StateBuffers => 1;

    internal override string[] StateNames => ["sum"];

    private protected override Optimizer FreshOfKind() => new Adagrad(InitialLearningRate, LearningRateDecay, WeightDecay, InitialAccumulatorValue, Epsilon);

    internal override IEnumerable<KeyValuePair<string, string>> Settings =>
        [Setting("lr_decay", LearningRateDecay), Setting("weight_decay", WeightDecay), Setting("initial_accumulator_value", InitialAccumulatorValue), Setting("eps", Epsilon)];

    private protected override void InitializeState() => StateBuffer(0).Fill(InitialAccumulatorValue);

    private protected override void PrepareStep(long step) => _rate = (float)(StepRate / (1 + ((step - 1) * (double)LearningRateDecay)));

    internal override void ApplyRange(IGeneratedNetwork network, ReadOnlySpan<float> gradients, int start, int length) =>
        OptimizerSteps.Adagrad(network.ParameterStorage, gradients, StateBuffer(0), _rate, Epsilon, WeightDecay, start, length);
}

/// <summary>
/// The base of an optimizer of your own whose update is element-wise: each parameter's new value depends only on
/// its gradient and its own entries of the state buffers, as in Adam, SGD or Lion. Derive from it, name the state
/// buffers in the constructor, and write <see cref="Update"/>; Fit, <see cref="TrainingSession"/>, schedules,
/// clipping, divergence rewinds and model files (the buffers saved as <c>optimizer.{name}.layers.{i}.weight</c>) then
/// work as with the built-in ones.
/// </summary>
public abstract class ElementwiseOptimizer : Optimizer
{
    private readonly string[] _stateNames;
    private long _step;

    /// <summary>Initialises the optimizer with its learning rate and the names of its state buffers, each one value per parameter starting at 0.</summary>
    /// <param name="learningRate">The step size; positive and finite.</param>
    /// <param name="stateNames">The names of the state buffers, as the model file records them (PyTorch's, such as <c>exp_avg</c>, where they exist).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is not positive and finite.</exception>
    /// <exception cref="ArgumentException">A name is empty or repeated.</exception>
    protected ElementwiseOptimizer(float learningRate, params string[] stateNames)
        : base(learningRate)
    {
        ArgumentNullException.ThrowIfNull(stateNames);
        for (int i = 0; i < stateNames.Length; i++)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(stateNames[i], nameof(stateNames));
            if (Array.IndexOf(stateNames, stateNames[i], 0, i) >= 0)
            {
                throw new ArgumentException($"The state buffer name '{stateNames[i]}' is repeated.", nameof(stateNames));
            }
        }

        _stateNames = [.. stateNames];
    }

    internal override int StateBuffers => _stateNames.Length;

    internal override string[] StateNames => _stateNames;

    internal override IEnumerable<KeyValuePair<string, string>> Settings => RecordedSettings;

    /// <summary>
    /// The settings that give the state its meaning, as a model file records them and checks them on restoring; none
    /// unless overridden. Write numbers as round-trip strings (<c>"R"</c>, invariant culture).
    /// </summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> RecordedSettings => [];

    /// <summary>
    /// Updates the parameters of one range from their gradients and state. Training calls it for disjoint ranges
    /// from several threads at once, so it must touch nothing outside the spans it is given; the spans cover the
    /// same parameters, in the network's storage layout, whose padding (zeros with zero gradients) may be among them.
    /// </summary>
    /// <param name="parameters">The parameters, updated in place.</param>
    /// <param name="gradients">Their gradients, clipped if a clipping is set.</param>
    /// <param name="state">The state buffers' entries for the same parameters, updated in place.</param>
    /// <param name="learningRate">The step's learning rate, from the schedule if there is one.</param>
    /// <param name="step">The step's number, counting from 1.</param>
    protected abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradients, OptimizerState state, float learningRate, long step);

    /// <summary>A new optimizer of this kind with this one's settings and initial learning rate, for training another network (cross-validation does).</summary>
    protected abstract ElementwiseOptimizer CreateFresh();

    private protected override Optimizer FreshOfKind() => CreateFresh();

    private protected override void PrepareStep(long step) => _step = step;

    internal override void ApplyRange(IGeneratedNetwork network, ReadOnlySpan<float> gradients, int start, int length)
    {
        Guard.StorageRange(start, length, network.ParameterStorage.Length);
        Update(network.ParameterStorage.Slice(start, length), gradients.Slice(start, length), new OptimizerState(this, start, length), StepRate, _step);
    }

    /// <summary>State buffer <paramref name="buffer"/>'s entries [start, start + length).</summary>
    internal Span<float> StateRange(int buffer, int start, int length) => StateBuffer(buffer).Slice(start, length);
}

/// <summary>The state buffers' entries for one range of parameters, as <see cref="ElementwiseOptimizer.Update"/> gets them.</summary>
public readonly ref struct OptimizerState
{
    private readonly ElementwiseOptimizer _optimizer;
    private readonly int _start;
    private readonly int _length;

    internal OptimizerState(ElementwiseOptimizer optimizer, int start, int length)
    {
        _optimizer = optimizer;
        _start = start;
        _length = length;
    }

    /// <summary>The number of state buffers.</summary>
    public int Count => _optimizer.StateBuffers;

    /// <summary>Buffer <paramref name="buffer"/>'s entries for the range, in the order of the optimizer's state names.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="buffer"/> is not a buffer.</exception>
    public Span<float> this[int buffer] =>
        (uint)buffer < (uint)Count ? _optimizer.StateRange(buffer, _start, _length)
        : throw new ArgumentOutOfRangeException(nameof(buffer), buffer, $"The optimizer has state buffers 0 to {Count - 1}.");
}
