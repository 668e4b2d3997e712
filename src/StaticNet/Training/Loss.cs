using System;

namespace StaticNet;

/// <summary>
/// A loss function: how far a batch of outputs is from its targets, and the gradient that
/// training follows. Every loss is the mean over the batch, as in Keras and PyTorch.
/// </summary>
public abstract class Loss
{
    // PyTorch clamps log terms of the cross-entropies at -100 so a saturated output costs a
    // large finite loss instead of infinity.
    private protected const double LogFloor = -100;

    /// <summary>Mean squared error over every output: <c>mean((a - y)²)</c>.</summary>
    public static Loss MeanSquaredError { get; } = new MeanSquaredErrorLoss();

    /// <summary>Mean absolute error over every output: <c>mean(|a - y|)</c>.</summary>
    public static Loss MeanAbsoluteError { get; } = new MeanAbsoluteErrorLoss();

    /// <summary>Huber loss with δ = 1 (PyTorch's <c>HuberLoss</c> default).</summary>
    public static Loss Huber { get; } = new HuberLoss(1f);

    /// <summary>
    /// Binary cross-entropy over every output, for outputs in (0, 1) and targets in [0, 1]. With a
    /// Sigmoid output layer the gradient is the fused, stable <c>a - y</c> with respect to the logits.
    /// </summary>
    public static Loss BinaryCrossEntropy { get; } = new BinaryCrossEntropyLoss();

    /// <summary>
    /// Categorical cross-entropy <c>-Σ y log a</c> per row, for one-hot (or probability) targets.
    /// With a Softmax output layer the gradient is the fused, stable <c>a - y</c> with respect to the logits.
    /// </summary>
    public static Loss CategoricalCrossEntropy { get; } = new CategoricalCrossEntropyLoss();

    /// <summary>Returns a Huber loss: quadratic within <paramref name="delta"/> of the target, linear beyond.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is not positive and finite.</exception>
    public static Loss HuberWithDelta(float delta)
    {
        if (!(delta > 0) || !float.IsFinite(delta))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Huber's delta must be positive and finite.");
        }

        return new HuberLoss(delta);
    }

    /// <summary>The name shown in progress lines and histories, e.g. <c>mse</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Returns the mean loss of a batch and, when <paramref name="gradient"/> is not empty, writes
    /// the gradient of that mean with respect to each output.
    /// </summary>
    /// <param name="outputs">The network's outputs, row-major, <paramref name="outputsPerRow"/> per row.</param>
    /// <param name="targets">The targets, in the same layout.</param>
    /// <param name="outputsPerRow">The network's output width.</param>
    /// <param name="outputActivation">The last layer's activation, which lets a loss fuse its gradient with it.</param>
    /// <param name="gradient">Receives the gradient, as long as <paramref name="outputs"/>; empty to skip it.</param>
    /// <param name="gradientIsPreActivation">
    /// Set when the gradient was fused with the output activation, so it is with respect to the
    /// last layer's pre-activations rather than its outputs.
    /// </param>
    public abstract double Compute(
        ReadOnlySpan<float> outputs,
        ReadOnlySpan<float> targets,
        int outputsPerRow,
        Activation outputActivation,
        Span<float> gradient,
        out bool gradientIsPreActivation);

    /// <inheritdoc />
    public override string ToString() => Name;

    private protected static double ClampedLog(double value) => value > 0 ? Math.Max(Math.Log(value), LogFloor) : LogFloor;
}

/// <summary>A loss that is the mean of one term per output, the gradient of each term depending only on that output.</summary>
internal abstract class ElementwiseLoss : Loss
{
    public override double Compute(
        ReadOnlySpan<float> outputs,
        ReadOnlySpan<float> targets,
        int outputsPerRow,
        Activation outputActivation,
        Span<float> gradient,
        out bool gradientIsPreActivation)
    {
        gradientIsPreActivation = false;
        double sum = 0;
        float scale = 1f / outputs.Length;
        for (int i = 0; i < outputs.Length; i++)
        {
            sum += Term(outputs[i], targets[i], out float slope);
            if (!gradient.IsEmpty)
            {
                gradient[i] = slope * scale;
            }
        }

        return sum / outputs.Length;
    }

    /// <summary>Returns one output's term and its derivative with respect to the output.</summary>
    protected abstract double Term(float output, float target, out float slope);
}

internal sealed class MeanSquaredErrorLoss : ElementwiseLoss
{
    public override string Name => "mse";

    protected override double Term(float output, float target, out float slope)
    {
        float difference = output - target;
        slope = 2 * difference;
        return (double)difference * difference;
    }
}

internal sealed class MeanAbsoluteErrorLoss : ElementwiseLoss
{
    public override string Name => "mae";

    protected override double Term(float output, float target, out float slope)
    {
        float difference = output - target;
        slope = MathF.Sign(difference);
        return Math.Abs(difference);
    }
}

internal sealed class HuberLoss(float delta) : ElementwiseLoss
{
    public override string Name => "huber";

    protected override double Term(float output, float target, out float slope)
    {
        float difference = output - target;
        if (Math.Abs(difference) <= delta)
        {
            slope = difference;
            return 0.5 * difference * difference;
        }

        slope = delta * MathF.Sign(difference);
        return delta * (Math.Abs(difference) - (0.5 * delta));
    }
}

internal sealed class BinaryCrossEntropyLoss : Loss
{
    public override string Name => "binary_crossentropy";

    public override double Compute(
        ReadOnlySpan<float> outputs,
        ReadOnlySpan<float> targets,
        int outputsPerRow,
        Activation outputActivation,
        Span<float> gradient,
        out bool gradientIsPreActivation)
    {
        gradientIsPreActivation = outputActivation == Activation.Sigmoid;
        double sum = 0;
        float scale = 1f / outputs.Length;
        for (int i = 0; i < outputs.Length; i++)
        {
            double a = outputs[i], y = targets[i];
            sum -= (y * ClampedLog(a)) + ((1 - y) * ClampedLog(1 - a));
            if (!gradient.IsEmpty)
            {
                // Through a sigmoid, d/dz of the loss is a - y exactly: no division by a(1 - a).
                gradient[i] = gradientIsPreActivation
                    ? (float)(a - y) * scale
                    : (float)((a - y) / Math.Max(a * (1 - a), 1e-12)) * scale;
            }
        }

        return sum / outputs.Length;
    }
}

internal sealed class CategoricalCrossEntropyLoss : Loss
{
    public override string Name => "categorical_crossentropy";

    public override double Compute(
        ReadOnlySpan<float> outputs,
        ReadOnlySpan<float> targets,
        int outputsPerRow,
        Activation outputActivation,
        Span<float> gradient,
        out bool gradientIsPreActivation)
    {
        gradientIsPreActivation = outputActivation == Activation.Softmax;
        int rows = outputs.Length / outputsPerRow;
        float scale = 1f / rows;
        double sum = 0;
        for (int i = 0; i < outputs.Length; i++)
        {
            double a = outputs[i], y = targets[i];
            if (y != 0)
            {
                sum -= y * ClampedLog(a);
            }

            if (!gradient.IsEmpty)
            {
                // Through a softmax whose targets sum to one, d/dz of the loss is a - y exactly.
                gradient[i] = gradientIsPreActivation
                    ? (float)(a - y) * scale
                    : (float)(-y / Math.Max(a, 1e-12)) * scale;
            }
        }

        return sum / rows;
    }
}
