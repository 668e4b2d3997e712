using Xunit;

namespace StaticNet.Tests;

/// <summary>SeedNet's architecture with the seed-3 model compiled in.</summary>
[Network(Inputs = 2, Weights = "Data/seednet-seed3.safetensors")]
[Dense(5, Activation.ReLU)]
[Dense(1, Activation.Sigmoid)]
public partial class TrainedSeedNet;

/// <summary>TinyNet's architecture (panel layouts, not straight-line code) with random parameters, biases included, compiled in.</summary>
[Network(Inputs = 16, Weights = "Data/tinynet-random.safetensors")]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(4, Activation.Linear)]
public partial class TrainedTinyNet;

/// <summary>SeedNet's architecture with a bfloat16 state_dict of PyTorch's nn.Sequential (0.weight, 2.weight, …) compiled in.</summary>
[Network(Inputs = 2, Weights = "Data/pytorch/sequential-bf16.safetensors")]
[Dense(5, Activation.ReLU)]
[Dense(1, Activation.Sigmoid)]
public partial class TrainedBfloat16Net;

/// <summary>A primary constructor leaves the compiled-in parameters to the field initializer.</summary>
[Network(Inputs = 2, Weights = "./Data\\seednet-seed3.safetensors")]
[Dense(5, Activation.ReLU)]
[Dense(1, Activation.Sigmoid)]
public partial class LabelledTrainedNet(string label)
{
    public string Label { get; } = label;
}

/// <summary>Networks built with the model files their declarations name hold exactly what loading those files gives.</summary>
public class TrainedWeightsTests
{
    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    [Fact]
    public void A_new_network_holds_the_parameters_of_its_weights_file()
    {
        AssertSameParameters(ModelFile.Load<SeedNet>(DataFile("seednet-seed3.safetensors")), new TrainedSeedNet());
        AssertSameParameters(ModelFile.Load<TinyNet>(DataFile("tinynet-random.safetensors")), new TrainedTinyNet());
        AssertSameParameters(ModelFile.Load<SeedNet>(DataFile("seednet-seed3.safetensors")), new LabelledTrainedNet("first"));
        AssertSameParameters(ModelFile.Load<SeedNet>(DataFile(Path.Combine("pytorch", "sequential-bf16.safetensors"))), new TrainedBfloat16Net());
    }

    [Fact]
    public void A_network_with_compiled_in_weights_predicts_as_the_loaded_file()
    {
        TinyNet loaded = ModelFile.Load<TinyNet>(DataFile("tinynet-random.safetensors"));
        var trained = new TrainedTinyNet();
        var random = new Random(4);
        float[] inputs = new float[33 * TinyNet.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)((random.NextDouble() * 4) - 2);
        }

        float[] expected = new float[33 * TinyNet.OutputSize];
        float[] actual = new float[expected.Length];
        loaded.PredictBatch(inputs, expected);
        trained.PredictBatch(inputs, actual);
        Assert.Equal(expected, actual);
        Assert.Contains(actual, value => value != 0);
    }

    [Fact]
    public void A_seed_still_draws_fresh_parameters_and_LoadTrainedParameters_brings_the_compiled_ones_back()
    {
        var network = new TrainedTinyNet(seed: 9);
        AssertSameParameters(new TinyNet(seed: 9), network);

        network.LoadTrainedParameters();
        AssertSameParameters(new TrainedTinyNet(), network);
    }

    [Fact]
    public void The_files_metadata_is_compiled_in_with_the_parameters()
    {
        Assert.Equal("2-5(ReLU)-1(Sigmoid)", TrainedSeedNet.TrainedMetadata["architecture"]);
        Assert.Equal(TinyNet.Shape.ToString(), TrainedTinyNet.TrainedMetadata["architecture"]);
        Assert.Equal(
            ModelFile.ReadMetadata(DataFile("tinynet-random.safetensors")).OrderBy(p => p.Key),
            TrainedTinyNet.TrainedMetadata.OrderBy(p => p.Key));
    }

    [Fact]
    public void Each_new_network_owns_its_parameters()
    {
        var first = new TrainedSeedNet();
        var second = new TrainedSeedNet();
        first.Parameters[0] += 1;

        AssertSameParameters(ModelFile.Load<SeedNet>(DataFile("seednet-seed3.safetensors")), second);
    }

    private static void AssertSameParameters(INetwork expected, INetwork actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        float[] want = new float[expected.Shape.ParameterCount];
        float[] got = new float[actual.Shape.ParameterCount];
        expected.CopyParametersTo(want);
        actual.CopyParametersTo(got);
        Assert.Equal(want, got);
        Assert.Contains(got, value => value != 0);
    }
}

/// <summary>SeedNet's architecture for inference only: no seeded initialisation, and no training.</summary>
[Network(Inputs = 2, Training = false)]
[Dense(5, Activation.ReLU)]
[Dense(1, Activation.Sigmoid)]
public partial class InferenceSeedNet;

/// <summary>TinyNet's architecture for inference only, with its parameters compiled in: the typical embedded declaration.</summary>
[Network(Inputs = 16, Weights = "Data/tinynet-random.safetensors", Training = false)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(4, Activation.Linear)]
public partial class InferenceTinyNet;

/// <summary>Networks declared with Training = false predict what their trainable twins predict, and refuse to train.</summary>
public class InferenceOnlyTests
{
    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    [Fact]
    public void An_inference_only_network_starts_at_zero_and_loads_a_model_as_any_network()
    {
        var network = new InferenceSeedNet();
        Assert.All(network.Parameters.ToArray(), value => Assert.Equal(0f, value));

        ModelFile.LoadInto(network, DataFile("seednet-seed3.safetensors"));
        SeedNet twin = ModelFile.Load<SeedNet>(DataFile("seednet-seed3.safetensors"));

        float[] inputs = [0.3f, -1.2f, 2f, 0.5f, -0.7f, 0.1f];
        float[] expected = new float[3], actual = new float[3];
        twin.PredictBatch(inputs, expected);
        network.PredictBatch(inputs, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void An_inference_only_network_with_compiled_in_weights_holds_them()
    {
        float[] expected = new float[TinyNet.ParameterCount], actual = new float[TinyNet.ParameterCount];
        ModelFile.Load<TinyNet>(DataFile("tinynet-random.safetensors")).CopyParametersTo(expected);
        new InferenceTinyNet().CopyParametersTo(actual);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Training_an_inference_only_network_is_refused_naming_the_declaration()
    {
        var network = new InferenceSeedNet();
        float[,] x = { { 0, 1 } }, y = { { 1 } };
        var options = new FitOptions { Loss = Loss.MeanSquaredError, Optimizer = new Adam(), Epochs = 1, BatchSize = 1, Verbose = Verbosity.Silent };

        var error = Assert.Throws<InvalidOperationException>(() => network.Fit(x, y, options));

        Assert.Contains("'InferenceSeedNet' is declared with [Network(Training = false)]", error.Message);
        Assert.All(network.Parameters.ToArray(), value => Assert.Equal(0f, value));
        Assert.Throws<InvalidOperationException>(() => new Sgd(0.1f).Step(network, new float[network.Parameters.Length + 32]));
    }

    [Fact]
    public void An_inference_only_network_has_no_seeded_initialisation()
    {
        Assert.Null(typeof(InferenceSeedNet).GetMethod("InitializeParameters"));
        Assert.Null(typeof(InferenceSeedNet).GetConstructor([typeof(int)]));
        Assert.NotNull(typeof(SeedNet).GetConstructor([typeof(int)]));
    }
}
