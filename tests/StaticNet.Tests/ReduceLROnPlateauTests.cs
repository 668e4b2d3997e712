using StaticNet.Training;
using Xunit;

namespace StaticNet.Tests;

/// <summary>
/// ReduceLROnPlateau on recorded series of the monitored figure, with the learning rate after each epoch
/// as Keras 3's <c>ReduceLROnPlateau.on_epoch_end</c> leaves it (traced through its code: wait, best,
/// min_delta, cooldown, min_lr), starting from a learning rate of 1.
/// </summary>
public class ReduceLROnPlateauTests
{
    public static TheoryData<string, double[], ReduceLROnPlateau, double[]> Series() => new()
    {
        // Two epochs without a new minimum halve the rate; the epoch after a reduction is a cooldown, in which
        // the wait stays 0 and only a new best is recorded.
        {
            "patience and cooldown", [1.0, 1.0, 1.0, 0.5, 0.6, 0.7, 0.8],
            new ReduceLROnPlateau("loss") { Factor = 0.5, Patience = 2, MinDelta = 0, Cooldown = 1 },
            [1, 1, 0.5, 0.5, 0.5, 0.25, 0.25]
        },

        // Patience 0 lowers the rate at every epoch that does not improve, down to the floor and no further.
        {
            "floor", [1, 2, 3, 4],
            new ReduceLROnPlateau("loss") { Factor = 0.1, Patience = 0, MinLearningRate = 0.05 },
            [1, 0.1, 0.05, 0.05]
        },

        // An accuracy rises (Auto, by name); a rise of less than MinDelta is no improvement.
        {
            "accuracy and min delta", [0.5, 0.505, 0.52, 0.521],
            new ReduceLROnPlateau("val_accuracy") { Factor = 0.5, Patience = 1, MinDelta = 0.01 },
            [1, 0.5, 0.5, 0.25]
        },
    };

    [Theory]
    [MemberData(nameof(Series))]
    public void Lowers_the_learning_rate_where_Keras_does(string name, double[] series, ReduceLROnPlateau callback, double[] rates)
    {
        var optimizer = new Sgd(1f);
        var context = new FitContext(new SeedNet(seed: 1), optimizer, series.Length, new History());
        callback.OnTrainBegin(context);
        for (int epoch = 1; epoch <= series.Length; epoch++)
        {
            callback.OnEpochEnd(context, new EpochSummary(epoch, TimeSpan.Zero, new Dictionary<string, double> { [callback.Monitor] = series[epoch - 1] }));
            Assert.True(Math.Abs(optimizer.LearningRate - rates[epoch - 1]) <= 1e-7, $"{name}, epoch {epoch}: {optimizer.LearningRate} against {rates[epoch - 1]}");
        }
    }

    [Fact]
    public void In_Fit_it_lowers_the_rate_of_the_optimizer_training_the_network()
    {
        var random = new Random(4);
        float[] x = RandomData.Uniform(random, 64 * 2);
        float[] y = RandomData.Uniform(random, 64);
        var optimizer = new Adam(0.01f);
        var callback = new ReduceLROnPlateau("loss") { Factor = 0.5, Patience = 0, MinDelta = 1e9 };

        new SeedNet(seed: 1).Fit(new Dataset(x, 2, y, 1), new FitOptions { Epochs = 4, Optimizer = optimizer, Verbose = Verbosity.Silent, Callbacks = [callback] });

        // Only the first epoch beats infinity by 1e9; each of the other three halves the rate.
        Assert.Equal(3, callback.Reductions);
        Assert.Equal(0.01f / 8, optimizer.LearningRate, 1e-9f);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    public void A_factor_outside_zero_to_one_is_refused_before_the_first_step(double factor)
    {
        var network = new SeedNet(seed: 1);
        float[] before = network.Parameters.ToArray();

        Assert.Throws<ArgumentOutOfRangeException>(() => network.Fit(
            new Dataset(new float[8], 2, new float[4], 1),
            new FitOptions { Verbose = Verbosity.Silent, Callbacks = [new ReduceLROnPlateau("loss") { Factor = factor }] }));

        Assert.Equal(before, network.Parameters.ToArray());
    }
}
