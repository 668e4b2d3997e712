using System;
using System.Globalization;
using System.IO;

namespace StaticNet.Training;

/// <summary>
/// Fit's console output, as Keras' <c>ProgbarLogger</c>: <c>Epoch 3/15</c> as each epoch's first batch ends, then, on a
/// terminal with <see cref="Verbosity.ProgressBar"/>, the bar redrawn in place at most once per interval
/// with the running figures, and the epoch's final line as it ends. It runs before the user's callbacks,
/// so the epoch's line comes before what they print.
/// </summary>
/// <param name="output">Where the lines go.</param>
/// <param name="line">The bar's line on <paramref name="output"/>, live when the output is a terminal and the bar was asked for.</param>
/// <param name="runner">The run's epochs, whose running figures the bar shows.</param>
/// <param name="metricNames">The names of the run's metrics, in the runner's order.</param>
internal sealed class ConsoleProgress(TextWriter output, LiveLine line, EpochRunner runner, string[] metricNames) : FitCallback
{
    private readonly (string Name, double Value)[] _figures = new (string, double)[metricNames.Length + 1];

    internal override bool HandlesBatchEnd => line.IsLive;

    private bool _headed;

    public override void OnEpochBegin(FitContext context)
    {
        // The heading waits for the epoch's first batch, so an epoch a callback stops before it runs leaves no line.
        _headed = false;
        line.Restart();
    }

    public override void OnBatchEnd(FitContext context, BatchSummary batch)
    {
        Head(context);
        if (!line.TryBeginRedraw())
        {
            return;
        }

        for (int m = 0; m < metricNames.Length; m++)
        {
            _figures[m] = (metricNames[m], runner.MetricValue(m));
        }

        _figures[^1] = ("loss", batch.MeanLoss);
        ProgressLine.AppendRunning(line.Text, batch.Batch, batch.Batches, line.Elapsed, _figures);
        line.Draw(final: false);
    }

    public override void OnEpochEnd(FitContext context, EpochSummary epoch)
    {
        Head(context);
        line.BeginFinal();
        ProgressLine.AppendDone(line.Text, epoch.Duration, runner.CompletedBatches, runner.Batches, epoch.Values);
        line.Draw(final: true);
    }

    private void Head(FitContext context)
    {
        if (!_headed)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Epoch {context.Epoch}/{context.Epochs}"));
            _headed = true;
        }
    }
}
