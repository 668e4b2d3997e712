using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using StaticNet.Training;

namespace StaticNet;

/// <summary>The figures of one epoch of training.</summary>
/// <param name="Epoch">The 1-based epoch number.</param>
/// <param name="Duration">The wall time of the epoch, validation included.</param>
/// <param name="Values">The figures by Keras name: <c>loss</c>, metrics such as <c>accuracy</c>, and <c>val_</c>-prefixed validation figures.</param>
public sealed record EpochSummary(int Epoch, TimeSpan Duration, IReadOnlyDictionary<string, double> Values)
{
    /// <summary>The mean training loss over the epoch's batches.</summary>
    public double Loss => Values["loss"];

    /// <summary>The validation loss, when there was validation data.</summary>
    public double? ValidationLoss => Values.TryGetValue("val_loss", out double value) ? value : null;
}

/// <summary>What <see cref="NetworkTraining.Fit(INetwork, Dataset, FitOptions, System.Threading.CancellationToken)"/> measured, epoch by epoch, as Keras' <c>History</c>.</summary>
public sealed class History
{
    private readonly List<EpochSummary> _epochs = [];

    /// <summary>Each epoch's figures, in order.</summary>
    public IReadOnlyList<EpochSummary> Epochs => _epochs;

    /// <summary>One figure across all epochs, e.g. <c>history["val_accuracy"]</c>.</summary>
    /// <exception cref="KeyNotFoundException">No such figure was recorded.</exception>
    public IReadOnlyList<double> this[string name] =>
        _epochs.Count > 0 && _epochs[0].Values.ContainsKey(name)
            ? _epochs.Select(e => e.Values[name]).ToArray()
            : throw new KeyNotFoundException($"No figure named '{name}' was recorded; the history has {string.Join(", ", Names)}.");

    /// <summary>The names of the recorded figures.</summary>
    public IEnumerable<string> Names => _epochs.Count > 0 ? _epochs[0].Values.Keys : [];

    /// <summary>
    /// Draws the history as an SVG picture of training curves, as the plots Keras users make of
    /// <c>history.history</c>: a panel per figure (the loss first, then the metrics and the learning rate),
    /// each with its training series in blue and its validation series in orange, against the epoch.
    /// A NaN or infinite value leaves a gap in its line.
    /// </summary>
    /// <param name="title">The picture's title; "Training history" when null.</param>
    /// <returns>The SVG document.</returns>
    /// <exception cref="InvalidOperationException">The history has no epochs.</exception>
    public string ToSvg(string? title = null) =>
        _epochs.Count > 0
            ? HistoryChart.Draw(this, title ?? "Training history")
            : throw new InvalidOperationException("The history has no epochs to draw.");

    /// <summary>
    /// Writes <see cref="ToSvg"/>'s picture to <paramref name="path"/>, a file a browser or an IDE opens. The
    /// file is replaced atomically, as model files are, so a failed write leaves the previous picture.
    /// </summary>
    /// <param name="path">The file to create or replace, conventionally <c>.svg</c>.</param>
    /// <param name="title">The picture's title; "Training history" when null.</param>
    /// <exception cref="InvalidOperationException">The history has no epochs.</exception>
    /// <exception cref="IOException">The file system refused the file; the message starts with the path.</exception>
    public void SaveSvg(string path, string? title = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] svg = Encoding.UTF8.GetBytes(ToSvg(title));
        AtomicFile.Write(path, stream => stream.Write(svg));
    }

    internal void Add(EpochSummary epoch) => _epochs.Add(epoch);
}

/// <summary>The loss and metrics of a network on a dataset.</summary>
public sealed class Evaluation
{
    internal Evaluation(double loss, IReadOnlyDictionary<Metric, double> metrics)
    {
        Loss = loss;
        Metrics = metrics;
    }

    /// <summary>The mean loss.</summary>
    public double Loss { get; }

    /// <summary>Each requested metric's value, keyed by the metric as requested.</summary>
    public IReadOnlyDictionary<Metric, double> Metrics { get; }

    /// <summary>The accuracy, when it was requested (as any of the accuracy metrics).</summary>
    /// <exception cref="InvalidOperationException">No accuracy metric was requested.</exception>
    public double Accuracy =>
        Metrics.TryGetValue(Metric.Accuracy, out double value) ||
        Metrics.TryGetValue(Metric.BinaryAccuracy, out value) ||
        Metrics.TryGetValue(Metric.CategoricalAccuracy, out value) ||
        Metrics.TryGetValue(Metric.SparseCategoricalAccuracy, out value)
            ? value
            : throw new InvalidOperationException("Accuracy was not requested; pass Metric.Accuracy to Evaluate.");

    /// <summary>A requested metric's value.</summary>
    /// <exception cref="KeyNotFoundException">The metric was not requested.</exception>
    public double this[Metric metric] => Metrics[metric];
}
