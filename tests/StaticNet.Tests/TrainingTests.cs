using StaticNet;
using Xunit;

namespace StaticNet.Tests;

public class TrainingTests
{
    private static readonly float[,] XorInputs = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
    private static readonly float[,] XorLabels = { { 0 }, { 1 }, { 1 }, { 0 } };

    [Fact]
    public void Xor_is_learned_to_full_accuracy()
    {
        var network = new XorNet(seed: 3);
        History history = network.Fit(XorInputs, XorLabels, new FitOptions
        {
            Loss = Loss.BinaryCrossEntropy,
            Optimizer = new Adam(learningRate: 0.05f),
            Epochs = 400,
            BatchSize = 4,
            Seed = 1,
            Metrics = [Metric.Accuracy],
            Verbose = Verbosity.Silent,
        });

        Evaluation score = network.Evaluate(XorInputs, XorLabels, Loss.BinaryCrossEntropy, Metric.Accuracy);
        Assert.Equal(1.0, score.Accuracy);
        Assert.True(score.Loss < 0.05, $"loss {score.Loss}");
        Assert.True(history.Epochs[^1].Loss < history.Epochs[0].Loss / 10, "the loss fell by less than ten times");
    }

    [Fact]
    public void A_softmax_classifier_learns_three_separable_clusters_with_categorical_cross_entropy()
    {
        var random = new Random(4);
        const int Count = 300;
        float[] x = new float[Count * 7];
        float[] y = new float[Count * 5];
        for (int i = 0; i < Count; i++)
        {
            int label = i % 3;
            for (int j = 0; j < 7; j++)
            {
                x[(i * 7) + j] = (j == label ? 2f : 0f) + (0.3f * ((2 * random.NextSingle()) - 1));
            }

            y[(i * 5) + label] = 1;
        }

        var data = new Dataset(x, 7, y, 5);
        var network = new SoftmaxNet(seed: 1);
        network.Fit(data, new FitOptions { Loss = Loss.CategoricalCrossEntropy, Epochs = 30, Seed = 2, Verbose = Verbosity.Silent, Optimizer = new Adam(0.01f) });
        Assert.Equal(1.0, network.Evaluate(data, Loss.CategoricalCrossEntropy, Metric.Accuracy).Accuracy);
    }

    [Fact]
    public void Fit_with_the_same_seeds_is_reproducible()
    {
        float[] Train()
        {
            var network = new XorNet(seed: 5);
            network.Fit(XorInputs, XorLabels, new FitOptions { Epochs = 20, BatchSize = 2, Seed = 9, Verbose = Verbosity.Silent });
            return network.Parameters.ToArray();
        }

        Assert.Equal(Train(), Train());
    }

    [Fact]
    public void History_records_loss_metrics_and_validation_figures_per_epoch()
    {
        var network = new XorNet(seed: 1);
        History history = network.Fit(XorInputs, XorLabels, new FitOptions
        {
            Epochs = 3,
            Metrics = [Metric.Accuracy, Metric.MeanAbsoluteError],
            ValidationData = new Dataset(XorInputs, XorLabels),
            Verbose = Verbosity.Silent,
        });

        Assert.Equal(3, history.Epochs.Count);
        Assert.Equal(["accuracy", "mae", "loss", "val_accuracy", "val_mae", "val_loss", "learning_rate"], history.Names.ToArray());
        Assert.Equal(3, history["val_loss"].Count);
        Assert.All(history.Epochs, e => Assert.True(e.Duration > TimeSpan.Zero));
        Assert.Throws<KeyNotFoundException>(() => history["precision"]);
    }

    [Fact]
    public void Validation_loss_equals_Evaluate_on_the_same_data_after_the_last_epoch()
    {
        var network = new XorNet(seed: 1);
        var validation = new Dataset(XorInputs, XorLabels);
        History history = network.Fit(XorInputs, XorLabels, new FitOptions { Epochs = 2, ValidationData = validation, Verbose = Verbosity.Silent });
        Assert.Equal(network.Evaluate(validation, Loss.MeanSquaredError).Loss, history.Epochs[^1].ValidationLoss);
    }

    [Fact]
    public void Validation_split_holds_out_the_last_rows()
    {
        float[,] x = new float[10, 2];
        float[,] y = new float[10, 1];
        History history = new XorNet(seed: 1).Fit(x, y, new FitOptions { ValidationSplit = 0.2, Verbose = Verbosity.Silent });
        Assert.Contains("val_loss", history.Names);
    }

    [Fact]
    public void Progress_is_written_one_epoch_at_a_time_in_Keras_style_and_can_be_switched_off()
    {
        var log = new StringWriter();
        new XorNet(seed: 1).Fit(XorInputs, XorLabels, new FitOptions
        {
            Epochs = 2,
            BatchSize = 3,
            Metrics = [Metric.Accuracy],
            ValidationData = new Dataset(XorInputs, XorLabels),
            Log = log,
        });
        string[] lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Equal("Epoch 1/2", lines[0].TrimEnd('\r'));
        Assert.Matches(@"^2/2 ━+ \d+s \d+(ms|us)/step - accuracy: \d\.\d{4} - loss: \d\.\d{4} - val_accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - learning_rate: 0\.0010$", lines[1].TrimEnd('\r'));
        Assert.Equal("Epoch 2/2", lines[2].TrimEnd('\r'));

        var quiet = new StringWriter();
        new XorNet(seed: 1).Fit(XorInputs, XorLabels, new FitOptions { Epochs = 2, Log = quiet, Verbose = Verbosity.Silent });
        Assert.Equal("", quiet.ToString());
    }

    [Fact]
    public void A_diverging_loss_stops_training_naming_the_epoch_and_batch()
    {
        var random = new Random(3);
        float[] x = RandomData.Uniform(random, 64 * LinearNet.InputSize, 100);
        float[] y = RandomData.Uniform(random, 64 * LinearNet.OutputSize, 100);
        var network = new LinearNet(seed: 1);

        var error = Assert.Throws<TrainingDivergedException>(() => network.Fit(new Dataset(x, 7, y, 3), new FitOptions
        {
            Optimizer = new Sgd(learningRate: 10f),
            Epochs = 50,
            BatchSize = 16,
            Verbose = Verbosity.Silent,
        }));

        Assert.NotNull(error.Epoch);
        Assert.NotNull(error.Batch);
        Assert.Contains($"at epoch {error.Epoch}/50, batch {error.Batch}/4", error.Message);
        Assert.False(double.IsFinite(error.Loss));
    }

    [Fact]
    public void A_step_whose_loss_is_not_finite_throws_and_leaves_the_parameters_unchanged()
    {
        var network = new SeedNet(seed: 1);
        network.Parameters[SeedNet.ParameterCount - 1] = float.NaN;
        float[] before = network.Parameters.ToArray();
        var optimizer = new Adam();
        var session = new TrainingSession(network, Loss.MeanSquaredError, optimizer, 2);

        var error = Assert.Throws<TrainingDivergedException>(() => session.Step([1f, 1f, 1f, 1f], [0f, 1f]));
        Assert.Contains("at step 1", error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
        Assert.Equal(0, optimizer.Steps);
    }

    [Fact]
    public void Predict_on_a_matrix_returns_one_row_per_sample()
    {
        var network = new SeedNet(seed: 1);
        float[,] outputs = network.Predict(new float[,] { { 0.1f, 0.2f }, { 0.3f, 0.4f }, { 0.5f, 0.6f } });
        Assert.Equal(3, outputs.GetLength(0));
        float[] single = new float[1];
        network.Predict([0.3f, 0.4f], single);
        Assert.Equal(single[0], outputs[1, 0]);
    }
}
