// The Palmer penguins, from the raw CSV to a saved model that names a species from a raw row: text
// columns (island, sex), missing values written NA, the label column's names learned, the preprocessing
// fitted on the training rows and saved in the model file with the weights; one prediction explained by the
// Shapley values of its columns, and the columns' permutation importance over the test rows.
//
//   dotnet run -c Release --project samples/Tabular [-- penguins.csv]
using StaticNet;

string path = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "penguins.csv");
CsvTable penguins = Csv.ReadTable(path);
Console.WriteLine($"{penguins.Count} penguins from {path}");
foreach (CsvTableColumn column in penguins.Columns)
{
    string kind = column.IsText ? $"text ({string.Join(", ", column.Categories)})" : "numbers";
    Console.WriteLine($"  {column.Name,-18} {kind}{(column.MissingCount > 0 ? $", {column.MissingCount} missing" : "")}");
}

// 80% of each species to train on, the rest to test on.
(CsvTable train, CsvTable test) = penguins.Split(0.8, seed: 1, stratifyBy: "species");
FeatureSpace features = FeatureSpace.Fit(train, new FeatureSpaceOptions
{
    TargetColumns = ["species"],
    Missing = MissingValueStrategy.Median,
    Scaling = ScalingMethod.Standardize,
});
Console.WriteLine($"{features.FeatureCount} features: {string.Join(", ", features.FeatureNames)}");
Console.WriteLine($"classes: {string.Join(", ", features.ClassNames!)}");

var network = new PenguinNet(seed: 1);
network.Fit(features.Transform(train), new FitOptions
{
    Loss = Loss.CategoricalCrossEntropy,
    Optimizer = new Adam(0.01f),
    Epochs = 40,
    BatchSize = 16,
    Seed = 1,
    Metrics = [Metric.Accuracy],
    ValidationData = features.Transform(test),
    Verbose = Verbosity.Silent,
});

var model = new TabularModel<PenguinNet>(network, features);
string saved = Path.Combine(Path.GetTempPath(), "penguins.safetensors");
model.Save(saved);
TabularModel<PenguinNet> loaded = TabularModel<PenguinNet>.Load(saved);
Console.WriteLine($"Test accuracy: {loaded.Evaluate(test, Loss.CategoricalCrossEntropy, Metric.Accuracy).Accuracy:0.0000} (reloaded from {saved})");

// A raw row as a CSV file holds it, without the species: a penguin whose sex was not recorded.
const string Line = "Biscoe,47.3,13.8,216,4725,NA,2009";
string?[] cells = Line.Split(',');
TabularPrediction prediction = loaded.Predict(cells);
Console.WriteLine($"{Line} -> {prediction.ClassName} " +
                  $"({string.Join(", ", features.ClassNames!.Select((name, i) => $"{name} {prediction.Outputs[i]:0.000}"))})");

// Why: the Shapley values of each input column (a one-hot column's categories count as one) for the predicted
// species, exactly, by every coalition of the seven columns, against 50 training penguins drawn at random; then which columns
// the model relies on over the test penguins, by how much shuffling each one costs in accuracy.
Dataset trainRows = features.Transform(train).Shuffle(seed: 1);
int species = features.ClassNames!.ToList().IndexOf(prediction.ClassName!);
float[] encoded = new float[features.FeatureCount];
features.Encode(cells, encoded);
var shap = new KernelShap(loaded.Network, trainRows.Features[..(50 * features.FeatureCount)], features.ColumnGroups);
Explanation why = shap.ExplainExactly(encoded, species, prediction.ClassName);
Console.Write(why.ToTable());
string chart = Path.Combine(Path.GetTempPath(), "penguin-shapley.svg");
why.SaveBarChart(chart);
Console.WriteLine($"Bar chart: {chart}");
Console.Write(PermutationImportance.Compute(loaded.Network, features.Transform(test), Loss.CategoricalCrossEntropy, Metric.Accuracy, repeats: 10, seed: 1, features.ColumnGroups).ToTable());
return prediction.ClassName == "Gentoo" ? 0 : 1;

/// <summary>Ten features (three islands, four measurements, two sexes, the year) to three species.</summary>
[Network(Inputs = 10)]
[Dense(16, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class PenguinNet;
