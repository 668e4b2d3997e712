using System.Globalization;
using StaticNet.Training;
using Xunit;

namespace StaticNet.Tests;

/// <summary>The batch hook, the delegate callback, the CSV log and checkpoint path templates, in real Fit runs.</summary>
public sealed class CallbackTests : IDisposable
{
    private const int Rows = 40;
    private const int BatchSize = 4;
    private const int Batches = Rows / BatchSize;

    private readonly TemporaryDirectory _files = new();
    private readonly Dataset _data;

    public CallbackTests()
    {
        var random = new Random(11);
        _data = new Dataset(RandomData.Uniform(random, Rows * 2), 2, RandomData.Uniform(random, Rows), 1);
    }

    public void Dispose() => _files.Dispose();

    [Fact]
    public void OnBatchEnd_sees_every_batch_with_its_loss_and_the_epochs_mean_so_far()
    {
        var batches = new List<BatchSummary>();
        var callback = new LambdaCallback(onBatchEnd: (context, batch) => batches.Add(batch));

        History history = new SeedNet(seed: 3).Fit(_data, Options(2, callback));

        Assert.Equal(2 * Batches, batches.Count);
        Assert.Equal(Enumerable.Range(1, Batches).Concat(Enumerable.Range(1, Batches)), batches.Select(b => b.Batch));
        Assert.Equal(Enumerable.Repeat(1, Batches).Concat(Enumerable.Repeat(2, Batches)), batches.Select(b => b.Epoch));
        Assert.All(batches, b => Assert.Equal(Batches, b.Batches));
        Assert.Equal(batches[0].Loss, batches[0].MeanLoss);
        Assert.Equal((batches[0].Loss + batches[1].Loss) / 2, batches[1].MeanLoss, 12);

        // Equal batches: the epoch's loss is the mean of its batches' losses, and the last batch's running mean.
        Assert.Equal(batches.Take(Batches).Average(b => b.Loss), history.Epochs[0].Loss, 12);
        Assert.Equal(batches[Batches - 1].MeanLoss, history.Epochs[0].Loss, 12);
    }

    [Fact]
    public void Stopping_in_OnBatchEnd_ends_the_epoch_after_that_batch_as_Keras_does()
    {
        var network = new SeedNet(seed: 3);
        var optimizer = new Adam(0.01f);
        var events = new List<string>();
        var callback = new LambdaCallback(
            onBatchEnd: (context, batch) => context.StopTraining |= batch.Epoch == 2 && batch.Batch == 3,
            onEpochEnd: (context, epoch) => events.Add($"end {epoch.Epoch}"),
            onTrainEnd: context => events.Add("train end"));

        FitOptions options = Options(5, callback);
        History history = network.Fit(_data, new FitOptions
        {
            Optimizer = optimizer,
            Epochs = options.Epochs,
            BatchSize = options.BatchSize,
            Shuffle = false,
            Threads = 1,
            Verbose = Verbosity.Silent,
            ValidationSplit = 0.2,
            Callbacks = options.Callbacks,
        });

        // 32 training rows make 8 batches; the second epoch stopped after its third, and was still validated.
        Assert.Equal(8 + 3, optimizer.Steps);
        Assert.Equal(["end 1", "end 2", "train end"], events);
        Assert.Equal(2, history.Epochs.Count);
        Assert.Contains("val_loss", history.Epochs[1].Values.Keys);
    }

    [Fact]
    public void Only_callbacks_that_override_OnBatchEnd_are_called_per_batch()
    {
        Assert.False(new EarlyStopping("loss").HandlesBatchEnd);
        Assert.False(new LambdaCallback(onEpochEnd: (context, epoch) => { }).HandlesBatchEnd);
        Assert.True(new LambdaCallback(onBatchEnd: (context, batch) => { }).HandlesBatchEnd);
        Assert.True(new CountingCallback().HandlesBatchEnd);
    }

    [Fact]
    public void A_training_step_with_a_batch_callback_and_a_schedule_allocates_nothing()
    {
        const int LongEpoch = 2400;
        var random = new Random(12);
        var data = new Dataset(RandomData.Uniform(random, LongEpoch * 2), 2, RandomData.Uniform(random, LongEpoch), 1);
        var counter = new CountingCallback { Allocated = new long[LongEpoch] };

        new SeedNet(seed: 3).Fit(data, new FitOptions
        {
            Optimizer = new Adam { Schedule = new CosineDecay(0.01, decaySteps: 1000, warmupTarget: 0.02, warmupSteps: 100) },
            Metrics = [Metric.MeanAbsoluteError],
            BatchSize = 1,
            Threads = 1,
            Verbose = Verbosity.Silent,
            Callbacks = [counter, new LambdaCallback(onBatchEnd: (context, batch) => { })],
        });

        // The bytes this thread allocated between consecutive batch ends: the step, the metric, the schedule and
        // both callbacks. The first batches allocate while the JIT tiers up; a later stretch of 100 must not.
        long fewest = long.MaxValue;
        for (int start = 1; start + 100 < LongEpoch; start += 100)
        {
            fewest = Math.Min(fewest, counter.Allocated[start + 100] - counter.Allocated[start]);
        }

        Assert.Equal(LongEpoch, counter.Calls);
        Assert.Equal(0, fewest);
    }

    [Fact]
    public void LambdaCallback_runs_its_hooks_in_Fits_order()
    {
        var events = new List<string>();
        var callback = new LambdaCallback(
            onTrainBegin: context => events.Add("train begin"),
            onEpochBegin: context => events.Add($"epoch {context.Epoch} begin"),
            onEpochEnd: (context, epoch) => events.Add($"epoch {epoch.Epoch} end"),
            onTrainEnd: context => events.Add("train end"));

        new SeedNet(seed: 3).Fit(_data, Options(2, callback));

        Assert.Equal(["train begin", "epoch 1 begin", "epoch 1 end", "epoch 2 begin", "epoch 2 end", "train end"], events);
    }

    [Fact]
    public void CsvLogger_writes_a_row_per_epoch_under_a_sorted_header_that_reads_back_exactly()
    {
        string path = _files.File("log.csv");

        History history = new SeedNet(seed: 3).Fit(_data, new FitOptions
        {
            Epochs = 3,
            BatchSize = BatchSize,
            Metrics = [Metric.MeanAbsoluteError],
            ValidationSplit = 0.25,
            Verbose = Verbosity.Silent,
            Callbacks = [new CsvLogger(path)],
        });

        string[] lines = File.ReadAllLines(path);
        Assert.Equal("epoch,learning_rate,loss,mae,val_loss,val_mae", lines[0]);
        Assert.Equal(4, lines.Length);
        for (int epoch = 1; epoch <= 3; epoch++)
        {
            string[] cells = lines[epoch].Split(',');
            Assert.Equal(epoch.ToString(CultureInfo.InvariantCulture), cells[0]);
            Assert.Equal(history["loss"][epoch - 1], double.Parse(cells[2], CultureInfo.InvariantCulture));
            Assert.Equal(history["val_mae"][epoch - 1], double.Parse(cells[5], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void CsvLogger_appends_under_a_matching_header_and_refuses_another_before_the_first_step()
    {
        string path = _files.File("log.csv");
        new SeedNet(seed: 3).Fit(_data, Options(2, new CsvLogger(path)));
        new SeedNet(seed: 3).Fit(_data, Options(1, new CsvLogger(path, append: true)));
        Assert.Equal(["epoch", "1", "2", "1"], File.ReadAllLines(path).Select(line => line.Split(',')[0]));

        var network = new SeedNet(seed: 3);
        float[] before = network.Parameters.ToArray();
        FitOptions withMetric = new()
        {
            Metrics = [Metric.MeanAbsoluteError],
            Verbose = Verbosity.Silent,
            Callbacks = [new CsvLogger(path, append: true)],
        };
        var error = Assert.Throws<ArgumentException>(() => network.Fit(_data, withMetric));

        Assert.Contains("whose header is 'epoch,learning_rate,loss'", error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
        Assert.Equal(4, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void CsvLogger_keeps_the_rows_of_completed_epochs_when_training_is_cancelled()
    {
        string path = _files.File("log.csv");
        using var cancel = new CancellationTokenSource();
        var canceller = new LambdaCallback(onEpochEnd: (context, epoch) =>
        {
            if (epoch.Epoch == 2)
            {
                cancel.Cancel();
            }
        });

        Assert.Throws<TrainingCanceledException>(() => new SeedNet(seed: 3).Fit(_data, Options(5, new CsvLogger(path), canceller), cancel.Token));

        Assert.Equal(3, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void A_checkpoint_path_template_saves_a_file_per_epoch_named_from_its_figures()
    {
        var network = new SeedNet(seed: 3);
        var checkpoint = new ModelCheckpoint(bestPath: null, lastPath: Path.Combine(_files.Path, "seed-{epoch:02d}-{loss:.4f}-{{x}}.safetensors"));

        History history = network.Fit(_data, Options(3, checkpoint));

        for (int epoch = 1; epoch <= 3; epoch++)
        {
            string loss = history["loss"][epoch - 1].ToString("F4", CultureInfo.InvariantCulture);
            Assert.True(File.Exists(_files.File($"seed-0{epoch}-{loss}-{{x}}.safetensors")), $"epoch {epoch}");
        }

        Assert.Equal(ModelFileTests.Canonical(network), ModelFileTests.Canonical(ModelFile.Load<SeedNet>(_files.File(
            $"seed-03-{history["loss"][2].ToString("F4", CultureInfo.InvariantCulture)}-{{x}}.safetensors"))));
    }

    [Fact]
    public void The_best_checkpoints_file_is_named_for_the_epoch_it_holds()
    {
        var checkpoint = new ModelCheckpoint(Path.Combine(_files.Path, "best-{epoch}-{loss:0.000e+00}.safetensors")) { Monitor = "loss" };

        History history = new SeedNet(seed: 3).Fit(_data, Options(3, checkpoint));

        int best = checkpoint.BestEpoch!.Value;
        string expected = _files.File($"best-{best}-{history["loss"][best - 1].ToString("0.000e+00", CultureInfo.InvariantCulture)}.safetensors");
        Assert.Equal(expected, checkpoint.BestFile);
        Assert.True(File.Exists(expected));
    }

    [Fact]
    public void A_best_checkpoint_that_cannot_be_saved_is_not_reported_as_saved()
    {
        var checkpoint = new ModelCheckpoint(Path.Combine(_files.Path, "missing-directory", "best-{epoch}.safetensors")) { Monitor = "loss" };

        Assert.Throws<DirectoryNotFoundException>(() => new SeedNet(seed: 3).Fit(_data, Options(2, checkpoint)));

        Assert.Null(checkpoint.BestFile);
        Assert.Null(checkpoint.BestEpoch);
    }

    [Theory]
    [InlineData("model-{val_loss}.safetensors", "names 'val_loss' but the run records only epoch, loss, learning_rate")]
    [InlineData("model-{loss:02d}.safetensors", "formats 'loss' with '02d', which is not a format for a number")]
    public void A_template_the_run_cannot_fill_is_refused_before_the_first_step(string template, string message)
    {
        var network = new SeedNet(seed: 3);
        float[] before = network.Parameters.ToArray();

        var error = Assert.Throws<ArgumentException>(() => network.Fit(_data, Options(2, new ModelCheckpoint(null, Path.Combine(_files.Path, template)))));

        Assert.Contains(message, error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
        Assert.Empty(Directory.GetFiles(_files.Path));
    }

    [Theory]
    [InlineData("model-{epoch.safetensors", "unmatched '{' at 6")]
    [InlineData("model-epoch}.safetensors", "unmatched '}' at 11")]
    [InlineData("model-{}.safetensors", "placeholder with no name at 6")]
    public void A_template_with_a_stray_brace_is_refused_where_it_is_given(string template, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => new ModelCheckpoint(null, template));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Figures_print_as_Keras_progress_bar_prints_them()
    {
        Assert.Equal("0.5123", ProgressLine.AppendFigure(new System.Text.StringBuilder(), 0.51234).ToString());
        Assert.Equal("1.0000e-03", ProgressLine.AppendFigure(new System.Text.StringBuilder(), 0.001).ToString());
        Assert.Equal("2.5000e-05", ProgressLine.AppendFigure(new System.Text.StringBuilder(), 0.000025).ToString());
        Assert.Equal("0.0000e+00", ProgressLine.AppendFigure(new System.Text.StringBuilder(), 0).ToString());
        Assert.Equal("-3.1416", ProgressLine.AppendFigure(new System.Text.StringBuilder(), -Math.PI).ToString());
        Assert.Equal("NaN", ProgressLine.AppendFigure(new System.Text.StringBuilder(), double.NaN).ToString());
    }

    private static FitOptions Options(int epochs, params FitCallback[] callbacks) => new()
    {
        Optimizer = new Adam(0.01f),
        Epochs = epochs,
        BatchSize = BatchSize,
        Shuffle = false,
        Threads = 1,
        Verbose = Verbosity.Silent,
        Callbacks = callbacks,
    };

    /// <summary>Records, at each batch end, how many bytes this thread has allocated so far, into room allocated beforehand.</summary>
    private sealed class CountingCallback : FitCallback
    {
        public long[] Allocated { get; init; } = [];

        public int Calls { get; private set; }

        public override void OnBatchEnd(FitContext context, BatchSummary batch)
        {
            if (Calls < Allocated.Length)
            {
                Allocated[Calls] = GC.GetAllocatedBytesForCurrentThread();
            }

            Calls++;
        }
    }
}
