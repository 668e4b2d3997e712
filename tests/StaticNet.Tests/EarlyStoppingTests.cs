using StaticNet.Training;
using Xunit;

namespace StaticNet.Tests;

/// <summary>
/// EarlyStopping on recorded series of the monitored figure, each with the epoch at which Keras 3's
/// <c>EarlyStopping.on_epoch_end</c> sets <c>stop_training</c> (traced through its code: wait, best,
/// min_delta, baseline, start_from_epoch), then in a real Fit.
/// </summary>
public class EarlyStoppingTests
{
    public static TheoryData<string, double[], EarlyStopping, int?> Series() => new()
    {
        // Two epochs without a new minimum after epoch 2: Keras stops after epoch 4.
        { "patience", [1.0, 0.9, 0.95, 0.97, 0.8], new EarlyStopping("loss") { Patience = 2 }, 4 },

        // 0.97 is not 0.05 below 1.0, so epoch 2 does not improve.
        { "min delta", [1.0, 0.97, 0.9, 0.88], new EarlyStopping("loss") { Patience = 1, MinDelta = 0.05 }, 2 },

        // The sign of MinDelta does not matter, as in Keras (abs).
        { "negative min delta", [1.0, 0.97, 0.9, 0.88], new EarlyStopping("loss") { Patience = 1, MinDelta = -0.05 }, 2 },

        // Auto mode by name: an accuracy rises. New bests under the baseline do not restart the wait, but
        // an improving epoch never stops training; 0.85 beats the baseline and restarts it.
        { "baseline", [0.7, 0.75, 0.85, 0.84], new EarlyStopping("val_accuracy") { Baseline = 0.8 }, 4 },

        // A first epoch that does not improve (NaN beats nothing) does not stop training, even with patience 0:
        // Keras never stops after its epoch 0.
        { "first epoch", [double.NaN, 0.5, 0.6], new EarlyStopping("val_loss"), 3 },

        // Best values that never beat the baseline never restart the wait.
        { "baseline never beaten", [0.9, 0.8, 0.7, 0.75], new EarlyStopping("val_loss") { Baseline = 0.1, Patience = 3 }, 4 },

        // The first two epochs are not looked at; from the third the figure must fall.
        { "start from epoch", [5, 6, 7, 6.5, 6.6], new EarlyStopping("loss") { StartFromEpoch = 2 }, 5 },

        // Max mode on a loss-like name is obeyed as asked.
        { "max mode", [1.0, 2.0, 1.5], new EarlyStopping("loss") { Mode = MonitorMode.Max }, 3 },

        // A steadily falling loss never stops.
        { "improving", [4, 3, 2, 1], new EarlyStopping("loss"), null },
    };

    [Theory]
    [MemberData(nameof(Series))]
    public void Stops_at_the_epoch_Keras_stops_at(string name, double[] series, EarlyStopping callback, int? stopsAfter)
    {
        FitContext context = Run(callback, series, out int ran);

        Assert.True(stopsAfter == callback.StoppedEpoch, $"{name}: stopped after {callback.StoppedEpoch}, expected {stopsAfter}");
        Assert.Equal(stopsAfter ?? series.Length, ran);
        Assert.Equal(stopsAfter is not null, context.StopTraining);
    }

    [Fact]
    public void Restoring_the_best_weights_leaves_the_parameters_of_the_best_epoch()
    {
        var callback = new EarlyStopping("loss") { Patience = 1, RestoreBestWeights = true };

        FitContext context = Run(callback, [3, 2, 2.5, 2.6], out int ran);

        Assert.Equal(3, ran);
        Assert.Equal(2, callback.BestEpoch);
        Assert.Equal(2, callback.Best);
        Assert.All(context.Network.Parameters.ToArray(), v => Assert.Equal(2f, v));
    }

    [Fact]
    public void Without_restoring_the_network_keeps_its_last_parameters()
    {
        var callback = new EarlyStopping("loss") { Patience = 1 };

        FitContext context = Run(callback, [3, 2, 2.5, 2.6], out _);

        Assert.All(context.Network.Parameters.ToArray(), v => Assert.Equal(3f, v));
    }

    [Fact]
    public void Fit_runs_no_epoch_after_the_one_that_stops_it()
    {
        var stopping = new EarlyStopping("loss") { MinDelta = 1e9 };
        var random = new Random(4);
        float[] x = RandomData.Uniform(random, 64 * 2);
        float[] y = RandomData.Uniform(random, 64);

        History history = new SeedNet(seed: 1).Fit(new Dataset(x, 2, y, 1), new FitOptions { Epochs = 10, Verbose = Verbosity.Silent, Callbacks = [stopping] });

        // No epoch beats infinity's successor by 1e9, so Keras stops after its epoch 1: two epochs.
        Assert.Equal(2, history.Epochs.Count);
        Assert.Equal(2, stopping.StoppedEpoch);
    }

    [Fact]
    public void A_monitor_the_run_never_records_is_refused_before_the_first_step()
    {
        var network = new SeedNet(seed: 1);
        float[] before = network.Parameters.ToArray();

        var error = Assert.Throws<ArgumentException>(() => network.Fit(
            new Dataset(new float[8], 2, new float[4], 1), new FitOptions { Verbose = Verbosity.Silent, Callbacks = [new EarlyStopping()] }));

        Assert.Contains("monitors 'val_loss' but the run records only loss", error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void A_negative_patience_is_refused_before_the_first_step()
    {
        var network = new SeedNet(seed: 1);
        float[] before = network.Parameters.ToArray();

        Assert.Throws<ArgumentOutOfRangeException>(() => network.Fit(
            new Dataset(new float[8], 2, new float[4], 1), new FitOptions { Verbose = Verbosity.Silent, Callbacks = [new EarlyStopping("loss") { Patience = -1 }] }));

        Assert.Equal(before, network.Parameters.ToArray());
    }

    /// <summary>
    /// Drives the callback as Fit does over a recorded series, setting every parameter to the epoch's
    /// number before its end, and returns the context after OnTrainEnd, with how many epochs ran.
    /// </summary>
    private static FitContext Run(EarlyStopping callback, double[] series, out int ran)
    {
        var network = new SeedNet(seed: 1);
        var context = new FitContext(network, new Adam(), series.Length, new History());
        callback.OnTrainBegin(context);
        ran = 0;
        for (int epoch = 1; epoch <= series.Length && !context.StopTraining; epoch++)
        {
            context.Epoch = epoch;
            network.Parameters.Fill(epoch);
            callback.OnEpochEnd(context, new EpochSummary(epoch, TimeSpan.Zero, new Dictionary<string, double> { [callback.Monitor] = series[epoch - 1] }));
            ran = epoch;
        }

        callback.OnTrainEnd(context);
        return context;
    }
}
