using StaticNet;
using Xunit;

namespace StaticNet.Tests;

public sealed class FeatureScalingTests : IDisposable
{
    private static readonly Dataset Data = new(new float[,] { { 1, 10, 5 }, { 3, 20, 5 }, { 5, 60, 5 } }, new float[,] { { 0 }, { 1 }, { 0 } });

    private readonly TemporaryDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Standardize_gives_each_feature_mean_zero_and_unit_deviation_and_constant_features_zero()
    {
        FeatureScaling scaling = FeatureScaling.Standardize(Data);
        Dataset scaled = scaling.Apply(Data);

        Assert.Equal([3f, 30f, 5f], scaling.Center);
        Assert.Equal(MathF.Sqrt(8f / 3), scaling.Scale[0], 6);
        Assert.Equal(1f, scaling.Scale[2]);
        for (int feature = 0; feature < 3; feature++)
        {
            float[] column = [scaled.FeatureRow(0)[feature], scaled.FeatureRow(1)[feature], scaled.FeatureRow(2)[feature]];
            Assert.Equal(0, column.Average(), 5);
            Assert.Equal(feature == 2 ? 0 : 1, column.Select(v => v * v).Average(), 5);
        }

        Assert.Equal(Data.Targets.ToArray(), scaled.Targets.ToArray());
    }

    [Fact]
    public void MinMax_maps_the_fitted_data_onto_zero_to_one()
    {
        Dataset scaled = FeatureScaling.MinMax(Data).Apply(Data);

        Assert.Equal([0f, 0f, 0f, .5f, .2f, 0f, 1f, 1f, 0f], scaled.Features.ToArray());
    }

    [Fact]
    public void Scaling_saved_with_the_model_predicts_from_raw_features_as_the_training_pipeline_did()
    {
        var network = new SeedNet(seed: 4);
        var twoFeatures = new Dataset(new float[,] { { 100, -3 }, { 250, 7 }, { 175, 1 } }, new float[,] { { 0 }, { 1 }, { 1 } });
        FeatureScaling scaling = FeatureScaling.Standardize(twoFeatures);
        string path = _files.File("scaled.safetensors");
        new ScaledNetwork<SeedNet>(network, scaling).Save(path);

        ScaledNetwork<SeedNet> loaded = ScaledNetwork<SeedNet>.Load(path);

        Assert.Equal(scaling.Method, loaded.Scaling.Method);
        Assert.Equal(scaling.Center, loaded.Scaling.Center);
        Assert.Equal(scaling.Scale, loaded.Scaling.Scale);
        float[] raw = [200, 2];
        float[] scaled = new float[2];
        scaling.Apply(raw, scaled);
        float[] expected = new float[1];
        float[] actual = new float[1];
        network.Predict(scaled, expected);
        loaded.Predict(raw, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void ScaledNetwork_Predict_allocates_nothing()
    {
        var model = new ScaledNetwork<FmnistNet>(new FmnistNet(seed: 1), FeatureScaling.MinMax(new Dataset(new float[2 * 784], 784, new float[20], 10)));
        float[] input = new float[784];
        float[] output = new float[10];

        Assert.Equal(0, Allocations.SteadyStateBytes(() => model.Predict(input, output)));
    }

    [Fact]
    public void Loading_a_file_without_scaling_as_a_scaled_network_says_so()
    {
        string path = _files.File("plain.safetensors");
        new SeedNet(seed: 1).Save(path);

        var error = Assert.Throws<ModelFileException>(() => ScaledNetwork<SeedNet>.Load(path));
        Assert.Contains("no feature scaling", error.Message);
    }

    [Fact]
    public void A_scaling_of_another_width_is_refused_when_paired_or_saved()
    {
        FeatureScaling threeFeatures = FeatureScaling.Standardize(Data);
        Assert.Throws<ArgumentException>(() => new ScaledNetwork<SeedNet>(new SeedNet(), threeFeatures));
        Assert.Throws<ArgumentException>(() => new SeedNet().Save(_files.File("x.safetensors"), threeFeatures));
    }
}
