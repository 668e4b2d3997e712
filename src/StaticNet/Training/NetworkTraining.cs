using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using StaticNet.Kernels;
using StaticNet.Training;
using StaticNet.Training.Metrics;

namespace StaticNet;

/// <summary>Keras-style training, evaluation and prediction for every generated network.</summary>
public static class NetworkTraining
{
    private const int EvaluationChunkRows = 1024;

    /// <summary>Trains the network on features <paramref name="x"/> and targets <paramref name="y"/>, as Keras' <c>model.fit(x, y)</c>.</summary>
    /// <inheritdoc cref="Fit(INetwork, Dataset, FitOptions, CancellationToken)"/>
    public static History Fit(this INetwork network, float[,] x, float[,] y, FitOptions options, CancellationToken cancellationToken = default) =>
        network.Fit(new Dataset(x, y), options, cancellationToken);

    /// <summary>Trains the network, as Keras' <c>model.fit</c>.</summary>
    /// <remarks>
    /// Every setting, the data (widths, and targets in the loss's domain: see <see cref="Loss"/>), the
    /// metrics and the figures the callbacks monitor are checked before the first step, so a call that
    /// throws for any of them leaves the network as it was. Training that diverges is never hidden: a
    /// batch whose loss is NaN or infinite, or an epoch that ends with a parameter NaN or infinite, stops
    /// Fit with a <see cref="TrainingDivergedException"/> that names the epoch and the batch. The network
    /// is then left with the parameters it had at the end of the last epoch that ended finite (or before
    /// training), and the optimizer with its state from then, so a further Fit with the same optimizer,
    /// perhaps at a smaller <see cref="Optimizer.LearningRate"/>, goes on from there. Fit looks at
    /// <paramref name="cancellationToken"/> before every batch and before each epoch's validation, so a
    /// cancelled token stops it within one batch with a <see cref="TrainingCanceledException"/>; the network
    /// then keeps the parameters of its last complete step, and the exception the figures of the epochs that
    /// completed.
    /// </remarks>
    /// <param name="network">The network to train; its parameters are updated in place.</param>
    /// <param name="data">The training data.</param>
    /// <param name="options">Loss, optimizer, epochs, batch size, metrics, validation and progress settings.</param>
    /// <param name="cancellationToken">Stops training within one batch when cancelled.</param>
    /// <returns>The loss and metrics of every epoch.</returns>
    /// <exception cref="ArgumentException">
    /// The data's widths do not match the network, a target is outside the loss's domain, a parameter is NaN
    /// or infinite before training, or a callback monitors a figure the run does not record.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, or the validation split leaves either side empty.</exception>
    /// <exception cref="TrainingDivergedException">Training diverged; the message says at which epoch and batch.</exception>
    /// <exception cref="TrainingCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static History Fit(this INetwork network, Dataset data, FitOptions options, CancellationToken cancellationToken = default)
    {
        using FitRun run = FitRun.Prepare(network, data, options);
        return run.Run(cancellationToken);
    }

    /// <summary>
    /// Trains the network on a thread of its own, as <see cref="Fit(INetwork, Dataset, FitOptions, CancellationToken)"/>
    /// does, so that a GUI or a service goes on while it runs; follow it through <see cref="FitOptions.Progress"/>.
    /// </summary>
    /// <remarks>
    /// Everything Fit checks before the first step is checked here too, before the task starts, so bad settings
    /// throw from this call rather than from the task. A cancelled token stops training within one batch: the
    /// task ends cancelled, and awaiting it throws the <see cref="TrainingCanceledException"/> with the history
    /// so far; a token cancelled before training began cancels the task before it runs.
    /// </remarks>
    /// <param name="network">The network to train; its parameters are updated in place, so do not use it from other threads until the task ends.</param>
    /// <param name="data">The training data.</param>
    /// <param name="options">Loss, optimizer, epochs, batch size, metrics, validation and progress settings.</param>
    /// <param name="cancellationToken">Stops training within one batch when cancelled.</param>
    /// <returns>The task, whose result is the loss and metrics of every epoch.</returns>
    /// <exception cref="ArgumentException">As <see cref="Fit(INetwork, Dataset, FitOptions, CancellationToken)"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Fit(INetwork, Dataset, FitOptions, CancellationToken)"/>.</exception>
    public static Task<History> FitAsync(this INetwork network, Dataset data, FitOptions options, CancellationToken cancellationToken = default) =>
        RunAsync(FitRun.Prepare(network, data, options), cancellationToken);

    private static async Task<History> RunAsync(FitRun run, CancellationToken cancellationToken)
    {
        using (run)
        {
            return await Task.Factory.StartNew(
                () => run.Run(cancellationToken),
                cancellationToken,
                TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach,
                TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <summary>Computes the loss and metrics on features <paramref name="x"/> and targets <paramref name="y"/>, as Keras' <c>model.evaluate(x, y)</c>.</summary>
    /// <inheritdoc cref="Evaluate(INetwork, Dataset, Loss, Metric[])"/>
    public static Evaluation Evaluate(this INetwork network, float[,] x, float[,] y, Loss loss, params Metric[] metrics) =>
        network.Evaluate(new Dataset(x, y), loss, metrics);

    /// <summary>
    /// Computes the loss and metrics of the network on a dataset, as Keras' <c>model.evaluate</c>, writing
    /// nothing. A network whose outputs are NaN scores NaN in the loss and in every metric.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="data">The data to score.</param>
    /// <param name="loss">The loss to report.</param>
    /// <param name="metrics">The metrics to report.</param>
    /// <exception cref="ArgumentException">The data's widths do not match the network, or a target is outside the loss's domain.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A metric is not a defined <see cref="Metric"/>.</exception>
    public static Evaluation Evaluate(this INetwork network, Dataset data, Loss loss, params Metric[] metrics)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(metrics);
        Metric.Names(metrics, nameof(metrics));
        CheckData(network, data, loss, nameof(data));
        return Score(network, data, loss, metrics, MetricSet.Create(network, loss, metrics, nameof(metrics)));
    }

    /// <summary>
    /// Computes the loss and metrics of the network on a dataset, as Keras' <c>model.evaluate</c>, writing its
    /// progress to the console as <paramref name="verbose"/> says: a bar over the chunks of 1,024 rows it
    /// scores at a time, redrawn on a terminal, and a last line with the figures.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="data">The data to score.</param>
    /// <param name="loss">The loss to report.</param>
    /// <param name="verbose">What to write; <see cref="Verbosity.Auto"/> draws the bar on a terminal and writes one line otherwise.</param>
    /// <param name="metrics">The metrics to report.</param>
    /// <exception cref="ArgumentException">The data's widths do not match the network, or a target is outside the loss's domain.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A metric is not a defined <see cref="Metric"/>, or <paramref name="verbose"/> is not a defined <see cref="Verbosity"/>.</exception>
    public static Evaluation Evaluate(this INetwork network, Dataset data, Loss loss, Verbosity verbose, params Metric[] metrics) =>
        Evaluate(network, data, loss, verbose, Console.Out, !Console.IsOutputRedirected, TimeProvider.System, metrics);

    /// <summary>Evaluate, writing to <paramref name="output"/>, which is a terminal or not, paced by <paramref name="clock"/>.</summary>
    internal static Evaluation Evaluate(INetwork network, Dataset data, Loss loss, Verbosity verbose, TextWriter output, bool terminal, TimeProvider clock, Metric[] metrics)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(metrics);
        if (!Enum.IsDefined(verbose))
        {
            throw new ArgumentOutOfRangeException(nameof(verbose), verbose, "verbose must be a defined Verbosity.");
        }

        string[] names = Metric.Names(metrics, nameof(metrics));
        CheckData(network, data, loss, nameof(data));
        MetricSet accumulators = MetricSet.Create(network, loss, metrics, nameof(metrics));
        (Verbosity verbosity, bool live) = FitOptions.Resolve(verbose, terminal);
        var line = verbosity == Verbosity.Silent ? null : new LiveLine(output, live, clock, TimeSpan.FromMilliseconds(100));
        return Score(network, data, loss, metrics, accumulators, line is null ? null : (line, names));
    }

    /// <summary>Computes the outputs of every row of <paramref name="x"/>, as Keras' <c>model.predict(x)</c>.</summary>
    /// <param name="network">The network.</param>
    /// <param name="x">Features, samples × inputs.</param>
    /// <returns>Outputs, samples × outputs.</returns>
    /// <exception cref="ArgumentException">The number of columns of <paramref name="x"/> is not the network's input width.</exception>
    public static float[,] Predict(this INetwork network, float[,] x)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(x);
        NetworkShape shape = network.Shape;
        if (x.GetLength(1) != shape.Inputs)
        {
            throw new ArgumentException(
                $"The input has {x.GetLength(1)} columns but {network.GetType().Name} takes {shape.Inputs} inputs.", nameof(x));
        }

        var y = new float[x.GetLength(0), shape.Outputs];
        if (x.Length > 0)
        {
            ReadOnlySpan<float> inputs = System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref x[0, 0], x.Length);
            Span<float> outputs = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref y[0, 0], y.Length);
            network.PredictBatch(inputs, outputs);
        }

        return y;
    }

    /// <summary>Evaluates checked data with the metrics' accumulators, which it resets first.</summary>
    internal static Evaluation Score(INetwork network, Dataset data, Loss loss, Metric[] metrics, MetricSet accumulators, (LiveLine Line, string[] Names)? progress = null)
    {
        int outputs = network.Shape.Outputs;
        int targetsPerRow = data.TargetCount;
        accumulators.Reset();
        double penalty = Penalty(network);

        float[] predictions = new float[Math.Min(EvaluationChunkRows, data.Count) * outputs];
        double lossSum = 0;
        int chunks = (data.Count + EvaluationChunkRows - 1) / EvaluationChunkRows;
        progress?.Line.Restart();
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            int start = chunk * EvaluationChunkRows;
            int rows = Math.Min(EvaluationChunkRows, data.Count - start);
            Span<float> predicted = predictions.AsSpan(0, rows * outputs);
            ReadOnlySpan<float> targets = data.Targets.Slice(start * targetsPerRow, rows * targetsPerRow);
            network.PredictBatch(data.Features.Slice(start * data.FeatureCount, rows * data.FeatureCount), predicted);
            ReadOnlySpan<float> weights = data.SampleWeights.IsEmpty ? [] : data.SampleWeights.Slice(start, rows);
            lossSum += loss.ComputeWeighted(predicted, targets, weights, outputs, network.Shape.OutputActivation, [], out _) * rows;
            accumulators.Update(predicted, targets, weights, rows);

            if (progress is var (line, names) && line.TryBeginRedraw())
            {
                ProgressLine.AppendRunning(line.Text, chunk + 1, chunks, line.Elapsed, Figures(names, accumulators, (lossSum / (start + rows)) + penalty));
                line.Draw(final: false);
            }
        }

        if (progress is var (finalLine, finalNames))
        {
            finalLine.BeginFinal();
            ProgressLine.AppendDone(finalLine.Text, finalLine.Elapsed, chunks, chunks, Figures(finalNames, accumulators, (lossSum / data.Count) + penalty).Select(f => KeyValuePair.Create(f.Name, f.Value)));
            finalLine.Draw(final: true);
        }

        var values = new Dictionary<Metric, double>();
        for (int m = 0; m < metrics.Length; m++)
        {
            values[metrics[m]] = accumulators[m];
        }

        return new Evaluation((lossSum / data.Count) + penalty, values);
    }

    /// <summary>The weight penalties of the network's layers, which its loss includes in evaluation as in training, as Keras' does.</summary>
    private static double Penalty(INetwork network) =>
        network is IGeneratedNetwork { Layout.Regularized: true } generated ? generated.Layout.Regularize(generated.ParameterStorage, [], 0, 1) : 0;

    /// <summary>The metrics' running values and the loss, in the order the progress line shows them.</summary>
    private static (string Name, double Value)[] Figures(string[] names, MetricSet accumulators, double loss)
    {
        var figures = new (string Name, double Value)[names.Length + 1];
        for (int m = 0; m < names.Length; m++)
        {
            figures[m] = (names[m], accumulators[m]);
        }

        figures[^1] = ("loss", loss);
        return figures;
    }

    /// <summary>
    /// The training and validation data: <see cref="FitOptions.ValidationData"/>, checked as the training
    /// data is, or the last rows of <paramref name="data"/> as Keras' <c>validation_split</c> holds them out
    /// (the first ⌊n · (1 - split)⌋ rows train).
    /// </summary>
    internal static (Dataset Train, Dataset? Validation) HoldOut(INetwork network, Dataset data, FitOptions options)
    {
        if (options.ValidationData is Dataset validation)
        {
            CheckData(network, validation, options.Loss, nameof(options.ValidationData));
            return (data, validation);
        }

        double split = options.ValidationSplit;
        if (split == 0)
        {
            return (data, null);
        }

        int count = data.Count;
        int trainRows = (int)Math.Floor(count * (1 - split));
        if (trainRows == 0)
        {
            string instead = count < 2 ? "a single row cannot be split, so set it to 0" : $"use at most {Math.Floor((1 - (1.0 / count)) * 100) / 100}";
            throw new ArgumentOutOfRangeException(
                nameof(options.ValidationSplit), split, $"ValidationSplit {split} of {count} rows leaves no training rows; {instead}, or pass ValidationData.");
        }

        if (trainRows == count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options.ValidationSplit), split,
                $"ValidationSplit {split} of {count} rows leaves no validation rows; use at least {Math.Ceiling(100.0 / count) / 100}, or pass ValidationData.");
        }

        return (data.Slice(0, trainRows), data.Slice(trainRows, count - trainRows));
    }

    /// <summary>Checks that training starts from finite parameters, so the snapshot Fit falls back on is finite.</summary>
    internal static void CheckParameters(INetwork network)
    {
        int index = NonFinite.IndexOf(network.Parameters);
        if (index >= 0)
        {
            throw new ArgumentException(
                $"Parameter {index} of {network.GetType().Name} (in the kernel layout) is {network.Parameters[index]} before training; " +
                "load or initialise finite parameters first.",
                nameof(network));
        }
    }

    /// <summary>Checks that the data has the network's widths and targets in the loss's domain.</summary>
    internal static void CheckData(INetwork network, Dataset data, Loss loss, string parameterName)
    {
        CheckWidths(network, data, loss, parameterName);
        loss.CheckOutputActivation(network.Shape.Layers[^1].Activation, network.GetType().Name);
        loss.CheckTargets(data.Targets, network.Shape.Outputs, parameterName);
    }

    private static void CheckWidths(INetwork network, Dataset data, Loss loss, string parameterName)
    {
        NetworkShape shape = network.Shape;
        string name = network.GetType().Name;
        if (data.FeatureCount != shape.Inputs)
        {
            throw new ArgumentException(
                $"The data has {data.FeatureCount} feature columns but {name} takes {shape.Inputs} inputs.", parameterName);
        }

        int targetsPerRow = loss.TargetsPerRow(shape.Outputs);
        if (data.TargetCount != targetsPerRow)
        {
            throw new ArgumentException(
                targetsPerRow == shape.Outputs
                    ? $"The data has {data.TargetCount} target columns but {name} has {shape.Outputs} outputs" +
                      (data.TargetCount == 1 && shape.Outputs > 1 ? "; for a column of class indices, use Loss.SparseCategoricalCrossEntropy." : ".")
                    : $"The data has {data.TargetCount} target columns but {loss.Name} takes {targetsPerRow} per row for the {shape.Outputs} outputs of {name}.",
                parameterName);
        }
    }
}
