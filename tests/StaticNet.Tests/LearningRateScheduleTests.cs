using Xunit;

namespace StaticNet.Tests;

/// <summary>
/// The learning-rate schedules against the closed forms of Keras' documentation, worked by hand at chosen
/// steps, and an optimizer following one in Fit step by step.
/// </summary>
public class LearningRateScheduleTests
{
    private const int Rows = 24;
    private const int BatchSize = 4;

    public static TheoryData<string, LearningRateSchedule, long, double> ClosedForms() => new()
    {
        // 0.1 · 0.5^(step / 100)
        { "exponential, first step", new ExponentialDecay(0.1, 100, 0.5), 0, 0.1 },
        { "exponential, half a period", new ExponentialDecay(0.1, 100, 0.5), 50, 0.1 * Math.Sqrt(0.5) },
        { "exponential, two periods", new ExponentialDecay(0.1, 100, 0.5), 200, 0.025 },
        { "exponential staircase, one and a half periods", new ExponentialDecay(0.1, 100, 0.5, staircase: true), 150, 0.05 },

        // 1 up to step 10, 0.5 up to step 20, then 0.1.
        { "piecewise, first interval", new PiecewiseConstantDecay([10, 20], [1, 0.5, 0.1]), 0, 1 },
        { "piecewise, on a boundary", new PiecewiseConstantDecay([10, 20], [1, 0.5, 0.1]), 10, 1 },
        { "piecewise, past a boundary", new PiecewiseConstantDecay([10, 20], [1, 0.5, 0.1]), 11, 0.5 },
        { "piecewise, on the last boundary", new PiecewiseConstantDecay([10, 20], [1, 0.5, 0.1]), 20, 0.5 },
        { "piecewise, past the last boundary", new PiecewiseConstantDecay([10, 20], [1, 0.5, 0.1]), 21, 0.1 },

        // (0.1 - 0.01) · (1 - step / 100)^0.5 + 0.01
        { "polynomial, three quarters", new PolynomialDecay(0.1, 100, 0.01, power: 0.5), 75, (0.09 * 0.5) + 0.01 },
        { "polynomial, past the end", new PolynomialDecay(0.1, 100, 0.01, power: 0.5), 150, 0.01 },
        { "polynomial cycling, first step", new PolynomialDecay(0.1, 100, 0.01, power: 0.5, cycle: true), 0, 0.1 },
        { "polynomial cycling, end of the first period", new PolynomialDecay(0.1, 100, 0.01, power: 0.5, cycle: true), 100, 0.01 },
        { "polynomial cycling, second period of 200", new PolynomialDecay(0.1, 100, 0.01, power: 0.5, cycle: true), 150, (0.09 * 0.5) + 0.01 },
        { "polynomial, Keras' default end", new PolynomialDecay(0.1, 100), 50, (0.0999 * 0.5) + 0.0001 },

        // 0.1 / (1 + 0.5 · step / 10)
        { "inverse time", new InverseTimeDecay(0.1, 10, 0.5), 20, 0.05 },
        { "inverse time staircase", new InverseTimeDecay(0.1, 10, 0.5, staircase: true), 15, 0.1 / 1.5 },

        // 0.1 · (0.9 · ½(1 + cos(π · step / 100)) + 0.1)
        { "cosine, first step", new CosineDecay(0.1, 100, alpha: 0.1), 0, 0.1 },
        { "cosine, half way", new CosineDecay(0.1, 100, alpha: 0.1), 50, 0.1 * ((0.9 * 0.5) + 0.1) },
        { "cosine, end", new CosineDecay(0.1, 100, alpha: 0.1), 100, 0.01 },
        { "cosine, past the end", new CosineDecay(0.1, 100, alpha: 0.1), 300, 0.01 },

        // From 0 up to 0.1 over 10 steps, then the cosine from 0.1 over 100.
        { "warm-up, half way", new CosineDecay(0, 100, warmupTarget: 0.1, warmupSteps: 10), 5, 0.05 },
        { "warm-up, done", new CosineDecay(0, 100, warmupTarget: 0.1, warmupSteps: 10), 10, 0.1 },
        { "warm-up, decay half way", new CosineDecay(0, 100, warmupTarget: 0.1, warmupSteps: 10), 60, 0.05 },
        { "warm-up, decay past the end", new CosineDecay(0, 100, warmupTarget: 0.1, warmupSteps: 10), 500, 0 },

        // Periods of 10, 20 and 40 steps starting at 0, 10 and 30, at rates 0.1, 0.05 and 0.025.
        { "restarts, in the first period", new CosineDecayRestarts(0.1, 10, tMul: 2, mMul: 0.5), 5, 0.05 },
        { "restarts, second period's start", new CosineDecayRestarts(0.1, 10, tMul: 2, mMul: 0.5), 10, 0.05 },
        { "restarts, second period half way", new CosineDecayRestarts(0.1, 10, tMul: 2, mMul: 0.5), 20, 0.025 },
        { "restarts, third period half way", new CosineDecayRestarts(0.1, 10, tMul: 2, mMul: 0.5), 50, 0.0125 },
        { "restarts of equal periods", new CosineDecayRestarts(0.1, 10, tMul: 1, alpha: 0.2), 25, 0.1 * ((0.8 * 0.5) + 0.2) },

        { "a function", LearningRateSchedule.FromFunction(step => 1.0 / (step + 1)), 3, 0.25 },
    };

    [Theory]
    [MemberData(nameof(ClosedForms))]
    public void A_schedule_gives_Keras_closed_form_at_a_step(string name, LearningRateSchedule schedule, long step, double expected)
    {
        double rate = schedule.RateAt(step);
        Assert.True(Math.Abs(rate - expected) <= 1e-12, $"{name}: {rate} against {expected}");
    }

    [Fact]
    public void Settings_a_schedule_cannot_use_are_refused_where_they_are_given()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(0.1, 0, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecay(double.NaN, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecayRestarts(0.1, 10, tMul: 0));
        Assert.Throws<ArgumentException>(() => new PiecewiseConstantDecay([10, 20], [1, 0.5]));
        Assert.Throws<ArgumentException>(() => new PiecewiseConstantDecay([20, 10], [1, 0.5, 0.1]));
    }

    [Fact]
    public void An_optimizer_with_a_schedule_takes_each_step_at_the_scheduled_rate()
    {
        var random = new Random(8);
        float[] x = RandomData.Uniform(random, Rows * 2);
        float[] y = RandomData.Uniform(random, Rows);
        var schedule = new CosineDecay(0.05, decaySteps: 10, alpha: 0.1, warmupTarget: 0.1, warmupSteps: 3);
        var network = new SeedNet(seed: 3);
        var optimizer = new AdamW { Schedule = schedule };

        History history = network.Fit(new Dataset(x, 2, y, 1), new FitOptions
        {
            Optimizer = optimizer,
            Epochs = 3,
            BatchSize = BatchSize,
            Shuffle = false,
            Threads = 1,
            Verbose = Verbosity.Silent,
        });

        // The same steps, one by one, with the rate set by hand before each.
        var byHand = new SeedNet(seed: 3);
        var handOptimizer = new AdamW();
        using var session = new TrainingSession(byHand, Loss.MeanSquaredError, handOptimizer, BatchSize);
        int batches = Rows / BatchSize;
        for (int step = 0; step < 3 * batches; step++)
        {
            handOptimizer.LearningRate = (float)schedule.RateAt(step);
            int batch = step % batches;
            session.Step(x.AsSpan(batch * BatchSize * 2, BatchSize * 2), y.AsSpan(batch * BatchSize, BatchSize));
        }

        Assert.Equal(byHand.Parameters.ToArray(), network.Parameters.ToArray());
        Assert.Equal(3 * batches, optimizer.Steps);

        // The history logs the rate of each epoch's last step; LearningRate shows the next step's.
        Assert.Equal([(float)schedule.RateAt(5), (float)schedule.RateAt(11), (float)schedule.RateAt(17)], history["learning_rate"]);
        Assert.Equal((float)schedule.RateAt(18), optimizer.LearningRate);
    }

    [Fact]
    public void The_rate_of_a_scheduled_optimizer_cannot_be_set()
    {
        var optimizer = new Sgd { Schedule = new ExponentialDecay(0.1, 10, 0.5) };

        Assert.Equal(0.1f, optimizer.LearningRate);
        var error = Assert.Throws<InvalidOperationException>(() => optimizer.LearningRate = 0.2f);
        Assert.Contains("ExponentialDecay", error.Message);
    }

    [Fact]
    public void A_schedule_that_gives_a_negative_rate_stops_Fit_naming_the_step()
    {
        var network = new SeedNet(seed: 3);
        var optimizer = new Sgd { Schedule = LearningRateSchedule.FromFunction(step => step < 2 ? 0.01 : -1) };

        var error = Assert.Throws<InvalidOperationException>(() => network.Fit(
            new Dataset(new float[Rows * 2], 2, new float[Rows], 1),
            new FitOptions { Optimizer = optimizer, BatchSize = BatchSize, Verbose = Verbosity.Silent }));

        Assert.Contains("-1 for step 2", error.Message);
        Assert.Equal(2, optimizer.Steps);
    }

    [Fact]
    public void Callbacks_that_set_the_rate_are_refused_with_a_scheduled_optimizer_before_the_first_step()
    {
        var network = new SeedNet(seed: 3);
        float[] before = network.Parameters.ToArray();
        var optimizer = new Adam { Schedule = new ExponentialDecay(0.001, 10, 0.5) };

        foreach (FitCallback callback in new FitCallback[] { new ReduceLROnPlateau("loss"), new LearningRateScheduler((epoch, rate) => rate) })
        {
            var error = Assert.Throws<ArgumentException>(() => network.Fit(
                new Dataset(new float[Rows * 2], 2, new float[Rows], 1),
                new FitOptions { Optimizer = optimizer, Verbose = Verbosity.Silent, Callbacks = [callback] }));
            Assert.Contains("schedule (ExponentialDecay)", error.Message);
        }

        Assert.Equal(before, network.Parameters.ToArray());
        Assert.Equal(0, optimizer.Steps);
    }

    [Fact]
    public void LearningRateScheduler_sets_each_epochs_rate_from_the_epoch_counted_from_one()
    {
        var optimizer = new Sgd(0.1f);
        var seen = new List<(int Epoch, double Rate)>();
        var scheduler = new LearningRateScheduler((epoch, rate) =>
        {
            seen.Add((epoch, rate));
            return epoch <= 2 ? rate : rate / 2;
        });

        History history = new SeedNet(seed: 3).Fit(
            new Dataset(new float[Rows * 2], 2, new float[Rows], 1),
            new FitOptions { Optimizer = optimizer, Epochs = 4, Verbose = Verbosity.Silent, Callbacks = [scheduler] });

        Assert.Equal([1, 2, 3, 4], seen.Select(s => s.Epoch));
        Assert.Equal([0.1f, 0.1f, 0.05f, 0.025f], history["learning_rate"].Select(rate => (float)rate));
    }

    [Fact]
    public void LearningRateScheduler_refuses_a_rate_that_is_not_positive_and_finite()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SeedNet(seed: 3).Fit(
            new Dataset(new float[Rows * 2], 2, new float[Rows], 1),
            new FitOptions { Epochs = 3, Verbose = Verbosity.Silent, Callbacks = [new LearningRateScheduler((epoch, rate) => epoch == 2 ? double.NaN : rate)] }));

        Assert.Contains("epoch 2", error.Message);
    }
}
