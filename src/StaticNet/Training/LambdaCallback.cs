using System;

namespace StaticNet;

/// <summary>
/// A callback made of delegates, as Keras' <c>LambdaCallback</c>, for code too small to deserve a class:
/// <c>new LambdaCallback(onEpochEnd: (context, epoch) =&gt; Console.WriteLine(epoch.Loss))</c>. Hooks left
/// null do nothing, and a null <c>onBatchEnd</c> costs nothing per batch.
/// </summary>
/// <param name="onTrainBegin">Runs as <see cref="FitCallback.OnTrainBegin"/>, or null.</param>
/// <param name="onEpochBegin">Runs as <see cref="FitCallback.OnEpochBegin"/>, or null.</param>
/// <param name="onBatchEnd">Runs as <see cref="FitCallback.OnBatchEnd"/>, or null.</param>
/// <param name="onEpochEnd">Runs as <see cref="FitCallback.OnEpochEnd"/>, or null.</param>
/// <param name="onTrainEnd">Runs as <see cref="FitCallback.OnTrainEnd"/>, or null.</param>
public sealed class LambdaCallback(
    Action<FitContext>? onTrainBegin = null,
    Action<FitContext>? onEpochBegin = null,
    Action<FitContext, BatchSummary>? onBatchEnd = null,
    Action<FitContext, EpochSummary>? onEpochEnd = null,
    Action<FitContext>? onTrainEnd = null) : FitCallback
{
    /// <inheritdoc />
    public override void OnTrainBegin(FitContext context) => onTrainBegin?.Invoke(context);

    /// <inheritdoc />
    public override void OnEpochBegin(FitContext context) => onEpochBegin?.Invoke(context);

    /// <inheritdoc />
    public override void OnBatchEnd(FitContext context, BatchSummary batch) => onBatchEnd?.Invoke(context, batch);

    /// <inheritdoc />
    public override void OnEpochEnd(FitContext context, EpochSummary epoch) => onEpochEnd?.Invoke(context, epoch);

    /// <inheritdoc />
    public override void OnTrainEnd(FitContext context) => onTrainEnd?.Invoke(context);

    internal override bool HandlesBatchEnd => onBatchEnd is not null;
}
