using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;

namespace StaticNet;

/// <summary>Keras-style training, evaluation and prediction for every generated network.</summary>
public static class NetworkTraining
{
    private const int EvaluationChunkRows = 1024;

    /// <summary>Trains the network on features <paramref name="x"/> and targets <paramref name="y"/>, as Keras' <c>model.fit(x, y)</c>.</summary>
    /// <inheritdoc cref="Fit(INetwork, Dataset, FitOptions)"/>
    public static History Fit(this INetwork network, float[,] x, float[,] y, FitOptions options) =>
        network.Fit(new Dataset(x, y), options);

    /// <summary>Trains the network, as Keras' <c>model.fit</c>.</summary>
    /// <param name="network">The network to train; its parameters are updated in place.</param>
    /// <param name="data">The training data.</param>
    /// <param name="options">Loss, optimizer, epochs, batch size, metrics, validation and progress settings.</param>
    /// <returns>The loss and metrics of every epoch.</returns>
    /// <exception cref="ArgumentException">The data's widths do not match the network, or an option is out of range.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite; the message says at which epoch and batch.</exception>
    public static History Fit(this INetwork network, Dataset data, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckWidths(network, data, nameof(data));

        Dataset train = data;
        Dataset? validation = options.ValidationData;
        if (validation is not null)
        {
            CheckWidths(network, validation, nameof(options.ValidationData));
        }
        else if (options.ValidationSplit > 0)
        {
            (train, validation) = data.Split(1 - options.ValidationSplit);
        }

        NetworkShape shape = network.Shape;
        int batchSize = Math.Min(options.BatchSize, train.Count);
        int batches = (train.Count + batchSize - 1) / batchSize;
        int threads = options.Threads ?? TrainingSession.DefaultThreads(shape, batchSize);
        using var session = new TrainingSession(network, options.Loss, options.Optimizer, batchSize, threads);
        Metric[] metrics = [.. options.Metrics];
        Metric[] resolved = Array.ConvertAll(metrics, m => MetricMath.Resolve(m, options.Loss, shape.Outputs));
        double[] metricSums = new double[metrics.Length];
        long[] metricCounts = new long[metrics.Length];

        int[] order = new int[train.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var random = new SeededRandom(options.Seed ?? Random.Shared.Next());
        TextWriter? log = options.Verbose ? options.Log ?? Console.Out : null;
        var history = new History();

        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            long started = Stopwatch.GetTimestamp();
            if (options.Shuffle)
            {
                random.Shuffle(order.AsSpan());
            }

            double lossSum = 0;
            Array.Clear(metricSums);
            Array.Clear(metricCounts);
            for (int batch = 0; batch < batches; batch++)
            {
                int start = batch * batchSize;
                int rows = Math.Min(batchSize, train.Count - start);
                Span<float> features = session.StagingFeatures(rows);
                Span<float> targets = session.StagingTargets(rows);
                for (int r = 0; r < rows; r++)
                {
                    train.FeatureRow(order[start + r]).CopyTo(features.Slice(r * shape.Inputs));
                    train.TargetRow(order[start + r]).CopyTo(targets.Slice(r * shape.Outputs));
                }

                if (!session.TryStep(features, targets, out double loss))
                {
                    throw new TrainingDivergedException(
                        loss, options.Loss.Name, $"at epoch {epoch}/{options.Epochs}, batch {batch + 1}/{batches}")
                    {
                        Epoch = epoch,
                        Batch = batch + 1,
                    };
                }

                lossSum += loss * rows;
                ReadOnlySpan<float> outputs = session.Outputs(rows);
                for (int m = 0; m < metrics.Length; m++)
                {
                    MetricMath.Accumulate(resolved[m], outputs, targets, shape.Outputs, ref metricSums[m], ref metricCounts[m]);
                }
            }

            var values = new Dictionary<string, double>();
            for (int m = 0; m < metrics.Length; m++)
            {
                values[MetricMath.Name(metrics[m])] = metricSums[m] / metricCounts[m];
            }

            values["loss"] = lossSum / train.Count;
            if (validation is not null)
            {
                Evaluation score = Evaluate(network, validation, options.Loss, metrics);
                foreach (Metric metric in metrics)
                {
                    values["val_" + MetricMath.Name(metric)] = score[metric];
                }

                values["val_loss"] = score.Loss;
            }

            var summary = new EpochSummary(epoch, Stopwatch.GetElapsedTime(started), values);
            history.Add(summary);
            log?.WriteLine(FormatProgress(summary, options.Epochs, batches));
            foreach (FitCallback callback in options.Callbacks)
            {
                callback.OnEpochEnd(network, summary);
            }
        }

        return history;
    }

    /// <summary>Computes the loss and metrics on features <paramref name="x"/> and targets <paramref name="y"/>, as Keras' <c>model.evaluate(x, y)</c>.</summary>
    /// <inheritdoc cref="Evaluate(INetwork, Dataset, Loss, Metric[])"/>
    public static Evaluation Evaluate(this INetwork network, float[,] x, float[,] y, Loss loss, params Metric[] metrics) =>
        network.Evaluate(new Dataset(x, y), loss, metrics);

    /// <summary>Computes the loss and metrics of the network on a dataset, as Keras' <c>model.evaluate</c>.</summary>
    /// <param name="network">The network.</param>
    /// <param name="data">The data to score.</param>
    /// <param name="loss">The loss to report.</param>
    /// <param name="metrics">The metrics to report.</param>
    /// <exception cref="ArgumentException">The data's widths do not match the network.</exception>
    public static Evaluation Evaluate(this INetwork network, Dataset data, Loss loss, params Metric[] metrics)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(metrics);
        CheckWidths(network, data, nameof(data));

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

    /// <summary>Formats one epoch as Keras 3 does: <c>Epoch 3/100</c>, then batches, bar, time per epoch and step, and each figure.</summary>
    internal static string FormatProgress(EpochSummary epoch, int epochs, int batches)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"Epoch {epoch.Epoch}/{epochs}\n");
        line.Append(CultureInfo.InvariantCulture, $"{batches}/{batches} ━━━━━━━━━━━━━━━━━━━━ ");
        line.Append(CultureInfo.InvariantCulture, $"{(int)epoch.Duration.TotalSeconds}s {FormatStep(epoch.Duration / batches)}/step");
        foreach ((string name, double value) in epoch.Values)
        {
            if (!name.StartsWith("val_", StringComparison.Ordinal))
            {
                line.Append(CultureInfo.InvariantCulture, $" - {name}: {value:0.0000}");
            }
        }

        foreach ((string name, double value) in epoch.Values)
        {
            if (name.StartsWith("val_", StringComparison.Ordinal))
            {
                line.Append(CultureInfo.InvariantCulture, $" - {name}: {value:0.0000}");
            }
        }

        return line.ToString();
    }

    private static string FormatStep(TimeSpan step) =>
        step.TotalMilliseconds >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{step.TotalMilliseconds:0}ms")
            : string.Create(CultureInfo.InvariantCulture, $"{step.TotalMicroseconds:0}us");
}
