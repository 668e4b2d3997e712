using StaticNet;
using Xunit;

namespace StaticNet.Tests;

public sealed class CheckpointTests : IDisposable
{
    private static readonly float[,] X = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
    private static readonly float[,] Y = { { 0 }, { 1 }, { 1 }, { 0 } };

    private readonly TemporaryDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void The_best_checkpoint_holds_the_epoch_with_the_lowest_validation_loss_and_the_last_holds_the_final_model()
    {
        var network = new XorNet(seed: 3);
        var validation = new Dataset(X, Y);
        var checkpoint = new ModelCheckpoint(_files.File("best.safetensors"), _files.File("last.safetensors"));

        History history = network.Fit(X, Y, new FitOptions
        {
            Loss = Loss.BinaryCrossEntropy,
            Optimizer = new Adam(0.05f),
            Epochs = 40,
            BatchSize = 2,
            Seed = 1,
            ValidationData = validation,
            Verbose = Verbosity.Silent,
            Callbacks = [checkpoint],
        });

        IReadOnlyList<double> losses = history["val_loss"];
        int bestEpoch = losses.Select((loss, i) => (loss, i)).Min().i + 1;
        Assert.Equal(bestEpoch, checkpoint.BestEpoch);
        Assert.Equal(losses.Min(), checkpoint.BestValue);
        XorNet best = ModelFile.Load<XorNet>(checkpoint.BestPath!);
        Assert.Equal(losses.Min(), best.Evaluate(validation, Loss.BinaryCrossEntropy).Loss, 6);
        Assert.Equal(ModelFileTests.Canonical(network), ModelFileTests.Canonical(ModelFile.Load<XorNet>(checkpoint.LastPath!)));
    }

    [Fact]
    public void Accuracy_is_maximised_and_the_scaling_is_saved_with_each_checkpoint()
    {
        var data = new Dataset(X, Y);
        FeatureScaling scaling = FeatureScaling.MinMax(data);
        var checkpoint = new ModelCheckpoint(_files.File("best.safetensors")) { Monitor = "accuracy", Scaling = scaling };

        History history = new XorNet(seed: 3).Fit(data, new FitOptions
        {
            Loss = Loss.BinaryCrossEntropy,
            Optimizer = new Adam(0.05f),
            Epochs = 30,
            Seed = 1,
            Metrics = [Metric.Accuracy],
            Verbose = Verbosity.Silent,
            Callbacks = [checkpoint],
        });

        Assert.Equal(history["accuracy"].Max(), checkpoint.BestValue);
        Assert.Equal(history["accuracy"].ToList().IndexOf(history["accuracy"].Max()) + 1, checkpoint.BestEpoch);
        Assert.Equal(scaling.Center, ScaledNetwork<XorNet>.Load(checkpoint.BestPath!).Scaling.Center);
    }

    [Fact]
    public void Monitoring_a_figure_the_run_will_not_record_is_refused_before_any_step_naming_the_ones_it_will()
    {
        var network = new XorNet(seed: 1);
        float[] before = network.Parameters.ToArray();
        var checkpoint = new ModelCheckpoint(_files.File("best.safetensors"), _files.File("last.safetensors")) { Monitor = "val_acc" };

        var error = Assert.Throws<ArgumentException>(() => network.Fit(X, Y, new FitOptions
        {
            Metrics = [Metric.Accuracy],
            ValidationSplit = 0.5,
            Callbacks = [checkpoint],
            Verbose = Verbosity.Silent,
        }));

        Assert.Equal("Callbacks", error.ParamName);
        Assert.Contains("monitors 'val_acc' but the run records only accuracy, loss, val_accuracy, val_loss, learning_rate;", error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
        Assert.False(File.Exists(checkpoint.LastPath));
    }

    [Fact]
    public void An_epoch_without_the_monitored_figure_names_the_ones_it_has()
    {
        var checkpoint = new ModelCheckpoint(_files.File("best.safetensors"));
        var epoch = new EpochSummary(1, TimeSpan.FromSeconds(1), new Dictionary<string, double> { ["loss"] = 0.5 });

        var error = Assert.Throws<KeyNotFoundException>(() => checkpoint.OnEpochEnd(new FitContext(new XorNet(seed: 1), new Adam(), 1, new History()), epoch));

        Assert.Contains("monitors 'val_loss' but the run records only loss;", error.Message);
    }

    [Fact]
    public void A_checkpoint_needs_a_path()
    {
        Assert.Throws<ArgumentException>(() => new ModelCheckpoint(null, null));
    }

    [Fact]
    public void Callbacks_run_once_per_epoch_in_order_with_that_epochs_figures()
    {
        var calls = new List<string>();
        new XorNet(seed: 1).Fit(X, Y, new FitOptions
        {
            Epochs = 3,
            Verbose = Verbosity.Silent,
            Callbacks = [new Recorder("a", calls), new Recorder("b", calls)],
        });

        Assert.Equal(["a1", "b1", "a2", "b2", "a3", "b3"], calls);
    }

    private sealed class Recorder(string name, List<string> calls) : FitCallback
    {
        public override void OnEpochEnd(FitContext context, EpochSummary epoch) => calls.Add(name + epoch.Epoch);
    }
}
