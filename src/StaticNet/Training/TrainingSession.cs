using System;
using StaticNet.Training;

namespace StaticNet;

/// <summary>
/// Trains one network one batch at a time: forward pass, loss, backward pass, optimizer step.
/// It allocates its buffers once, so each <see cref="Step"/> allocates nothing.
/// <see cref="NetworkTraining.Fit(INetwork, Dataset, FitOptions)"/> is built on it; use it directly
/// for a custom training loop.
/// </summary>
public sealed class TrainingSession
{
    private readonly string _networkName;

    /// <summary>Prepares to train <paramref name="network"/> with batches of up to <paramref name="maxBatchSize"/> samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBatchSize"/> is below 1.</exception>
    public TrainingSession(INetwork network, Loss loss, Optimizer optimizer, int maxBatchSize)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        Network = network;
        Loss = loss;
        Optimizer = optimizer;
        Buffers = new TrainingBuffers(network.Shape, maxBatchSize);
        _networkName = network.GetType().Name;
    }

    /// <summary>The network being trained.</summary>
    public INetwork Network { get; }

    /// <summary>The loss minimised.</summary>
    public Loss Loss { get; }

    /// <summary>The update rule.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The scratch of the forward and backward passes.</summary>
    public TrainingBuffers Buffers { get; }

    /// <summary>
    /// Trains on one batch and returns its mean loss, measured before the update.
    /// </summary>
    /// <param name="features">The batch's features, row-major.</param>
    /// <param name="targets">The batch's targets, row-major, as many rows.</param>
    /// <exception cref="ArgumentException">The spans do not hold the same number of whole rows of the network's widths.</exception>
    /// <exception cref="TrainingDivergedException">The loss is NaN or infinite; the parameters are left unchanged.</exception>
    public double Step(ReadOnlySpan<float> features, ReadOnlySpan<float> targets)
    {
        if (!TryStep(features, targets, out double loss))
        {
            throw new TrainingDivergedException(loss, Loss.Name, $"at step {Optimizer.Steps + 1}");
        }

        return loss;
    }

    /// <summary>The outputs the last step computed (before its update), <paramref name="rows"/> rows.</summary>
    public ReadOnlySpan<float> Outputs(int rows) => Buffers.Outputs(rows);

    /// <summary>Like <see cref="Step"/>, but returns false instead of throwing when the loss is not finite.</summary>
    internal bool TryStep(ReadOnlySpan<float> features, ReadOnlySpan<float> targets, out double loss)
    {
        NetworkShape shape = Network.Shape;
        int rows = Kernels.Guard.Rows(features.Length, shape.Inputs, targets.Length, shape.Outputs, _networkName);
        Network.Forward(features, rows, Buffers);
        loss = Loss.Compute(Buffers.Outputs(rows), targets, shape.Outputs, shape.OutputActivation, Buffers.OutputGradient(rows), out bool fused);
        if (!double.IsFinite(loss))
        {
            return false;
        }

        Buffers.OutputGradientIsPreActivation = fused;
        Network.Backward(features, rows, Buffers);
        Optimizer.Step(Network, Buffers.Gradients);
        return true;
    }
}
