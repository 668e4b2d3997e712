using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using StaticNet.Training;

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
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string[] names = MetricMath.Names(options.Metrics, nameof(options.Metrics));
        CheckData(network, data, options.Loss, nameof(data));
        CheckParameters(network);
        (Dataset train, Dataset? validation) = HoldOut(network, data, options);
        string[] validationNames = validation is null ? [] : Array.ConvertAll(names, name => "val_" + name);
        string[] figures = validation is null
            ? [.. names, "loss", "learning_rate"]
            : [.. names, "loss", .. validationNames, "val_loss", "learning_rate"];
        var history = new History();
        var context = new FitContext(network, options.Optimizer, options.Epochs, history) { Figures = figures };
        foreach (FitCallback callback in options.Callbacks)
        {
            callback.Check(context);
        }

        NetworkShape shape = network.Shape;
        int batchSize = Math.Min(options.BatchSize, train.Count);
        int threads = options.Threads ?? TrainingSession.DefaultThreads(shape, batchSize);
        using var session = new TrainingSession(network, options.Loss, options.Optimizer, batchSize, threads);
        var snapshot = new TrainingSnapshot(network, options.Optimizer);
        Metric[] metrics = [.. options.Metrics];
        var runner = new EpochRunner(session, train, batchSize, Array.ConvertAll(metrics, m => MetricMath.Resolve(m, options.Loss, shape.Outputs)), context);
        FitCallback[] batchCallbacks = [.. options.Callbacks.Where(callback => callback.HandlesBatchEnd)];

        int[] order = new int[train.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var random = new SeededRandom(options.Seed ?? Random.Shared.Next());
        for (int epoch = 1; epoch <= options.InitialEpoch && options.Shuffle; epoch++)
        {
            // Each epoch shuffles the order the one before left, so a resumed run replays them to reach the same order.
            random.Shuffle(order.AsSpan());
        }

        TextWriter? log = options.Verbose ? options.Log ?? Console.Out : null;
        foreach (FitCallback callback in options.Callbacks)
        {
            callback.OnTrainBegin(context);
        }

        for (int epoch = options.InitialEpoch + 1; epoch <= options.Epochs && !context.StopTraining; epoch++)
        {
            context.Epoch = epoch;
            foreach (FitCallback callback in options.Callbacks)
            {
                callback.OnEpochBegin(context);
            }

            if (context.StopTraining)
            {
                break;
            }

            long started = Stopwatch.GetTimestamp();
            snapshot.Capture();
            if (options.Shuffle)
            {
                random.Shuffle(order.AsSpan());
            }

            int diverged;
            try
            {
                diverged = runner.Run(order, checkEachUpdate: false, cancellationToken, batchCallbacks);
                if (diverged == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw TrainingCanceledException.InFit(cancellationToken, epoch, options.Epochs, runner.CompletedBatches, runner.Batches, history);
            }

            if (diverged == 0 && NonFinite.IndexOf(network.Parameters) >= 0)
            {
                // An update made the parameters non-finite and no later loss showed it: it was the epoch's
                // last, or a saturating activation such as Tanh turned an infinite weight into a finite
                // output. Running the epoch again from its start, checking after every update, names the
                // batch; steps are deterministic, so it is found, and no cancellation interrupts the search.
                snapshot.Restore();
                diverged = runner.Run(order, checkEachUpdate: true, CancellationToken.None);
            }

            if (diverged > 0)
            {
                snapshot.Restore();
                throw TrainingDivergedException.InFit(options.Loss.Name, runner.LastLoss, epoch, options.Epochs, diverged, runner.Batches, history);
            }

            var values = new Dictionary<string, double>();
            for (int m = 0; m < metrics.Length; m++)
            {
                values[names[m]] = runner.MetricValue(m);
            }

            values["loss"] = runner.Loss;
            if (validation is not null)
            {
                Evaluation score = Score(network, validation, options.Loss, metrics);
                for (int m = 0; m < metrics.Length; m++)
                {
                    values[validationNames[m]] = score[metrics[m]];
                }

                values["val_loss"] = score.Loss;
            }

            // The rate of the epoch's last step: with a schedule, LearningRate already shows the next one's.
            values["learning_rate"] = options.Optimizer.StepRate;

            var summary = new EpochSummary(epoch, Stopwatch.GetElapsedTime(started), values);
            history.Add(summary);
            log?.WriteLine(FormatProgress(summary, options.Epochs, runner.CompletedBatches, runner.Batches));
            foreach (FitCallback callback in options.Callbacks)
            {
                callback.OnEpochEnd(context, summary);
            }
        }

        foreach (FitCallback callback in options.Callbacks)
        {
            callback.OnTrainEnd(context);
        }

        return history;
    }

    /// <summary>Computes the loss and metrics on features <paramref name="x"/> and targets <paramref name="y"/>, as Keras' <c>model.evaluate(x, y)</c>.</summary>
    /// <inheritdoc cref="Evaluate(INetwork, Dataset, Loss, Metric[])"/>
    public static Evaluation Evaluate(this INetwork network, float[,] x, float[,] y, Loss loss, params Metric[] metrics) =>
        network.Evaluate(new Dataset(x, y), loss, metrics);

    /// <summary>
    /// Computes the loss and metrics of the network on a dataset, as Keras' <c>model.evaluate</c>. A network
    /// whose outputs are NaN scores NaN in the loss and in every metric.
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
        MetricMath.Names(metrics, nameof(metrics));
        CheckData(network, data, loss, nameof(data));
        return Score(network, data, loss, metrics);
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

    /// <summary>Evaluates checked data and metrics.</summary>
    private static Evaluation Score(INetwork network, Dataset data, Loss loss, Metric[] metrics)
    {
        int outputs = network.Shape.Outputs;
        Metric[] resolved = Array.ConvertAll(metrics, m => MetricMath.Resolve(m, loss, outputs));
        double[] sums = new double[metrics.Length];
        long[] counts = new long[metrics.Length];
        float[] predictions = new float[Math.Min(EvaluationChunkRows, data.Count) * outputs];
        double lossSum = 0;
        for (int start = 0; start < data.Count; start += EvaluationChunkRows)
        {
            int rows = Math.Min(EvaluationChunkRows, data.Count - start);
            Span<float> predicted = predictions.AsSpan(0, rows * outputs);
            ReadOnlySpan<float> targets = data.Targets.Slice(start * outputs, rows * outputs);
            network.PredictBatch(data.Features.Slice(start * data.FeatureCount, rows * data.FeatureCount), predicted);
            lossSum += loss.Compute(predicted, targets, outputs, network.Shape.OutputActivation, [], out _) * rows;
            for (int m = 0; m < metrics.Length; m++)
            {
                MetricMath.Accumulate(resolved[m], predicted, targets, outputs, ref sums[m], ref counts[m]);
            }
        }

        var values = new Dictionary<Metric, double>();
        for (int m = 0; m < metrics.Length; m++)
        {
            values[metrics[m]] = sums[m] / counts[m];
        }

        return new Evaluation(lossSum / data.Count, values);
    }

    /// <summary>
    /// The training and validation data: <see cref="FitOptions.ValidationData"/>, checked as the training
    /// data is, or the last rows of <paramref name="data"/> as Keras' <c>validation_split</c> holds them out
    /// (the first ⌊n · (1 - split)⌋ rows train).
    /// </summary>
    private static (Dataset Train, Dataset? Validation) HoldOut(INetwork network, Dataset data, FitOptions options)
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
    private static void CheckParameters(INetwork network)
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
    private static void CheckData(INetwork network, Dataset data, Loss loss, string parameterName)
    {
        CheckWidths(network, data, parameterName);
        loss.CheckTargets(data.Targets, data.TargetCount, parameterName);
    }

    private static void CheckWidths(INetwork network, Dataset data, string parameterName)
    {
        NetworkShape shape = network.Shape;
        string name = network.GetType().Name;
        if (data.FeatureCount != shape.Inputs)
        {
            throw new ArgumentException(
                $"The data has {data.FeatureCount} feature columns but {name} takes {shape.Inputs} inputs.", parameterName);
        }

        if (data.TargetCount != shape.Outputs)
        {
            throw new ArgumentException(
                $"The data has {data.TargetCount} target columns but {name} has {shape.Outputs} outputs.", parameterName);
        }
    }

    /// <summary>
    /// Formats one epoch as Keras 3 does: <c>Epoch 3/100</c>, then batches, bar, time per epoch and step, and
    /// each figure in the order recorded, to four decimals, or in exponent form when it is 0.001 or smaller.
    /// </summary>
    internal static string FormatProgress(EpochSummary epoch, int epochs, int completedBatches, int batches)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"Epoch {epoch.Epoch}/{epochs}\n");
        line.Append(CultureInfo.InvariantCulture, $"{completedBatches}/{batches} ━━━━━━━━━━━━━━━━━━━━ ");
        line.Append(CultureInfo.InvariantCulture, $"{(int)epoch.Duration.TotalSeconds}s {FormatStep(epoch.Duration / Math.Max(completedBatches, 1))}/step");
        foreach ((string name, double value) in epoch.Values)
        {
            line.Append(CultureInfo.InvariantCulture, $" - {name}: ").Append(FormatFigure(value));
        }

        return line.ToString();
    }

    /// <summary>A figure as Keras' progress bar prints it: <c>0.5123</c>, or <c>1.0000e-04</c> at 0.001 and below.</summary>
    internal static string FormatFigure(double value) =>
        value.ToString(Math.Abs(value) > 1e-3 || !double.IsFinite(value) ? "0.0000" : "0.0000e+00", CultureInfo.InvariantCulture);

    private static string FormatStep(TimeSpan step) =>
        step.TotalMilliseconds >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{step.TotalMilliseconds:0}ms")
            : string.Create(CultureInfo.InvariantCulture, $"{step.TotalMicroseconds:0}us");
}
