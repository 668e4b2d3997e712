using StaticNet;
using StaticNet.Kernels;
using StaticNet.Training;
using Xunit;

namespace StaticNet.Tests;

public class BadInputTests
{
    [Fact]
    public void Predict_with_the_wrong_input_width_names_both_sizes()
    {
        var network = new SeedNet(seed: 1);
        var error = Assert.Throws<ArgumentException>(() => network.Predict([1f, 2f, 3f], new float[1]));
        Assert.Equal("input", error.ParamName);
        Assert.Contains("3 values", error.Message);
        Assert.Contains("takes 2", error.Message);
        Assert.Contains("SeedNet", error.Message);
    }

    [Fact]
    public void Predict_with_the_wrong_output_width_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new SeedNet(seed: 1).Predict([1f, 2f], new float[2]));
        Assert.Equal("output", error.ParamName);
    }

    [Fact]
    public void PredictBatch_needs_whole_rows_and_matching_outputs()
    {
        var network = new SeedNet(seed: 1);
        var partial = Assert.Throws<ArgumentException>(() => network.PredictBatch(new float[5], new float[2]));
        Assert.Contains("not a whole number of rows of 2", partial.Message);
        var mismatch = Assert.Throws<ArgumentException>(() => network.PredictBatch(new float[6], new float[2]));
        Assert.Contains("3 rows", mismatch.Message);
    }

    [Fact]
    public void Fit_and_Evaluate_with_the_wrong_widths_name_both_sizes()
    {
        var network = new SeedNet(seed: 1);
        var features = Assert.Throws<ArgumentException>(() => network.Fit(new float[4, 3], new float[4, 1], new FitOptions { Verbose = Verbosity.Silent }));
        Assert.Contains("3 feature columns", features.Message);
        Assert.Contains("takes 2 inputs", features.Message);

        var targets = Assert.Throws<ArgumentException>(() => network.Evaluate(new float[4, 2], new float[4, 2], Loss.MeanSquaredError));
        Assert.Contains("2 target columns", targets.Message);
        Assert.Contains("has 1 outputs", targets.Message);

        var predict = Assert.Throws<ArgumentException>(() => network.Predict(new float[4, 5]));
        Assert.Contains("5 columns", predict.Message);
    }

    [Fact]
    public void Empty_data_zero_batch_size_and_zero_epochs_are_rejected_clearly()
    {
        var network = new SeedNet(seed: 1);
        var empty = Assert.Throws<ArgumentException>(() => network.Fit(new float[0, 2], new float[0, 1], new FitOptions()));
        Assert.Contains("empty", empty.Message);

        var batch = Assert.Throws<ArgumentOutOfRangeException>(() => network.Fit(new float[4, 2], new float[4, 1], new FitOptions { BatchSize = 0 }));
        Assert.Equal("BatchSize", batch.ParamName);

        var epochs = Assert.Throws<ArgumentOutOfRangeException>(() => network.Fit(new float[4, 2], new float[4, 1], new FitOptions { Epochs = 0 }));
        Assert.Equal("Epochs", epochs.ParamName);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Non_finite_data_is_reported_with_its_row_and_column(float bad)
    {
        float[,] x = new float[5, 2];
        x[3, 1] = bad;
        var error = Assert.Throws<ArgumentException>(() => new Dataset(x, new float[5, 1]));
        Assert.Contains("row 3, column 1", error.Message);
        Assert.Equal("features", error.ParamName);

        float[,] y = new float[5, 1];
        y[4, 0] = bad;
        Assert.Contains("row 4, column 0", Assert.Throws<ArgumentException>(() => new Dataset(new float[5, 2], y)).Message);
    }

    [Fact]
    public void Features_and_targets_with_different_row_counts_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new Dataset(new float[5, 2], new float[4, 1]));
        Assert.Contains("5 rows", error.Message);
        Assert.Contains("4", error.Message);
    }

    [Fact]
    public void Training_buffers_of_another_shape_or_too_many_rows_are_rejected()
    {
        IGeneratedNetwork network = new SeedNet(seed: 1);
        var other = new TrainingBuffers(TinyNet.Shape, 4);
        Assert.Contains("made for 16-64(ReLU)", Assert.Throws<ArgumentException>(() => network.Forward(new float[2], 1, other)).Message);

        var buffers = new TrainingBuffers(SeedNet.Shape, 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => network.Forward(new float[10], 5, buffers));
        Assert.Throws<ArgumentException>(() => network.Forward(new float[3], 2, buffers));
    }

    [Fact]
    public void A_step_with_targets_of_the_wrong_width_is_rejected()
    {
        var session = new TrainingSession(new SeedNet(seed: 1), Loss.MeanSquaredError, new Adam(), 4);
        Assert.Throws<ArgumentException>(() => session.Step(new float[4], new float[4]));
    }

    public static IEnumerable<object[]> BadOptions() =>
    [
        [new FitOptions { BatchSize = 0 }, "BatchSize"],
        [new FitOptions { Epochs = -1 }, "Epochs"],
        [new FitOptions { Threads = 0 }, "Threads"],
        [new FitOptions { ValidationSplit = 1 }, "ValidationSplit"],
        [new FitOptions { ValidationSplit = double.NaN }, "ValidationSplit"],
        [new FitOptions { Callbacks = [null!] }, "Callbacks"],
        [new FitOptions { Metrics = [Metric.Accuracy, null!] }, "Metrics"],
        [new FitOptions { Metrics = [Metric.Accuracy, Metric.Accuracy] }, "Metrics"],
        [new FitOptions { ClassWeights = [1f, -1f] }, "ClassWeights"],
        [new FitOptions { ClassWeights = [1f, 2f, 3f] }, "ClassWeights"],
        [new FitOptions { Metrics = [Metric.CategoricalAccuracy] }, "Metrics"],
        [new FitOptions { Callbacks = [new ModelCheckpoint(Path.Combine(Path.GetTempPath(), "never.safetensors")) { Monitor = "val_accuracy" }] }, "Callbacks"],
        [new FitOptions { Optimizer = AdamOfAnotherNetwork() }, null!],
    ];

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Fit_refuses_each_bad_setting_before_any_step_and_leaves_the_parameters_bit_identical(FitOptions options, string? parameter)
    {
        var network = new SeedNet(seed: 1);
        float[] before = network.Parameters.ToArray();

        Exception error = Assert.ThrowsAny<Exception>(() => network.Fit(new float[8, 2], new float[8, 1], options));

        Assert.True(error is ArgumentException or InvalidOperationException, error.ToString());
        Assert.Equal(parameter, (error as ArgumentException)?.ParamName);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void Binary_cross_entropy_targets_outside_0_to_1_are_refused_by_Fit_and_Evaluate_naming_row_and_column()
    {
        var network = new SeedNet(seed: 1);
        float[] before = network.Parameters.ToArray();
        float[,] y = { { 0 }, { 1 }, { 2 }, { 0 } };
        var options = new FitOptions { Loss = Loss.BinaryCrossEntropy, Verbose = Verbosity.Silent };

        var fit = Assert.Throws<ArgumentException>(() => network.Fit(new float[4, 2], y, options));
        var evaluate = Assert.Throws<ArgumentException>(() => network.Evaluate(new float[4, 2], y, Loss.BinaryCrossEntropy));
        var validation = Assert.Throws<ArgumentException>(() => network.Fit(
            new float[4, 2], new float[4, 1], new FitOptions { Loss = Loss.BinaryCrossEntropy, ValidationData = new Dataset(new float[4, 2], y), Verbose = Verbosity.Silent }));

        Assert.All([fit, evaluate, validation], error => Assert.Contains("targets in [0, 1], but row 2, column 0 of the targets is 2", error.Message));
        Assert.Equal("ValidationData", validation.ParamName);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void Categorical_targets_that_are_negative_or_whose_rows_do_not_sum_to_one_are_refused_naming_the_row()
    {
        var network = new SoftmaxNet(seed: 1);
        float[] before = network.Parameters.ToArray();
        float[] x = new float[3 * 7];
        float[] negative = [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0.5f, 0.7f, -0.2f, 0, 0];
        float[] halves = [1, 0, 0, 0, 0, 0, 0.5f, 0, 0, 0, 0, 0, 1, 0, 0];
        float[] smoothed = [0.96f, 0.01f, 0.01f, 0.01f, 0.01f, 0, 1, 0, 0, 0, 0.2f, 0.2f, 0.2f, 0.2f, 0.2f];
        var options = new FitOptions { Loss = Loss.CategoricalCrossEntropy, Verbose = Verbosity.Silent };

        Assert.Contains("row 2, column 2 of the targets is -0.2", Assert.Throws<ArgumentException>(() => network.Fit(new Dataset(x, 7, negative, 5), options)).Message);
        Assert.Contains("row 1 of the targets sums to 0.5", Assert.Throws<ArgumentException>(
            () => network.Evaluate(new Dataset(x, 7, halves, 5), Loss.CategoricalCrossEntropy)).Message);
        Assert.Equal(before, network.Parameters.ToArray());
        network.Evaluate(new Dataset(x, 7, smoothed, 5), Loss.CategoricalCrossEntropy);
    }

    [Fact]
    public void Two_metrics_of_one_name_are_refused_by_Evaluate_with_both_entries()
    {
        var error = Assert.Throws<ArgumentException>(() => new SeedNet(seed: 1).Evaluate(new float[4, 2], new float[4, 1], Loss.MeanSquaredError, Metric.MeanAbsoluteError, Metric.MeanAbsoluteError));
        Assert.Equal("metrics", error.ParamName);
        Assert.StartsWith("Entries 0 and 1 of the metrics are both named 'mae'", error.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Non_finite_features_or_targets_are_refused_by_Fit_and_Evaluate_with_row_and_column(float bad)
    {
        var network = new SeedNet(seed: 1);
        float[] before = network.Parameters.ToArray();
        float[,] x = new float[5, 2];
        x[3, 1] = bad;
        float[,] y = new float[5, 1];
        y[4, 0] = bad;

        Assert.Contains("row 3, column 1", Assert.Throws<ArgumentException>(() => network.Fit(x, new float[5, 1], new FitOptions { Verbose = Verbosity.Silent })).Message);
        Assert.Contains("row 4, column 0", Assert.Throws<ArgumentException>(() => network.Evaluate(new float[5, 2], y, Loss.MeanSquaredError)).Message);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void Fit_refuses_a_network_whose_parameters_are_not_finite_before_training()
    {
        var network = new SeedNet(seed: 1);
        network.Parameters[3] = float.PositiveInfinity;
        var error = Assert.Throws<ArgumentException>(() => network.Fit(new float[4, 2], new float[4, 1], new FitOptions { Verbose = Verbosity.Silent }));
        Assert.Equal("network", error.ParamName);
        Assert.Contains("Parameter 3 of SeedNet (in the kernel layout) is ∞ before training", error.Message.Replace("Infinity", "∞"));
    }

    [Theory]
    [InlineData(0.99, 50, "ValidationSplit 0.99 of 50 rows leaves no training rows; use at most 0.98, or pass ValidationData.")]
    [InlineData(0.5, 1, "ValidationSplit 0.5 of 1 rows leaves no training rows; a single row cannot be split, so set it to 0, or pass ValidationData.")]
    [InlineData(1e-17, 50, "ValidationSplit 1E-17 of 50 rows leaves no validation rows; use at least 0.02, or pass ValidationData.")]
    public void A_validation_split_that_leaves_a_side_empty_says_what_to_use_instead(double split, int rows, string message)
    {
        var network = new SeedNet(seed: 1);
        float[] before = network.Parameters.ToArray();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => network.Fit(
            new float[rows, 2], new float[rows, 1], new FitOptions { ValidationSplit = split, Verbose = Verbosity.Silent }));
        Assert.Equal("ValidationSplit", error.ParamName);
        Assert.StartsWith(message, error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void A_validation_split_holds_out_the_rows_Keras_holds_out()
    {
        // ⌊50 · 0.99⌋ = 49 rows train, in 7 batches of 7; 50 would take 8.
        var log = new StringWriter();
        History history = new SeedNet(seed: 1).Fit(new float[50, 2], new float[50, 1], new FitOptions { ValidationSplit = 0.01, BatchSize = 7, Log = log });
        Assert.StartsWith("7/7 ", log.ToString().Split('\n')[1]);
        Assert.Contains("val_loss", history.Names);
    }

    [Fact]
    public void A_session_refuses_non_finite_values_and_targets_outside_the_loss_domain_leaving_the_parameters_unchanged()
    {
        var network = new SeedNet(seed: 1);
        float[] before = network.Parameters.ToArray();
        using var session = new TrainingSession(network, Loss.BinaryCrossEntropy, new Adam(), 4);

        var features = Assert.Throws<ArgumentException>(() => session.Step([0, 0, 1, float.NaN], [0, 1]));
        var targets = Assert.Throws<ArgumentException>(() => session.Step([0, 0, 1, 1], [0, float.PositiveInfinity]));
        var domain = Assert.Throws<ArgumentException>(() => session.Step([0, 0, 1, 1], [0, -1]));

        Assert.Equal("features", features.ParamName);
        Assert.Contains("Row 1, column 1 of the features is NaN", features.Message);
        Assert.Contains("Row 1, column 0 of the targets is ∞", targets.Message.Replace("Infinity", "∞"));
        Assert.Contains("row 1, column 0 of the targets is -1", domain.Message);
        Assert.Equal(before, network.Parameters.ToArray());
        Assert.Equal(0, session.Optimizer.Steps);
    }

    [Fact]
    public void A_session_refuses_an_optimizer_bound_to_another_network_when_it_is_made()
    {
        var adam = new Adam();
        using (new TrainingSession(new SeedNet(seed: 1), Loss.MeanSquaredError, adam, 4))
        {
        }

        Assert.Contains("one optimizer per network", Assert.Throws<InvalidOperationException>(
            () => new TrainingSession(new SeedNet(seed: 2), Loss.MeanSquaredError, adam, 4)).Message);
    }

    [Fact]
    public void A_network_not_generated_by_StaticNet_predicts_and_saves_but_is_refused_by_training_and_splitting()
    {
        var handWritten = new HandWrittenNetwork();
        float[] parameters = [0.5f, -1f, 2f];
        handWritten.CopyParametersFrom(parameters);
        using var directory = new TemporaryDirectory();
        handWritten.Save(directory.File("hand.safetensors"));

        var training = Assert.Throws<ArgumentException>(() => new TrainingSession(handWritten, Loss.MeanSquaredError, new Adam(), 4));
        var splitting = Assert.Throws<ArgumentException>(() => new SplitPredictor(handWritten));
        var stepping = Assert.Throws<ArgumentException>(() => new Adam().Step(handWritten, new float[16]));

        Assert.All(new[] { training, splitting, stepping }, e => Assert.Contains("'HandWrittenNetwork' implements INetwork but was not generated by StaticNet", e.Message));
        Assert.All(new[] { training, splitting, stepping }, e => Assert.Equal("network", e.ParamName));
        float[] loaded = new float[OneUnitNet.ParameterCount];
        OneUnitNet.Load(directory.File("hand.safetensors")).CopyParametersTo(loaded);
        Assert.Equal(parameters, loaded);
    }

    /// <summary>What a user writes to mock INetwork: the members users call, and none of the kernels'.</summary>
    private sealed class HandWrittenNetwork : INetwork
    {
        private readonly float[] _parameters = new float[3];

        public NetworkShape Shape => OneUnitNet.Shape;

        public Span<float> Parameters => _parameters;

        public void Predict(ReadOnlySpan<float> input, Span<float> output) => output[0] = (_parameters[0] * input[0]) + (_parameters[1] * input[1]) + _parameters[2];

        public void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs)
        {
            for (int r = 0; r < outputs.Length; r++)
            {
                Predict(inputs.Slice(2 * r, 2), outputs.Slice(r, 1));
            }
        }

        public void CopyParametersTo(Span<float> destination) => _parameters.CopyTo(destination);

        public void CopyParametersFrom(ReadOnlySpan<float> source) => source.CopyTo(_parameters);
    }

    private static Adam AdamOfAnotherNetwork()
    {
        var adam = new Adam();
        adam.Step(new SeedNet(seed: 9), new float[ParameterStorage.Length(SeedNet.ParameterCount)]);
        return adam;
    }
}
