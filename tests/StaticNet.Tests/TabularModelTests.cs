using Xunit;

namespace StaticNet.Tests;

/// <summary>
/// The Palmer penguins, from the raw CSV (text columns, NA cells) to a saved model that predicts a species
/// from a raw row; splits that keep the classes' shares; and model files whose preprocessing is missing or damaged.
/// </summary>
public sealed class TabularModelTests : IDisposable
{
    private static readonly string PenguinsPath = Path.Combine(AppContext.BaseDirectory, "Data", "palmerpenguins", "penguins.csv");
    private readonly TemporaryDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void A_stratified_split_keeps_each_class_share_and_repeats_with_its_seed()
    {
        CsvTable penguins = Csv.ReadTable(PenguinsPath);

        (CsvTable train, CsvTable test) = penguins.Split(0.8, seed: 1, stratifyBy: "species");
        (CsvTable again, _) = penguins.Split(0.8, seed: 1, stratifyBy: "species");

        // 152 Adelie, 68 Chinstrap and 124 Gentoo: 80% of each, rounded.
        Assert.Equal([("Adelie", 122), ("Chinstrap", 54), ("Gentoo", 99)], Counts(train));
        Assert.Equal([("Adelie", 30), ("Chinstrap", 14), ("Gentoo", 25)], Counts(test));
        Assert.Equal(Enumerable.Range(0, train.Count).Select(train.LineOf), Enumerable.Range(0, again.Count).Select(again.LineOf));
        Assert.Equal(penguins.Count, train.Count + test.Count);
    }

    [Fact]
    public void The_penguins_train_from_their_raw_file_and_the_saved_model_names_a_species_from_a_raw_row()
    {
        CsvTable penguins = Csv.ReadTable(PenguinsPath);
        (CsvTable train, CsvTable test) = penguins.Split(0.8, seed: 1, stratifyBy: "species");
        FeatureSpace space = FeatureSpace.Fit(train, new FeatureSpaceOptions
        {
            TargetColumns = ["species"],
            Missing = MissingValueStrategy.Median,
            Scaling = ScalingMethod.Standardize,
        });
        var network = new PenguinNet(seed: 1);
        network.Fit(space.Transform(train), new FitOptions
        {
            Loss = Loss.CategoricalCrossEntropy,
            Optimizer = new Adam(0.01f),
            Epochs = 40,
            BatchSize = 16,
            Seed = 1,
            Verbose = Verbosity.Silent,
        });
        var model = new TabularModel<PenguinNet>(network, space);
        string path = _files.File("penguins.safetensors");

        model.Save(path);
        TabularModel<PenguinNet> loaded = TabularModel<PenguinNet>.Load(path);

        Assert.Equal(10, space.FeatureCount);
        Assert.True(loaded.Evaluate(test, Loss.CategoricalCrossEntropy, Metric.Accuracy).Accuracy > 0.9);
        Assert.Equal(model.Evaluate(test, Loss.CategoricalCrossEntropy).Loss, loaded.Evaluate(test, Loss.CategoricalCrossEntropy).Loss);

        // The file's first penguin, as its line reads, and one with its sex and bill missing.
        TabularPrediction adelie = loaded.Predict(["Torgersen", "39.1", "18.7", "181", "3750", "male", "2007"]);
        TabularPrediction gentoo = loaded.Predict(new Dictionary<string, string?>
        {
            ["island"] = "Biscoe", ["bill_depth_mm"] = "14.5", ["flipper_length_mm"] = "220", ["body_mass_g"] = "5400", ["sex"] = "NA", ["year"] = "2009",
        });
        Assert.Equal("Adelie", adelie.ClassName);
        Assert.Equal("Gentoo", gentoo.ClassName);
        Assert.Equal(1, adelie.Outputs.Sum(), 5);
        Assert.Equal(model.Predict(test).Select(p => p.Outputs.ToArray()), loaded.Predict(test).Select(p => p.Outputs.ToArray()));

        // Through a stream, such as an embedded resource, the same bytes and the same model.
        var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        Assert.Equal(File.ReadAllBytes(path), stream.ToArray());
        Assert.Equal("Adelie", TabularModel<PenguinNet>.Load(stream).Predict(["Torgersen", "39.1", "18.7", "181", "3750", "male", "2007"]).ClassName);
    }

    [Fact]
    public void A_file_without_a_feature_space_or_with_a_damaged_one_is_refused_naming_what_is_wrong()
    {
        string plain = _files.File("plain.safetensors");
        new PenguinNet(seed: 1).Save(plain);
        string damaged = _files.File("damaged.safetensors");
        ModelFile.SaveWithMetadata(new PenguinNet(seed: 1), damaged, null, null, new Dictionary<string, string> { ["feature_space"] = "{\"version\":1,\"targets\":[\"species\"]}" });

        var none = Assert.Throws<ModelFileException>(() => TabularModel<PenguinNet>.Load(plain));
        var broken = Assert.Throws<ModelFileException>(() => TabularModel<PenguinNet>.Load(damaged));

        Assert.Contains("holds no feature space", none.Message);
        Assert.Contains("The metadata's feature_space is damaged: it has no missing.", broken.Message);
    }

    [Fact]
    public void A_network_whose_widths_are_not_the_feature_spaces_is_refused_saying_what_to_declare()
    {
        FeatureSpace space = FeatureSpace.Fit(Csv.ReadTable(PenguinsPath), new FeatureSpaceOptions { TargetColumns = ["species"], Missing = MissingValueStrategy.DropRows });

        var error = Assert.Throws<ArgumentException>(() => new TabularModel<IrisNet>(new IrisNet(), space));

        Assert.Contains($"declare [Network(Inputs = {space.FeatureCount})] with 3 outputs", error.Message);
    }

    private static (string, int)[] Counts(CsvTable table) =>
        [.. Enumerable.Range(0, table.Count).GroupBy(row => table["species"].Text(row)!).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Count()))];
}

[Network(Inputs = 10)]
[Dense(16, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class PenguinNet;
