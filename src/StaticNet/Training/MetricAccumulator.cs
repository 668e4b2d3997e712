using System;

namespace StaticNet;

/// <summary>
/// The running state of one <see cref="Metric"/> over one run: Fit and Evaluate call <see cref="Update"/> once per
/// batch, read <see cref="Result"/>, and call <see cref="Reset"/> before the next epoch, as Keras' <c>update_state</c>,
/// <c>result</c> and <c>reset_state</c>. Allocate what the state needs when it is made, not in <see cref="Update"/>,
/// so that training steps stay free of allocation.
/// </summary>
public abstract class MetricAccumulator
{
    /// <summary>Adds a batch.</summary>
    /// <param name="batch">The batch's outputs, targets and, for a weighted metric, sample weights.</param>
    public abstract void Update(in MetricBatch batch);

    /// <summary>The metric's value over the batches added since the last <see cref="Reset"/>.</summary>
    public abstract double Result { get; }

    /// <summary>Forgets every batch added.</summary>
    public abstract void Reset();
}

/// <summary>One batch as a <see cref="MetricAccumulator"/> sees it: outputs and targets row-major, and the rows' sample weights.</summary>
public readonly ref struct MetricBatch
{
    /// <summary>Describes a batch of <paramref name="rows"/> rows.</summary>
    /// <param name="outputs">The network's outputs, row-major, the same number per row.</param>
    /// <param name="targets">The targets, row-major, the same number per row.</param>
    /// <param name="weights">A weight per row, or empty when every row counts once.</param>
    /// <param name="rows">The number of rows, at least 1.</param>
    /// <exception cref="ArgumentException">The lengths are not whole rows, or the weights are neither empty nor one per row.</exception>
    public MetricBatch(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        if (outputs.Length % rows != 0 || targets.Length % rows != 0 || outputs.IsEmpty || targets.IsEmpty)
        {
            throw new ArgumentException($"{outputs.Length} outputs and {targets.Length} targets are not whole rows of a batch of {rows}.", nameof(rows));
        }

        if (!weights.IsEmpty && weights.Length != rows)
        {
            throw new ArgumentException($"There are {weights.Length} weights for a batch of {rows} rows; give one per row, or none.", nameof(weights));
        }

        Outputs = outputs;
        Targets = targets;
        Weights = weights;
        Rows = rows;
    }

    /// <summary>The outputs, row-major.</summary>
    public ReadOnlySpan<float> Outputs { get; }

    /// <summary>The targets, row-major.</summary>
    public ReadOnlySpan<float> Targets { get; }

    /// <summary>A weight per row, or empty when every row counts once.</summary>
    public ReadOnlySpan<float> Weights { get; }

    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <summary>The outputs of each row.</summary>
    public int OutputsPerRow => Outputs.Length / Rows;

    /// <summary>The targets of each row.</summary>
    public int TargetsPerRow => Targets.Length / Rows;

    /// <summary>The outputs of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> OutputRow(int row) => Outputs.Slice(row * OutputsPerRow, OutputsPerRow);

    /// <summary>The targets of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> TargetRow(int row) => Targets.Slice(row * TargetsPerRow, TargetsPerRow);

    /// <summary>The weight of row <paramref name="row"/>: 1 when the batch is unweighted.</summary>
    public float Weight(int row) => Weights.IsEmpty ? 1f : Weights[row];
}

/// <summary>What a <see cref="Metric"/> is told about a run when it makes its accumulator.</summary>
/// <param name="Outputs">The network's output width.</param>
/// <param name="TargetsPerRow">The targets' width: the outputs, or 1 for class-index targets (<see cref="Loss.SparseCategoricalCrossEntropy"/>).</param>
/// <param name="Loss">The loss of the run.</param>
/// <param name="OutputActivation">The network's last activation.</param>
public sealed record MetricContext(int Outputs, int TargetsPerRow, Loss Loss, Activation OutputActivation)
{
    /// <summary>Whether the outputs are logits, which a loss such as <c>BinaryCrossEntropyWith(fromLogits: true)</c> squashes itself.</summary>
    public bool OutputsAreLogits => Loss.TakesLogits;

    /// <summary>Whether each row's one target is a class index among several outputs.</summary>
    public bool SparseTargets => TargetsPerRow == 1 && Outputs > 1;

    /// <summary>The output value above which a single output decides "yes": 0 for logits, otherwise 0.5.</summary>
    public float DecisionThreshold => OutputsAreLogits ? 0f : 0.5f;

    /// <summary>Refuses class-index targets, for a metric that compares each output with a target of its own.</summary>
    /// <param name="instead">What to use instead, ending the message; empty for nothing.</param>
    /// <exception cref="ArgumentException">The targets are class indices.</exception>
    internal void RequireTargetPerOutput(string instead = "")
    {
        if (SparseTargets)
        {
            throw new ArgumentException($"it compares each output with its own target, but the targets are class indices{instead}.");
        }
    }
}
