using StaticNet;
using StaticNet.Training;
using Xunit;

namespace StaticNet.Tests;

public class DivergenceTests
{
    private static readonly float[,] XorInputs = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
    private static readonly float[,] XorLabels = { { 0 }, { 1 }, { 1 }, { 0 } };

    public static IEnumerable<object[]> Losses() =>
    [
        ["mse", Activation.Linear], ["mae", Activation.Linear], ["huber", Activation.Linear],
        ["binary_crossentropy", Activation.Linear], ["binary_crossentropy", Activation.Sigmoid],
        ["categorical_crossentropy", Activation.Linear], ["categorical_crossentropy", Activation.Softmax],
    ];

    [Theory]
    [MemberData(nameof(Losses))]
    public void Every_loss_and_its_gradient_are_NaN_where_an_output_is_NaN(string name, Activation outputActivation)
    {
        Loss loss = LossNamed(name);
        // The NaN sits where the target is 0, which a term that skips zero targets would miss.
        float[] outputs = [0.7f, float.NaN, 0.4f, 0.6f];
        float[] targets = [1, 0, 0, 1];
        float[] gradient = new float[4];

        double value = loss.Compute(outputs, targets, 2, outputActivation, gradient, out _);

        Assert.True(double.IsNaN(value), $"{name} gave {value}");
        Assert.True(float.IsNaN(gradient[1]), $"{name}'s gradient gave {gradient[1]}");
        Assert.True(double.IsNaN(loss.Compute(outputs, targets, 2, outputActivation, [], out _)));
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void Every_loss_is_finite_for_finite_outputs_at_the_edges_of_its_domain(string name, Activation outputActivation)
    {
        // Saturated probabilities are clamped, not NaN: the NaN checks must not trip on them.
        float[] outputs = [1f, 0f, 0f, 1f];
        float[] targets = [1, 0, 0, 1];
        Assert.True(double.IsFinite(LossNamed(name).Compute(outputs, targets, 2, outputActivation, new float[4], out _)));
    }

    public static TheoryData<Metric> EveryBuiltInMetric() =>
    [
        Metric.Accuracy, Metric.BinaryAccuracy, Metric.CategoricalAccuracy, Metric.TopKCategoricalAccuracy(1),
        Metric.MeanSquaredError, Metric.MeanAbsoluteError, Metric.RootMeanSquaredError, Metric.RSquared,
        Metric.Precision(), Metric.Recall(ClassAveraging.Macro), Metric.F1Score(ClassAveraging.Micro),
        Metric.Auc(), Metric.Auc(thresholds: 200), Metric.CategoricalAccuracy.Weighted(),
    ];

    [Theory]
    [MemberData(nameof(EveryBuiltInMetric))]
    public void Every_metric_is_NaN_where_an_output_is_NaN(Metric metric)
    {
        // Row 0 predicts class 0 for a target of class 0 but for its NaN; a NaN compared, maxed or
        // searched for as a finite value would count it right.
        float[] outputs = [0.2f, float.NaN, 0.1f, 0.9f];
        float[] targets = [1, 0, 0, 1];
        MetricAccumulator accumulator = metric.CreateAccumulator(new MetricContext(2, 2, Loss.MeanSquaredError, Activation.Sigmoid));

        accumulator.Update(new MetricBatch(outputs, targets, [], 2));

        Assert.True(double.IsNaN(accumulator.Result), $"{metric} gave {accumulator.Result}");
    }

    [Fact]
    public void Evaluate_of_a_network_whose_outputs_are_NaN_reports_NaN_for_the_loss_and_every_metric()
    {
        var network = new SeedNet(seed: 1);
        network.Parameters[SeedNet.ParameterCount - 1] = float.NaN;
        Metric[] metrics = [Metric.Accuracy, Metric.BinaryAccuracy, Metric.MeanSquaredError, Metric.MeanAbsoluteError, Metric.Auc(), Metric.Precision()];

        Evaluation score = network.Evaluate(XorInputs, XorLabels, Loss.BinaryCrossEntropy, metrics);

        Assert.True(double.IsNaN(score.Loss));
        Assert.All(metrics, metric => Assert.True(double.IsNaN(score[metric]), $"{metric} gave {score[metric]}"));
    }

    [Theory]
    [InlineData("binary_crossentropy")]
    [InlineData("mae")]
    [InlineData("huber")]
    public void Fit_with_an_exploding_learning_rate_throws_and_keeps_the_last_finite_parameters(string lossName)
    {
        // The Keras example's data: ReLU units grow without bound until the output is NaN.
        var random = new Random(1);
        float[] x = RandomData.Uniform(random, 100 * 2);
        float[] y = Enumerable.Range(0, 100).Select(_ => MathF.Round(random.NextSingle())).ToArray();
        var data = new Dataset(x, 2, y, 1);
        FitOptions Options(int epochs) => new()
        {
            Loss = LossNamed(lossName),
            Optimizer = new Adam(1e30f),
            Epochs = epochs,
            Seed = 1,
            Verbose = Verbosity.Silent,
        };
        var network = new SeedNet(seed: 42);

        var error = Assert.Throws<TrainingDivergedException>(() => network.Fit(data, Options(20)));

        Assert.Contains($"at epoch {error.Epoch}/20, batch {error.Batch}/4", error.Message);
        Assert.Equal(-1, NonFinite.IndexOf(network.Parameters));
        Assert.Equal(ParametersAfter(error.Epoch!.Value - 1, () => new SeedNet(seed: 42), data, Options), network.Parameters.ToArray());
    }

    [Fact]
    public void A_Fit_that_diverges_after_finished_epochs_keeps_the_parameters_and_figures_of_the_last_of_them()
    {
        Dataset data = LargeTargets();
        FitOptions Options(int epochs) => new() { Optimizer = new Sgd(3e-4f), Epochs = epochs, BatchSize = 16, Seed = 1, Verbose = Verbosity.Silent };
        var network = new LinearNet(seed: 1);

        var error = Assert.Throws<TrainingDivergedException>(() => network.Fit(data, Options(50)));

        Assert.True(error.Epoch > 1, $"diverged at epoch {error.Epoch}, too early to test");
        Assert.Equal(ParametersAfter(error.Epoch!.Value - 1, () => new LinearNet(seed: 1), data, Options), network.Parameters.ToArray());
        Assert.Equal(error.Epoch - 1, error.History!.Epochs.Count);
        Assert.All(error.History.Epochs, epoch => Assert.True(double.IsFinite(epoch.Loss)));
        Assert.Contains($"back to their values from the end of epoch {error.Epoch - 1}", error.Message);
    }

    [Fact]
    public void An_update_that_makes_the_parameters_infinite_is_caught_though_no_later_loss_sees_it()
    {
        // Rows 0-7 are zeros with zero targets, so a network with zero biases has nothing to learn
        // from them; rows 8-11 push the last batch's update past float's range. Only the epoch's last
        // update goes wrong, so no loss of a later batch can show it.
        float[] x = new float[12 * LinearNet.InputSize];
        float[] y = new float[12 * LinearNet.OutputSize];
        x.AsSpan(8 * LinearNet.InputSize).Fill(1f);
        y.AsSpan(8 * LinearNet.OutputSize).Fill(1000f);
        var network = new LinearNet(seed: 1);
        float[] before = network.Parameters.ToArray();
        var optimizer = new Sgd(float.MaxValue);

        var error = Assert.Throws<TrainingDivergedException>(() => network.Fit(new Dataset(x, 7, y, 3), new FitOptions
        {
            Optimizer = optimizer,
            BatchSize = 4,
            Shuffle = false,
            Verbose = Verbosity.Silent,
        }));

        Assert.Equal(1, error.Epoch);
        Assert.Equal(3, error.Batch);
        Assert.True(double.IsFinite(error.Loss));
        Assert.Contains("the update of the batch at epoch 1/1, batch 3/3 made the parameters NaN or infinite", error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
        Assert.Equal(0, optimizer.Steps);
    }

    [Fact]
    public void A_diverged_Fit_rewinds_the_optimizer_so_the_same_one_trains_on_from_the_kept_parameters()
    {
        Dataset data = LargeTargets();
        var network = new LinearNet(seed: 1);
        var optimizer = new Sgd(learningRate: 2e-4f, momentum: 0.5f);

        var error = Assert.Throws<TrainingDivergedException>(() => network.Fit(data, new FitOptions
        {
            Optimizer = optimizer,
            Epochs = 50,
            BatchSize = 16,
            Seed = 1,
            Verbose = Verbosity.Silent,
        }));

        Assert.True(error.Epoch > 1, $"diverged at epoch {error.Epoch}, too early to test");
        Assert.Equal(4L * (error.Epoch!.Value - 1), optimizer.Steps);
        Assert.Equal(-1, NonFinite.IndexOf(optimizer.State));
        optimizer.LearningRate = 1e-6f;
        History more = network.Fit(data, new FitOptions { Optimizer = optimizer, Epochs = 3, BatchSize = 16, Seed = 1, Verbose = Verbosity.Silent });
        Assert.All(more.Epochs, epoch => Assert.True(double.IsFinite(epoch.Loss)));
        Assert.Equal(4L * (error.Epoch.Value + 2), optimizer.Steps);
    }

    [Fact]
    public void A_session_reports_parameters_an_update_made_infinite()
    {
        var network = new LinearNet(seed: 1);
        using var session = new TrainingSession(network, Loss.MeanSquaredError, new Sgd(float.MaxValue), 4);
        float[] features = new float[4 * LinearNet.InputSize];
        float[] targets = new float[4 * LinearNet.OutputSize];
        features.AsSpan().Fill(1f);
        targets.AsSpan().Fill(1000f);

        session.ThrowIfParametersNotFinite();
        Assert.True(double.IsFinite(session.Step(features, targets)));
        var error = Assert.Throws<TrainingDivergedException>(session.ThrowIfParametersNotFinite);
        Assert.Contains("after step 1, parameter", error.Message);
    }

    /// <summary>64 rows of 7 features and 3 targets, both up to 100 in size, for SGD to overshoot on.</summary>
    private static Dataset LargeTargets()
    {
        var random = new Random(3);
        return new Dataset(RandomData.Uniform(random, 64 * 7, 100), 7, RandomData.Uniform(random, 64 * 3, 100), 3);
    }

    /// <summary>The parameters of a fresh network after <paramref name="epochs"/> epochs of the same training, or none.</summary>
    private static float[] ParametersAfter(int epochs, Func<INetwork> create, Dataset data, Func<int, FitOptions> options)
    {
        INetwork reference = create();
        if (epochs > 0)
        {
            reference.Fit(data, options(epochs));
        }

        return reference.Parameters.ToArray();
    }

    private static Loss LossNamed(string name) => name switch
    {
        "mse" => Loss.MeanSquaredError,
        "mae" => Loss.MeanAbsoluteError,
        "huber" => Loss.Huber,
        "binary_crossentropy" => Loss.BinaryCrossEntropy,
        _ => Loss.CategoricalCrossEntropy,
    };
}
