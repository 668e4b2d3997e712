using System.Text.RegularExpressions;
using StaticNet.Training;
using Xunit;

namespace StaticNet.Tests;

/// <summary>The console progress bar, progress reports for applications, FitAsync and Evaluate's output.</summary>
public class ProgressTests
{
    private const int Rows = 40;
    private const int BatchSize = 4;
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(40);

    private readonly Dataset _data;

    public ProgressTests()
    {
        var random = new Random(31);
        _data = new Dataset(RandomData.Uniform(random, Rows * 2), 2, RandomData.Uniform(random, Rows), 1);
    }

    [Fact]
    public void On_a_terminal_the_bar_is_redrawn_at_most_once_per_interval_with_the_running_figures()
    {
        var clock = new ManualClock();
        var log = new StringWriter();

        new SeedNet(seed: 3).Fit(_data, Options(2, clock, log, terminal: true));

        // The clock moves 40 ms per batch: the bar is drawn at once, then at 120, 240 and 360 ms.
        string[] epochs = log.ToString().Split("Epoch ", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, epochs.Length);
        foreach (string epoch in epochs)
        {
            MatchCollection redraws = Regex.Matches(epoch, @"\r *(\d+)/10 (━*)(─*) \d+s \d+(ms|us)/step - mae: \d\.\d{4} - loss: \d\.\d{4}(?= *\r)");
            Assert.Equal(["1", "4", "7", "10"], redraws.Select(m => m.Groups[1].Value));
            Assert.Equal([2, 8, 14, 20], redraws.Select(m => m.Groups[2].Length));
            Assert.All(redraws, m => Assert.Equal(20, m.Groups[2].Length + m.Groups[3].Length));
            Assert.Matches(@"\r10/10 ━{20} \d+s \d+(ms|us)/step - mae: \d\.\d{4} - loss: \d\.\d{4} - learning_rate: 0\.0100 *\r?\n$", epoch);
        }
    }

    [Fact]
    public void Redirected_output_gets_one_line_per_epoch_and_silent_gets_none()
    {
        var log = new StringWriter();
        new SeedNet(seed: 3).Fit(_data, Options(2, new ManualClock(), log, terminal: false));
        Assert.DoesNotContain("\r", log.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal(4, log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var quiet = new StringWriter();
        new SeedNet(seed: 3).Fit(_data, new FitOptions { Log = quiet, Verbose = Verbosity.Silent });
        Assert.Equal("", quiet.ToString());
    }

    [Fact]
    public void An_epoch_a_callback_stops_before_it_runs_writes_no_heading()
    {
        var log = new StringWriter();
        var stopper = new LambdaCallback(onEpochBegin: context => context.StopTraining = context.Epoch == 2);

        new SeedNet(seed: 3).Fit(_data, Options(3, new ManualClock(), log, terminal: false, extra: stopper));

        Assert.Contains("Epoch 1/3", log.ToString());
        Assert.DoesNotContain("Epoch 2/3", log.ToString());
    }

    [Fact]
    public void Progress_is_reported_at_most_once_per_interval_and_at_each_epochs_end()
    {
        var clock = new ManualClock();
        var reports = new ReportList();

        History history = new SeedNet(seed: 3).Fit(_data, Options(2, clock, TextWriter.Null, terminal: false, progress: reports));

        // Reports during an epoch start an interval after it began: at 120, 240 and 360 ms.
        Assert.Equal([4, 7, 10, 10, 4, 7, 10, 10], reports.Items.Select(r => r.Batch));
        Assert.Equal([null, null, null, history.Epochs[0], null, null, null, history.Epochs[1]], reports.Items.Select(r => r.EpochEnd));
        Assert.All(reports.Items, r => Assert.Equal(10, r.Batches));
        Assert.Equal(TimeSpan.FromMilliseconds(120), reports.Items[0].Elapsed);
        Assert.Equal(history.Epochs[1].Loss, reports.Items[^1].Loss);
    }

    [Fact]
    public void A_step_that_redraws_the_bar_and_reports_progress_allocates_nothing()
    {
        const int LongEpoch = 2400;
        var random = new Random(12);
        var data = new Dataset(RandomData.Uniform(random, LongEpoch * 2), 2, RandomData.Uniform(random, LongEpoch), 1);
        var allocated = new long[LongEpoch];
        int calls = 0;
        var reports = new ReportCount();

        new SeedNet(seed: 3).Fit(data, new FitOptions
        {
            BatchSize = 1,
            Threads = 1,
            Metrics = [Metric.MeanAbsoluteError],
            Log = TextWriter.Null,
            LogIsTerminal = true,
            Verbose = Verbosity.ProgressBar,
            Progress = reports,
            ProgressInterval = TimeSpan.Zero,
            Callbacks = [new LambdaCallback(onBatchEnd: (context, batch) => allocated[calls++] = GC.GetAllocatedBytesForCurrentThread())],
        });

        long fewest = long.MaxValue;
        for (int start = 1; start + 100 < LongEpoch; start += 100)
        {
            fewest = Math.Min(fewest, allocated[start + 100] - allocated[start]);
        }

        Assert.Equal(LongEpoch + 1, reports.Count);
        Assert.Equal(0, fewest);
    }

    [Fact]
    public async Task FitAsync_trains_off_the_calling_thread_as_Fit_does()
    {
        int caller = Environment.CurrentManagedThreadId;
        int trainer = caller;
        var seen = new LambdaCallback(onTrainBegin: context => trainer = Environment.CurrentManagedThreadId);
        var together = new SeedNet(seed: 3);
        var apart = new SeedNet(seed: 3);

        together.Fit(_data, Options(3, new ManualClock(), TextWriter.Null, terminal: false, Verbosity.Silent));
        History history = await apart.FitAsync(_data, Options(3, new ManualClock(), TextWriter.Null, terminal: false, Verbosity.Silent, extra: seen));

        Assert.NotEqual(caller, trainer);
        Assert.Equal(3, history.Epochs.Count);
        Assert.Equal(together.Parameters.ToArray(), apart.Parameters.ToArray());
    }

    [Fact]
    public async Task A_cancelled_FitAsync_ends_cancelled_with_the_history_so_far()
    {
        using var cancel = new CancellationTokenSource();
        var stopper = new LambdaCallback(onEpochEnd: (context, epoch) =>
        {
            if (epoch.Epoch == 2)
            {
                cancel.Cancel();
            }
        });

        Task<History> training = new SeedNet(seed: 3).FitAsync(_data, new FitOptions { Epochs = 5, Verbose = Verbosity.Silent, Callbacks = [stopper] }, cancel.Token);
        var error = await Assert.ThrowsAsync<TrainingCanceledException>(() => training);

        Assert.True(training.IsCanceled);
        Assert.Equal(2, error.History!.Epochs.Count);
        Assert.Equal(3, error.Epoch);
    }

    [Fact]
    public void FitAsync_refuses_bad_settings_on_the_calling_thread_before_any_task_starts()
    {
        var network = new SeedNet(seed: 3);
        float[] before = network.Parameters.ToArray();

        // Thrown by the call itself, not by a task it returns.
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = network.FitAsync(_data, new FitOptions { Epochs = 0 }); });
        Assert.Throws<ArgumentException>(() => { _ = network.FitAsync(_data, new FitOptions { Callbacks = [new EarlyStopping("val_loss")] }); });
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void Evaluate_writes_Keras_last_line_with_the_figures_it_returns()
    {
        var log = new StringWriter();
        var network = new SeedNet(seed: 3);

        Evaluation score = NetworkTraining.Evaluate(network, _data, Loss.MeanSquaredError, Verbosity.Auto, log, terminal: false, new ManualClock(), [Metric.MeanAbsoluteError]);

        string expected = $" - mae: {ProgressLine.AppendFigure(new System.Text.StringBuilder(), score[Metric.MeanAbsoluteError]).ToString()} - loss: {ProgressLine.AppendFigure(new System.Text.StringBuilder(), score.Loss).ToString()}";
        Assert.Matches(@"^1/1 ━{20} 0s \d+(ms|us)/step" + Regex.Escape(expected) + @"\r?\n$", log.ToString());
        Assert.Equal(network.Evaluate(_data, Loss.MeanSquaredError, Metric.MeanAbsoluteError).Loss, score.Loss);
    }

    [Fact]
    public void Evaluate_redraws_its_bar_over_the_chunks_it_scores_on_a_terminal()
    {
        var random = new Random(32);
        var data = new Dataset(RandomData.Uniform(random, 3000 * 2), 2, RandomData.Uniform(random, 3000), 1);
        var log = new StringWriter();

        NetworkTraining.Evaluate(new SeedNet(seed: 3), data, Loss.MeanSquaredError, Verbosity.ProgressBar, log, terminal: true, new ManualClock(), []);

        // The clock stands still, so only the first chunk's bar is drawn before the last line.
        Assert.Matches(@"^\r1/3 ━{6}─{14} 0s \d+(ms|us)/step - loss: \d\.\d{4}\r3/3 ━{20} 0s \d+(ms|us)/step - loss: \d\.\d{4} *\r?\n$", log.ToString());
    }

    private static FitOptions Options(
        int epochs, ManualClock clock, TextWriter log, bool terminal, Verbosity verbose = Verbosity.Auto, IProgress<FitProgress>? progress = null, FitCallback? extra = null) => new()
    {
        Verbose = verbose,
        Progress = progress,
        Optimizer = new Adam(0.01f),
        Epochs = epochs,
        BatchSize = BatchSize,
        Shuffle = false,
        Threads = 1,
        Metrics = [Metric.MeanAbsoluteError],
        Log = log,
        LogIsTerminal = terminal,
        Clock = clock,
        Callbacks = [new LambdaCallback(onBatchEnd: (context, batch) => clock.Advance(Step)), .. extra is null ? Array.Empty<FitCallback>() : [extra]],
    };

    /// <summary>A clock that moves only when told.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan time) => _ticks += time.Ticks;
    }

    /// <summary>Keeps every report, on the training thread.</summary>
    private sealed class ReportList : IProgress<FitProgress>
    {
        public List<FitProgress> Items { get; } = [];

        public void Report(FitProgress value) => Items.Add(value);
    }

    /// <summary>Counts reports without allocating.</summary>
    private sealed class ReportCount : IProgress<FitProgress>
    {
        public int Count { get; private set; }

        public void Report(FitProgress value) => Count++;
    }
}
