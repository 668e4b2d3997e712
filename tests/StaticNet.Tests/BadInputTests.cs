using StaticNet;
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
        var features = Assert.Throws<ArgumentException>(() => network.Fit(new float[4, 3], new float[4, 1], new FitOptions { Verbose = false }));
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
        INetwork network = new SeedNet(seed: 1);
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
}
