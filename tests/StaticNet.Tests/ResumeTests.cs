using StaticNet.Training;
using Xunit;

namespace StaticNet.Tests;

/// <summary>Saving the optimizer's state with the model and resuming Fit from it, bit for bit.</summary>
public sealed class ResumeTests : IDisposable
{
    private const int Rows = 50;
    private readonly TemporaryDirectory _files = new();
    private readonly Dataset _data;

    public ResumeTests()
    {
        var random = new Random(21);
        _data = new Dataset(RandomData.Uniform(random, Rows * 7), 7, RandomData.Uniform(random, Rows * 3), 3);
    }

    public void Dispose() => _files.Dispose();

    public static TheoryData<string, int> Optimizers() => new()
    {
        { "adam", 1 },
        { "adamw", 1 },
        { "sgd nesterov", 1 },
        { "adam with a schedule", 1 },
        { "rmsprop centred with momentum", 1 },
        { "rmsprop centred with momentum", 2 },
        { "adam amsgrad", 1 },
        { "nadam", 2 },
        { "adagrad", 1 },
        { "adam", 2 },
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Four_epochs_saved_loaded_and_four_more_train_exactly_as_eight_in_one_go(string optimizer, int threads)
    {
        var once = new ReLUNet(seed: 5);
        History whole = once.Fit(_data, Options(Create(optimizer), epochs: 8, threads: threads));

        var first = new ReLUNet(seed: 5);
        Optimizer firstOptimizer = Create(optimizer);
        first.Fit(_data, Options(firstOptimizer, epochs: 4, threads: threads));
        string path = _files.File("epoch-4.safetensors");
        first.Save(path, optimizer: firstOptimizer);

        var resumed = new ReLUNet(seed: 99);
        Optimizer resumedOptimizer = Create(optimizer);
        ModelFile.LoadInto(resumed, path, resumedOptimizer);
        History rest = resumed.Fit(_data, Options(resumedOptimizer, epochs: 8, initialEpoch: 4, threads: threads));

        Assert.Equal(firstOptimizer.Steps, resumedOptimizer.Steps - (4 * 5));
        Assert.Equal(once.Parameters.ToArray(), resumed.Parameters.ToArray());
        Assert.Equal([5, 6, 7, 8], rest.Epochs.Select(e => e.Epoch));
        Assert.Equal(whole["val_loss"].Skip(4), rest["val_loss"]);
        Assert.Equal(whole["learning_rate"].Skip(4), rest["learning_rate"]);
    }

    [Fact]
    public void The_state_is_saved_under_PyTorchs_names_beside_the_parameters_and_a_plain_load_ignores_it()
    {
        var network = new ReLUNet(seed: 5);
        var optimizer = new Adam(0.01f, beta1: 0.8f);
        network.Fit(_data, Options(optimizer, epochs: 1));
        string path = _files.File("model.safetensors");
        network.Save(path, optimizer: optimizer);

        SafetensorsHeader header;
        using (FileStream file = File.OpenRead(path))
        {
            header = SafetensorsHeader.Read(file, path);
        }

        Assert.Equal(3 * 6, header.Tensors.Count);
        TensorEntry moment = header.Tensors.Single(t => t.Name == "optimizer.exp_avg_sq.layers.1.weight");
        Assert.Equal([13L, 37L], moment.Shape);
        Assert.Equal("Adam", header.Metadata["optimizer"]);
        Assert.Equal(optimizer.Steps.ToString(System.Globalization.CultureInfo.InvariantCulture), header.Metadata["optimizer.steps"]);
        Assert.Equal("0.8", header.Metadata["optimizer.beta1"]);
        Assert.Equal("0.01", header.Metadata["optimizer.learning_rate"]);

        Assert.Equal(ModelFileTests.Canonical(network), ModelFileTests.Canonical(ModelFile.Load<ReLUNet>(path)));
    }

    [Fact]
    public void The_restored_optimizer_takes_the_saved_learning_rate_unless_it_follows_a_schedule()
    {
        var network = new ReLUNet(seed: 5);
        var optimizer = new Sgd(0.05f, momentum: 0.9f);
        network.Fit(_data, Options(optimizer, epochs: 1));
        optimizer.LearningRate = 0.02f;
        string path = _files.File("model.safetensors");
        network.Save(path, optimizer: optimizer);

        var restored = new Sgd(0.5f, momentum: 0.9f);
        ModelFile.LoadInto(new ReLUNet(), path, restored);

        Assert.Equal(0.02f, restored.LearningRate);
        Assert.Equal(optimizer.Steps, restored.Steps);
    }

    [Theory]
    [InlineData("none", "holds no optimizer state")]
    [InlineData("kind", "holds the state of 'Adam' but the optimizer to restore is Sgd")]
    [InlineData("settings", "has beta2 '0.999' but the optimizer to restore has 0.99")]
    public void A_file_whose_state_does_not_fit_the_optimizer_is_refused_leaving_both_untouched(string mismatch, string message)
    {
        var saved = new ReLUNet(seed: 5);
        var savedOptimizer = new Adam(0.01f);
        saved.Fit(_data, Options(savedOptimizer, epochs: 1));
        string path = _files.File("model.safetensors");
        saved.Save(path, optimizer: mismatch == "none" ? null : savedOptimizer);

        var network = new ReLUNet(seed: 7);
        float[] before = network.Parameters.ToArray();
        Optimizer optimizer = mismatch switch
        {
            "kind" => new Sgd(0.01f),
            "settings" => new Adam(0.01f, beta2: 0.99f),
            _ => new Adam(0.01f),
        };

        var error = Assert.Throws<ModelFileException>(() => ModelFile.LoadInto(network, path, optimizer));

        Assert.Contains(message, error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
        Assert.Equal(0, optimizer.Steps);

        // Still bound to no network: it can train another.
        Assert.Empty(optimizer.State.ToArray());
        new ReLUNet(seed: 8).Fit(_data, Options(optimizer, epochs: 1));
    }

    [Fact]
    public void A_checkpoint_with_the_optimizer_state_resumes_as_the_run_that_wrote_it_went_on()
    {
        string path = _files.File("last.safetensors");
        var checkpoint = new ModelCheckpoint(null, path) { IncludeOptimizerState = true };
        var stopping = new LambdaCallback(onEpochEnd: (context, epoch) => context.StopTraining = epoch.Epoch == 3);
        var once = new ReLUNet(seed: 5);
        once.Fit(_data, Options(new AdamW(0.01f), epochs: 6));

        new ReLUNet(seed: 5).Fit(_data, Options(new AdamW(0.01f), epochs: 6, callbacks: [checkpoint, stopping]));
        var resumed = new ReLUNet();
        var optimizer = new AdamW(0.01f);
        ModelFile.LoadInto(resumed, path, optimizer);
        resumed.Fit(_data, Options(optimizer, epochs: 6, initialEpoch: 3));

        Assert.Equal(once.Parameters.ToArray(), resumed.Parameters.ToArray());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(8)]
    public void An_initial_epoch_outside_the_run_is_refused(int initialEpoch)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ReLUNet(seed: 5).Fit(_data, Options(new Adam(), epochs: 8, initialEpoch: initialEpoch)));
        Assert.Equal("InitialEpoch", error.ParamName);
    }

    private static Optimizer Create(string name) => name switch
    {
        "adam" => new Adam(0.01f),
        "adamw" => new AdamW(0.01f, weightDecay: 0.1f),
        "sgd nesterov" => new Sgd(0.02f, momentum: 0.9f, nesterov: true, weightDecay: 0.001f),
        "rmsprop centred with momentum" => new RMSprop(0.005f, alpha: 0.9f, momentum: 0.5f, centered: true),
        "adam amsgrad" => new Adam(0.01f, amsgrad: true),
        "nadam" => new NAdam(0.005f, weightDecay: 0.01f),
        "adagrad" => new Adagrad(0.05f, learningRateDecay: 0.01f, initialAccumulatorValue: 0.1f),
        _ => new Adam { Schedule = new CosineDecay(0.001, decaySteps: 30, warmupTarget: 0.02, warmupSteps: 7) },
    };

    private static FitOptions Options(Optimizer optimizer, int epochs, int initialEpoch = 0, FitCallback[]? callbacks = null, int threads = 1) => new()
    {
        Optimizer = optimizer,
        Epochs = epochs,
        InitialEpoch = initialEpoch,
        BatchSize = 8,
        Seed = 7,
        Threads = threads,
        ValidationSplit = 0.2,
        Verbose = Verbosity.Silent,
        Callbacks = callbacks ?? [],
    };
}
