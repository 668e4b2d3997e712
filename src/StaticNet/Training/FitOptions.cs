using System;
using System.Collections.Generic;
using System.IO;

namespace StaticNet;

/// <summary>How <see cref="NetworkTraining.Fit(INetwork, Dataset, FitOptions, System.Threading.CancellationToken)"/> trains, as Keras' <c>compile</c> and <c>fit</c> arguments.</summary>
public sealed record FitOptions
{
    /// <summary>The loss to minimise. Defaults to mean squared error.</summary>
    public Loss Loss { get; init; } = Loss.MeanSquaredError;

    /// <summary>The update rule. Defaults to Adam with PyTorch's defaults.</summary>
    public Optimizer Optimizer { get; init; } = new Adam();

    /// <summary>The number of passes over the training data, or, with <see cref="InitialEpoch"/>, the last epoch to run. Defaults to 1.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>
    /// The epochs already run, as Keras' <c>initial_epoch</c>, to resume training: Fit runs epochs
    /// <c>InitialEpoch + 1</c> to <see cref="Epochs"/>, numbered so. It first replays the shuffles of the
    /// epochs before, so with the same <see cref="Seed"/>, a network and optimizer restored with
    /// <see cref="ModelFile.LoadInto(INetwork, string, Optimizer)"/> from the end of epoch <c>InitialEpoch</c>
    /// train exactly as the run that saved them would have gone on. Defaults to 0; must be below <see cref="Epochs"/>.
    /// </summary>
    public int InitialEpoch { get; init; }

    /// <summary>The number of samples per gradient step. Defaults to 32, as Keras.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Whether to visit the samples in a new random order each epoch. Defaults to true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The seed of the shuffles; null for a different order every run.</summary>
    public int? Seed { get; init; }

    /// <summary>
    /// Figures reported each epoch besides the loss; Fit refuses a null entry, two of the same name, or one that does not
    /// suit the network or the loss. They are unweighted unless made with <see cref="Metric.Weighted"/>.
    /// </summary>
    public IReadOnlyList<Metric> Metrics { get; init; } = [];

    /// <summary>
    /// A weight per class, as Keras' <c>class_weight</c>: each training row's loss counts its class's weight times (times
    /// its sample weight, if the data has them). A row's class is its largest target, its class index for
    /// <see cref="Loss.SparseCategoricalCrossEntropy"/>, or for one output, 1 above 0.5 and 0 otherwise. Validation is not
    /// weighted by class. Null (the default) for none; Fit refuses a list that is not one finite, non-negative weight per class.
    /// </summary>
    public IReadOnlyList<float>? ClassWeights { get; init; }

    /// <summary>Data to evaluate at the end of each epoch; its figures are reported with a <c>val_</c> prefix.</summary>
    public Dataset? ValidationData { get; init; }

    /// <summary>
    /// The share of the training data, taken from its end before any shuffling, held out as
    /// validation data (as Keras' <c>validation_split</c>: the first ⌊n · (1 - split)⌋ rows train, the rest
    /// validate). Fit refuses a split that leaves either side without rows. Ignored when <see cref="ValidationData"/> is set.
    /// </summary>
    public double ValidationSplit { get; init; }

    /// <summary>
    /// Code run at points of training, such as <see cref="ModelCheckpoint"/>, in list order. Fit checks,
    /// before the first step, that every figure a callback monitors will be recorded.
    /// </summary>
    public IReadOnlyList<FitCallback> Callbacks { get; init; } = [];

    /// <summary>
    /// How many threads share each training step; null (the default) picks one per core when the
    /// batch is large enough to pay for it, see <see cref="TrainingSession.DefaultThreads"/>.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>
    /// What Fit writes to <see cref="Log"/>, as Keras' <c>verbose</c>: by default (<see cref="Verbosity.Auto"/>)
    /// a live progress bar when the log is a terminal and one line per epoch otherwise.
    /// </summary>
    public Verbosity Verbose { get; init; }

    /// <summary>Where progress lines go; the console when null. A writer given here is never treated as a terminal.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>
    /// Receives the progress of training, for a GUI or a service: during each epoch at most once per
    /// <see cref="ProgressInterval"/>, and as each epoch ends, with its figures. Reports are made on the
    /// training thread; <see cref="Progress{T}"/> hands them to the thread that created it.
    /// </summary>
    public IProgress<FitProgress>? Progress { get; init; }

    /// <summary>The least time between two reports, or two redraws of the progress bar, during an epoch. Defaults to 100 ms.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The clock that paces progress reports and redraws; tests replace it.</summary>
    internal TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Whether to treat <see cref="Log"/> as a terminal; null to ask the console. Tests set it to see the live bar.</summary>
    internal bool? LogIsTerminal { get; init; }

    /// <summary>The verbosity this run uses: <see cref="Verbose"/>, with <see cref="Verbosity.Auto"/> resolved, and whether the bar is drawn live.</summary>
    internal (Verbosity Verbosity, bool Live) ResolveVerbosity() =>
        Resolve(Verbose, LogIsTerminal ?? (Log is null && !Console.IsOutputRedirected));

    /// <summary><paramref name="verbose"/> with <see cref="Verbosity.Auto"/> resolved for an output that is or is not a terminal, and whether a bar on it is drawn live.</summary>
    internal static (Verbosity Verbosity, bool Live) Resolve(Verbosity verbose, bool terminal)
    {
        Verbosity verbosity = verbose == Verbosity.Auto ? (terminal ? Verbosity.ProgressBar : Verbosity.EpochLines) : verbose;
        return (verbosity, verbosity == Verbosity.ProgressBar && terminal);
    }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Loss);
        ArgumentNullException.ThrowIfNull(Optimizer);
        ArgumentNullException.ThrowIfNull(Metrics);
        ArgumentNullException.ThrowIfNull(Callbacks);
        if (Epochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Training needs at least one epoch.");
        }

        if (InitialEpoch < 0 || InitialEpoch >= Epochs)
        {
            throw new ArgumentOutOfRangeException(
                nameof(InitialEpoch), InitialEpoch, $"InitialEpoch must be at least 0 and below Epochs ({Epochs}): it counts the epochs already run, and Epochs the last one to run.");
        }

        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "A batch needs at least one sample.");
        }

        if (Threads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Training needs at least one thread.");
        }

        if (!Enum.IsDefined(Verbose))
        {
            throw new ArgumentOutOfRangeException(nameof(Verbose), Verbose, "Verbose must be a defined Verbosity.");
        }

        if (ProgressInterval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ProgressInterval), ProgressInterval, "ProgressInterval must not be negative; use TimeSpan.Zero to report every batch.");
        }

        for (int c = 0; c < (ClassWeights?.Count ?? 0); c++)
        {
            if (!(ClassWeights![c] >= 0) || !float.IsFinite(ClassWeights[c]))
            {
                throw new ArgumentOutOfRangeException(nameof(ClassWeights), ClassWeights[c], $"The weight of class {c} is {ClassWeights[c]}; class weights must be finite and not negative.");
            }
        }

        if (!(ValidationSplit >= 0 && ValidationSplit < 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(ValidationSplit), ValidationSplit, "ValidationSplit must be in [0, 1), e.g. 0.2 to hold out the last fifth of the rows, or 0 for none.");
        }

        for (int i = 0; i < Callbacks.Count; i++)
        {
            if (Callbacks[i] is null)
            {
                throw new ArgumentException($"Callbacks[{i}] is null; remove it from the list.", nameof(Callbacks));
            }
        }
    }
}
