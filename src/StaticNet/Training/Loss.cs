using System;

namespace StaticNet;

/// <summary>
/// A loss function: how far a batch of outputs is from its targets, and the gradient that
/// training follows. Every loss is the mean over the batch, as in Keras and PyTorch. A NaN output
/// makes the loss NaN, so that training which diverged is never reported as a finite loss.
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
    /// Fit and Evaluate refuse targets outside [0, 1] before they start.
    /// </summary>
    public static Loss BinaryCrossEntropy { get; } = new BinaryCrossEntropyLoss();

    /// <summary>
    /// Categorical cross-entropy <c>-Σ y log a</c> per row, for one-hot (or probability) targets.
    /// With a Softmax output layer the gradient is the fused, stable <c>a - y</c> with respect to the logits.
    /// Fit and Evaluate refuse a negative target, or a row of targets whose sum is not 1 within 0.001, before they start.
    /// </summary>
    public static Loss CategoricalCrossEntropy { get; } = new CategoricalCrossEntropyLoss();

    /// <summary>
    /// The logarithm of the hyperbolic cosine of the error, per output: <c>mean(log(cosh(a - y)))</c>, Keras'
    /// <c>log_cosh</c>. About half the squared error for small errors and the absolute error less log 2 for large
    /// ones; computed as <c>|e| + log(1 + e^(-2|e|)) - log 2</c>, which does not overflow.
    /// </summary>
    public static Loss LogCosh { get; } = new LogCoshLoss();

    /// <summary>
    /// Returns a binary cross-entropy, Keras' <c>BinaryCrossentropy(from_logits, label_smoothing)</c>. With
    /// <paramref name="fromLogits"/> the outputs are logits (a Linear last layer) and the loss is PyTorch's
    /// <c>BCEWithLogitsLoss</c>, <c>max(z, 0) - z·y + log(1 + e^-|z|)</c>, stable for any logit, with the gradient
    /// <c>sigmoid(z) - y</c>. <paramref name="labelSmoothing"/> ε replaces each target y by <c>y(1 - ε) + ε/2</c>.
    /// </summary>
    /// <param name="fromLogits">The outputs are logits rather than probabilities.</param>
    /// <param name="labelSmoothing">How far to move the targets towards 0.5, in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1].</exception>
    public static Loss BinaryCrossEntropyWith(bool fromLogits = false, float labelSmoothing = 0f) =>
        new BinaryCrossEntropyLoss(fromLogits, CheckSmoothing(labelSmoothing));

    /// <summary>
    /// Returns a categorical cross-entropy, Keras' <c>CategoricalCrossentropy(from_logits, label_smoothing)</c>.
    /// With <paramref name="fromLogits"/> the outputs are logits (a Linear last layer) and each row's loss is
    /// <c>logsumexp(z) - Σ y·z</c>, PyTorch's <c>CrossEntropyLoss</c> on probability targets, stable for any logit,
    /// with the gradient <c>softmax(z) - y</c>. <paramref name="labelSmoothing"/> ε replaces each target y by
    /// <c>y(1 - ε) + ε/K</c> for K classes, as both Keras and PyTorch's <c>label_smoothing</c> do.
    /// </summary>
    /// <param name="fromLogits">The outputs are logits rather than probabilities.</param>
    /// <param name="labelSmoothing">How far to move the targets towards the uniform distribution, in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1].</exception>
    public static Loss CategoricalCrossEntropyWith(bool fromLogits = false, float labelSmoothing = 0f) =>
        new CategoricalCrossEntropyLoss(fromLogits, CheckSmoothing(labelSmoothing));

    /// <summary>
    /// Categorical cross-entropy on class indices, Keras' <c>SparseCategoricalCrossentropy</c> and PyTorch's
    /// <c>CrossEntropyLoss</c> on class targets: each row's targets are one column holding its class, 0 to outputs - 1,
    /// which saves the one-hot rows. With a Softmax output layer the gradient is the fused, stable <c>a - onehot(y)</c>.
    /// Fit and Evaluate refuse a target that is not a whole number in that range before they start.
    /// </summary>
    public static Loss SparseCategoricalCrossEntropy { get; } = new CategoricalCrossEntropyLoss(sparse: true);

    /// <summary>
    /// Returns <see cref="SparseCategoricalCrossEntropy"/> on logits or with label smoothing, as PyTorch's
    /// <c>CrossEntropyLoss(label_smoothing)</c> on class targets and Keras' <c>SparseCategoricalCrossentropy(from_logits)</c>;
    /// the arguments are <see cref="CategoricalCrossEntropyWith"/>'s.
    /// </summary>
    /// <param name="fromLogits">The outputs are logits rather than probabilities.</param>
    /// <param name="labelSmoothing">How far to move the targets towards the uniform distribution, in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1].</exception>
    public static Loss SparseCategoricalCrossEntropyWith(bool fromLogits = false, float labelSmoothing = 0f) =>
        new CategoricalCrossEntropyLoss(fromLogits, CheckSmoothing(labelSmoothing), sparse: true);

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
    /// <param name="targets">The targets, row-major, as many rows, each <see cref="TargetsPerRow"/> wide.</param>
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

    /// <summary>
    /// <see cref="Compute"/> with a weight per row, as Keras weights a loss by <c>sample_weight</c>: each row's loss counts
    /// its weight times and the sum is divided by the rows, not by the weights (Keras' <c>sum_over_batch_size</c>); the
    /// gradient is that sum's. Every loss is a mean of per-row terms, so each row goes through <see cref="Compute"/> on
    /// its own and user-defined losses are weighted too. Empty <paramref name="weights"/> is <see cref="Compute"/>.
    /// </summary>
    internal double ComputeWeighted(
        ReadOnlySpan<float> outputs,
        ReadOnlySpan<float> targets,
        ReadOnlySpan<float> weights,
        int outputsPerRow,
        Activation outputActivation,
        Span<float> gradient,
        out bool gradientIsPreActivation)
    {
        if (weights.IsEmpty)
        {
            return Compute(outputs, targets, outputsPerRow, outputActivation, gradient, out gradientIsPreActivation);
        }

        int rows = weights.Length;
        int targetsPerRow = targets.Length / rows;
        gradientIsPreActivation = false;
        double sum = 0;
        for (int row = 0; row < rows; row++)
        {
            Span<float> rowGradient = gradient.IsEmpty ? gradient : gradient.Slice(row * outputsPerRow, outputsPerRow);
            double rowLoss = Compute(
                outputs.Slice(row * outputsPerRow, outputsPerRow), targets.Slice(row * targetsPerRow, targetsPerRow), outputsPerRow, outputActivation, rowGradient, out gradientIsPreActivation);

            // A row of weight 0 adds nothing, unless its loss is NaN, which must still show that training diverged.
            sum += weights[row] == 0 && !double.IsNaN(rowLoss) ? 0 : weights[row] * rowLoss;
            float scale = weights[row] / rows;
            foreach (ref float value in rowGradient)
            {
                value *= scale;
            }
        }

        return sum / rows;
    }

    /// <summary>The number of targets a row has for a network of <paramref name="outputs"/> outputs: as many, or 1 for a loss on class indices.</summary>
    /// <param name="outputs">The network's output width.</param>
    public virtual int TargetsPerRow(int outputs) => outputs;

    /// <summary>Whether the loss takes logits and squashes them itself, so that metrics decide classes at 0 rather than 0.5.</summary>
    internal virtual bool TakesLogits => false;

    /// <summary>
    /// Throws when a target lies outside the values this loss is defined for, naming its row and
    /// column; Fit, Evaluate and <see cref="TrainingSession.Step(ReadOnlySpan{float}, ReadOnlySpan{float})"/> call it before they use the targets.
    /// Targets are finite already (<see cref="Dataset"/> checks them); the losses with a narrower domain
    /// override this.
    /// </summary>
    /// <param name="targets">Targets, row-major, <see cref="TargetsPerRow"/> per row.</param>
    /// <param name="outputs">The network's output width.</param>
    /// <param name="parameterName">The name of the argument the targets came in, for the exception.</param>
    /// <exception cref="ArgumentException">A target is outside the loss's domain.</exception>
    internal virtual void CheckTargets(ReadOnlySpan<float> targets, int outputs, string parameterName)
    {
    }

    /// <summary>
    /// Throws when the network's last activation does not suit this loss; Fit, Evaluate and
    /// <see cref="TrainingSession"/> call it before the first step. Only the losses on logits override it.
    /// </summary>
    /// <param name="activation">The network's last activation.</param>
    /// <param name="networkName">The network's class, for the message.</param>
    /// <exception cref="ArgumentException">The activation does not suit the loss.</exception>
    internal virtual void CheckOutputActivation(Activation activation, string networkName)
    {
    }

    /// <summary>A loss on logits takes the raw outputs of a Linear last layer, which it squashes itself.</summary>
    private protected void RequireLinearOutput(Activation activation, string networkName, string squash)
    {
        if (activation != Activation.Linear)
        {
            throw new ArgumentException(
                $"{Name} with fromLogits takes logits, the outputs of a Linear last layer, but the last layer of {networkName} is {activation}; " +
                $"declare it Linear (the loss applies the {squash} itself), or use the loss without fromLogits.",
                "loss");
        }
    }

    private static float CheckSmoothing(float labelSmoothing) =>
        labelSmoothing is >= 0 and <= 1
            ? labelSmoothing
            : throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Label smoothing must be in [0, 1].");

    /// <summary><c>log(1 + e^x)</c> without overflow.</summary>
    private protected static double Softplus(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));

    /// <summary>The logarithm clamped below at -100, as PyTorch's cross-entropies take it; NaN stays NaN.</summary>
    private protected static double ClampedLog(double value) =>
        // Written so that NaN fails the test and reaches Math.Log and Math.Max, which both keep it.
        value <= 0 ? LogFloor : Math.Max(Math.Log(value), LogFloor);

    /// <summary>-1, 0 or 1 as <see cref="MathF.Sign(float)"/>, but NaN for NaN, where MathF.Sign throws.</summary>
    private protected static float Sign(float value) => value > 0 ? 1 : value < 0 ? -1 : value;
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
        slope = Sign(difference);
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

        slope = delta * Sign(difference);
        return delta * (Math.Abs(difference) - (0.5 * delta));
    }
}

internal sealed class BinaryCrossEntropyLoss(bool fromLogits = false, float labelSmoothing = 0f) : Loss
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
        gradientIsPreActivation = !fromLogits && outputActivation == Activation.Sigmoid;
        double sum = 0;
        float scale = 1f / outputs.Length;
        for (int i = 0; i < outputs.Length; i++)
        {
            double a = outputs[i], y = (targets[i] * (1 - (double)labelSmoothing)) + (0.5 * labelSmoothing);
            if (fromLogits)
            {
                // a is the logit z: -y·log σ(z) - (1 - y)·log(1 - σ(z)) = softplus(z) - y·z.
                sum += Softplus(a) - (y * a);
                if (!gradient.IsEmpty)
                {
                    gradient[i] = (float)((1 / (1 + Math.Exp(-a))) - y) * scale;
                }

                continue;
            }

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

    internal override void CheckOutputActivation(Activation activation, string networkName)
    {
        if (fromLogits)
        {
            RequireLinearOutput(activation, networkName, "sigmoid");
        }
    }

    internal override bool TakesLogits => fromLogits;

    internal override void CheckTargets(ReadOnlySpan<float> targets, int outputs, string parameterName)
    {
        for (int i = 0; i < targets.Length; i++)
        {
            if (!(targets[i] is >= 0 and <= 1))
            {
                throw new ArgumentException(
                    $"Binary cross-entropy takes targets in [0, 1], but row {i / outputs}, column {i % outputs} of the targets is {targets[i]}; " +
                    "scale the targets into [0, 1], or use a loss such as mean squared error.",
                    parameterName);
            }
        }
    }
}

/// <summary>
/// Categorical cross-entropy on probabilities or logits, with label smoothing, over one-hot (or probability) target
/// rows or, when sparse, over one column of class indices, each read as the one-hot row it stands for.
/// </summary>
internal sealed class CategoricalCrossEntropyLoss(bool fromLogits = false, float labelSmoothing = 0f, bool sparse = false) : Loss
{
    // Probabilities stored as float and summed drift from 1 by far less than this.
    private const double RowSumTolerance = 1e-3;

    public override string Name => sparse ? "sparse_categorical_crossentropy" : "categorical_crossentropy";

    internal override bool TakesLogits => fromLogits;

    public override int TargetsPerRow(int outputs) => sparse ? 1 : outputs;

    public override double Compute(
        ReadOnlySpan<float> outputs,
        ReadOnlySpan<float> targets,
        int outputsPerRow,
        Activation outputActivation,
        Span<float> gradient,
        out bool gradientIsPreActivation)
    {
        gradientIsPreActivation = !fromLogits && outputActivation == Activation.Softmax;
        int rows = outputs.Length / outputsPerRow;
        int width = TargetsPerRow(outputsPerRow);
        var smoothing = new Smoothing(1 - (double)labelSmoothing, (double)labelSmoothing / outputsPerRow, sparse);
        float scale = 1f / rows;
        double sum = 0;
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> a = outputs.Slice(row * outputsPerRow, outputsPerRow);
            ReadOnlySpan<float> y = targets.Slice(row * width, width);
            Span<float> g = gradient.IsEmpty ? gradient : gradient.Slice(row * outputsPerRow, outputsPerRow);
            sum += fromLogits ? FromLogits(a, y, smoothing, g, scale) : FromProbabilities(a, y, smoothing, gradientIsPreActivation, g, scale);
        }

        return sum / rows;
    }

    internal override void CheckOutputActivation(Activation activation, string networkName)
    {
        if (fromLogits)
        {
            RequireLinearOutput(activation, networkName, "softmax");
        }
    }

    private static double FromProbabilities(ReadOnlySpan<float> a, ReadOnlySpan<float> targets, Smoothing smoothing, bool fused, Span<float> gradient, float scale)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            // Zero targets count too: 0 · log(a) is 0 unless a is NaN or infinite, which must make the loss so.
            double y = smoothing.Target(targets, i);
            sum -= y * ClampedLog(a[i]);
            if (!gradient.IsEmpty)
            {
                // Through a softmax whose targets sum to one, d/dz of the loss is a - y exactly.
                gradient[i] = fused ? (float)(a[i] - y) * scale : (float)(-y / Math.Max(a[i], 1e-12)) * scale;
            }
        }

        return sum;
    }

    /// <summary>One row of logits: Σ y·(logsumexp(z) - z), with the largest logit taken out so that no exponential overflows.</summary>
    private static double FromLogits(ReadOnlySpan<float> z, ReadOnlySpan<float> targets, Smoothing smoothing, Span<float> gradient, float scale)
    {
        double max = double.NegativeInfinity;
        foreach (float value in z)
        {
            max = value > max || double.IsNaN(value) ? value : max;
        }

        double exponentials = 0;
        foreach (float value in z)
        {
            exponentials += Math.Exp(value - max);
        }

        double logSumExp = max + Math.Log(exponentials);
        double sum = 0, targetSum = 0;
        for (int i = 0; i < z.Length; i++)
        {
            double y = smoothing.Target(targets, i);
            sum += y * (logSumExp - z[i]);
            targetSum += y;
        }

        if (!gradient.IsEmpty)
        {
            for (int i = 0; i < z.Length; i++)
            {
                gradient[i] = (float)((Math.Exp(z[i] - logSumExp) * targetSum) - smoothing.Target(targets, i)) * scale;
            }
        }

        return sum;
    }

    internal override void CheckTargets(ReadOnlySpan<float> targets, int outputs, string parameterName)
    {
        if (sparse)
        {
            for (int row = 0; row < targets.Length; row++)
            {
                float label = targets[row];
                if (!(label >= 0 && label < outputs && label == MathF.Floor(label)))
                {
                    throw new ArgumentException(
                        $"Sparse categorical cross-entropy takes each row's class index, a whole number from 0 to {outputs - 1}, but row {row} of the targets is {label}; " +
                        "use class indices, or one-hot rows with categorical cross-entropy.",
                        parameterName);
                }
            }

            return;
        }

        for (int row = 0; row < targets.Length / outputs; row++)
        {
            ReadOnlySpan<float> values = targets.Slice(row * outputs, outputs);
            double sum = 0;
            for (int column = 0; column < values.Length; column++)
            {
                if (values[column] < 0)
                {
                    throw new ArgumentException(
                        $"Categorical cross-entropy takes targets that are not negative, but row {row}, column {column} of the targets is {values[column]}; " +
                        "use one-hot rows or class probabilities.",
                        parameterName);
                }

                sum += values[column];
            }

            if (Math.Abs(sum - 1) > RowSumTolerance)
            {
                throw new ArgumentException(
                    $"Categorical cross-entropy takes target rows that sum to 1 (one-hot rows or class probabilities), but row {row} of the targets sums to {sum}; " +
                    "normalise each row, or use binary cross-entropy for labels that are independent of each other.",
                    parameterName);
            }
        }
    }

    /// <summary>Label smoothing's y(1 - ε) + ε/K, of a row of targets or of the one-hot row a class index stands for.</summary>
    private readonly record struct Smoothing(double Keep, double Spread, bool Sparse)
    {
        public double Target(ReadOnlySpan<float> targets, int i) =>
            ((Sparse ? (i == (int)targets[0] ? 1 : 0) : targets[i]) * Keep) + Spread;
    }
}

internal sealed class LogCoshLoss : ElementwiseLoss
{
    private static readonly double Log2 = Math.Log(2);

    public override string Name => "log_cosh";

    protected override double Term(float output, float target, out float slope)
    {
        double error = (double)output - target;
        slope = (float)Math.Tanh(error);
        return Math.Abs(error) + Math.Log(1 + Math.Exp(-2 * Math.Abs(error))) - Log2;
    }
}
