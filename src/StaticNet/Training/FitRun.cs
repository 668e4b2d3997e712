using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using StaticNet.Training.Metrics;

namespace StaticNet.Training;

/// <summary>
/// One call of Fit: <see cref="Prepare"/> checks everything and allocates the run's memory before anything
/// changes, <see cref="Run"/> runs the epochs. The split lets FitAsync refuse bad settings on the caller's
/// thread and train on another.
/// </summary>
internal sealed class FitRun : IDisposable
{
    private readonly INetwork _network;
    private readonly FitOptions _options;
    private readonly Dataset? _validation;
    private readonly Metric[] _metrics;
    private readonly MetricSet _validationMetrics;
    private readonly string[] _names;
    private readonly string[] _validationNames;
    private readonly History _history = new();
    private readonly FitContext _context;
    private readonly TrainingSession _session;
    private readonly TrainingSnapshot _snapshot;
    private readonly EpochRunner _runner;
    private readonly FitCallback[] _callbacks;
    private readonly FitCallback[] _batchCallbacks;
    private readonly int[] _order;
    private readonly SeededRandom _random;

    private FitRun(INetwork network, FitOptions options, Dataset train, Dataset? validation, string[] names, MetricSet trainingMetrics, MetricSet validationMetrics)
    {
        _network = network;
        _options = options;
        _validation = validation;
        _names = names;
        _validationNames = validation is null ? [] : Array.ConvertAll(names, name => "val_" + name);
        string[] figures = validation is null
            ? [.. names, "loss", "learning_rate"]
            : [.. names, "loss", .. _validationNames, "val_loss", "learning_rate"];
        _context = new FitContext(network, options.Optimizer, options.Epochs, _history) { Figures = figures };
        foreach (FitCallback callback in options.Callbacks)
        {
            callback.Check(_context);
        }

        NetworkShape shape = network.Shape;
        int batchSize = Math.Min(options.BatchSize, train.Count);
        int threads = options.Threads ?? TrainingSession.DefaultThreads(shape, batchSize);
        int seed = options.Seed ?? Random.Shared.Next();
        _random = new SeededRandom(seed);
        _session = new TrainingSession(network, options.Loss, options.Optimizer, batchSize, threads) { Seed = seed };
        _snapshot = new TrainingSnapshot(network, options.Optimizer);
        _metrics = [.. options.Metrics];
        _validationMetrics = validationMetrics;
        _runner = new EpochRunner(_session, train, batchSize, trainingMetrics, RowWeights(train, options, shape.Outputs), _context);
        _callbacks = [.. Reporting(options, _runner, names), .. options.Callbacks];
        _batchCallbacks = [.. _callbacks.Where(callback => callback.HandlesBatchEnd)];

        _order = new int[train.Count];
        for (int i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }

        for (int epoch = 1; epoch <= options.InitialEpoch && options.Shuffle; epoch++)
        {
            // Each epoch shuffles the order the one before left, so a resumed run replays them to reach the same order.
            _random.Shuffle(_order.AsSpan());
        }
    }

    /// <summary>Checks the settings, the data, the network and the callbacks, and allocates the run; nothing has changed when it throws.</summary>
    public static FitRun Prepare(INetwork network, Dataset data, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string[] names = Metric.Names(options.Metrics, nameof(options.Metrics));
        NetworkTraining.CheckData(network, data, options.Loss, nameof(data));
        MetricSet trainingMetrics = MetricSet.Create(network, options.Loss, options.Metrics, nameof(options.Metrics));
        CheckClassWeights(network, options);
        NetworkTraining.CheckParameters(network);
        (Dataset train, Dataset? validation) = NetworkTraining.HoldOut(network, data, options);
        MetricSet validationMetrics = MetricSet.Create(network, options.Loss, validation is null ? [] : options.Metrics, nameof(options.Metrics));
        return new FitRun(network, options, train, validation, names, trainingMetrics, validationMetrics);
    }

    /// <summary>Refuses class weights that are not one per class of the network's outputs.</summary>
    private static void CheckClassWeights(INetwork network, FitOptions options)
    {
        int classes = ClassIndex.Count(network.Shape.Outputs);
        if (options.ClassWeights is { } weights && weights.Count != classes)
        {
            throw new ArgumentException(
                $"There are {weights.Count} class weights but the {network.Shape.Outputs} outputs of {network.GetType().Name} tell {classes} classes apart; give one weight per class.",
                nameof(options.ClassWeights));
        }
    }

    /// <summary>Each training row's weight, its sample weight times its class's weight; null when neither is given.</summary>
    private static float[]? RowWeights(Dataset train, FitOptions options, int outputs)
    {
        if (train.SampleWeights.IsEmpty && options.ClassWeights is null)
        {
            return null;
        }

        float[] weights = new float[train.Count];
        for (int row = 0; row < weights.Length; row++)
        {
            float sample = train.SampleWeights.IsEmpty ? 1f : train.SampleWeights[row];
            weights[row] = options.ClassWeights is { } classes ? sample * classes[ClassIndex.OfTargets(train.TargetRow(row), outputs)] : sample;
        }

        return weights;
    }

    /// <summary>Runs the epochs and returns their figures.</summary>
    /// <exception cref="TrainingDivergedException">Training diverged.</exception>
    /// <exception cref="TrainingCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public History Run(CancellationToken cancellationToken)
    {
        foreach (FitCallback callback in _callbacks)
        {
            callback.OnTrainBegin(_context);
        }

        for (int epoch = _options.InitialEpoch + 1; epoch <= _options.Epochs && !_context.StopTraining; epoch++)
        {
            _context.Epoch = epoch;
            foreach (FitCallback callback in _callbacks)
            {
                callback.OnEpochBegin(_context);
            }

            if (_context.StopTraining)
            {
                break;
            }

            EpochSummary summary = RunEpoch(epoch, cancellationToken);
            _history.Add(summary);
            foreach (FitCallback callback in _callbacks)
            {
                callback.OnEpochEnd(_context, summary);
            }
        }

        foreach (FitCallback callback in _callbacks)
        {
            callback.OnTrainEnd(_context);
        }

        return _history;
    }

    public void Dispose() => _session.Dispose();

    /// <summary>The run's own reporting, which goes before the user's callbacks: the console output and the progress reports.</summary>
    private static IEnumerable<FitCallback> Reporting(FitOptions options, EpochRunner runner, string[] metricNames)
    {
        (Verbosity verbosity, bool live) = options.ResolveVerbosity();
        if (verbosity != Verbosity.Silent)
        {
            TextWriter output = options.Log ?? Console.Out;
            yield return new ConsoleProgress(output, new LiveLine(output, live, options.Clock, options.ProgressInterval), runner, metricNames);
        }

        if (options.Progress is IProgress<FitProgress> progress)
        {
            yield return new ProgressReporter(progress, runner, options.Clock, options.ProgressInterval);
        }
    }

    /// <summary>Runs one epoch's steps and validation, falling back to the epoch's start when it diverges.</summary>
    private EpochSummary RunEpoch(int epoch, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        _snapshot.Capture();
        if (_options.Shuffle)
        {
            _random.Shuffle(_order.AsSpan());
        }

        int diverged;
        try
        {
            diverged = _runner.Run(_order, checkEachUpdate: false, cancellationToken, _batchCallbacks);
            if (diverged == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw TrainingCanceledException.InFit(cancellationToken, epoch, _options.Epochs, _runner.CompletedBatches, _runner.Batches, _history);
        }

        if (diverged == 0 && NonFinite.IndexOf(_network.Parameters) >= 0)
        {
            // An update made the parameters non-finite and no later loss showed it: it was the epoch's
            // last, or a saturating activation such as Tanh turned an infinite weight into a finite
            // output. Running the epoch again from its start, checking after every update, names the
            // batch; steps are deterministic, so it is found, and no cancellation interrupts the search.
            _snapshot.Restore();
            diverged = _runner.Run(_order, checkEachUpdate: true, CancellationToken.None);
        }

        if (diverged > 0)
        {
            _snapshot.Restore();
            throw TrainingDivergedException.InFit(_options.Loss.Name, _runner.LastLoss, epoch, _options.Epochs, diverged, _runner.Batches, _history);
        }

        var values = new Dictionary<string, double>();
        for (int m = 0; m < _metrics.Length; m++)
        {
            values[_names[m]] = _runner.MetricValue(m);
        }

        values["loss"] = _runner.Loss;
        if (_validation is not null)
        {
            Evaluation score = NetworkTraining.Score(_network, _validation, _options.Loss, _metrics, _validationMetrics);
            for (int m = 0; m < _metrics.Length; m++)
            {
                values[_validationNames[m]] = score[_metrics[m]];
            }

            values["val_loss"] = score.Loss;
        }

        // The rate of the epoch's last step: with a schedule, LearningRate already shows the next one's.
        values["learning_rate"] = _options.Optimizer.StepRate;
        return new EpochSummary(epoch, Stopwatch.GetElapsedTime(started), values);
    }
}
