// Fashion-MNIST with a 784-256(ReLU)-128(ReLU)-10(Softmax) network: train, report each epoch's
// wall time and test accuracy, draw the training curves, save, reload, check the reloaded model
// scores the same, and time single-image predictions on one thread and shared by every core.
//
//   dotnet run -c Release --project samples/FashionMnist [-- DIRECTORY]
//
// DIRECTORY holds the four IDX files (gzipped or not); it defaults to where Debian's
// dataset-fashion-mnist package installs them (apt-get install dataset-fashion-mnist).
using System.Diagnostics;
using StaticNet;

string directory = args.Length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist";
string? missing = FashionMnistFiles.FindMissing(directory);
if (missing is not null)
{
    Console.Error.WriteLine($"{missing} is missing. Install Debian's dataset-fashion-mnist package " +
                            "(apt-get install dataset-fashion-mnist) or pass the directory holding the IDX files.");
    return 1;
}

Dataset train = FashionMnistFiles.Load(directory, "train");
Dataset test = FashionMnistFiles.Load(directory, "t10k");
Console.WriteLine($"{train.Count} training and {test.Count} test images from {directory}");

const int Epochs = 15;
const int BatchSize = 128;
var model = new FashionNet(seed: 42);

// 0.001, multiplied by 0.85 after each epoch so late epochs refine rather than jump between minima.
int stepsPerEpoch = (train.Count + BatchSize - 1) / BatchSize;
var optimizer = new Adam { Schedule = new ExponentialDecay(0.001, decaySteps: stepsPerEpoch, decayRate: 0.85, staircase: true) };
var started = Stopwatch.StartNew();

// Keras' progress: a live bar on a terminal, a line per epoch when the output is redirected. The test
// set is the validation data, so each epoch reports its val_accuracy.
History history = model.Fit(train, new FitOptions
{
    Loss = Loss.CategoricalCrossEntropy,
    Optimizer = optimizer,
    Epochs = Epochs,
    BatchSize = BatchSize,
    Seed = 42,
    Metrics = [Metric.Accuracy],
    ValidationData = test,
});
Console.WriteLine($"Trained in {started.Elapsed.TotalSeconds:0.0} s");
string curves = Path.Combine(Path.GetTempPath(), "fashion-mnist-history.svg");
history.SaveSvg(curves, "Fashion-MNIST, 784-256(ReLU)-128(ReLU)-10(Softmax)");
Console.WriteLine($"Training curves: {curves}");

double accuracy = model.Evaluate(test, Loss.CategoricalCrossEntropy, Metric.Accuracy).Accuracy;
Console.WriteLine($"Test accuracy: {accuracy:0.0000}");

string path = Path.Combine(Path.GetTempPath(), "fashion-mnist.safetensors");
model.Save(path);
var reloaded = ModelFile.Load<FashionNet>(path);
double reloadedAccuracy = reloaded.Evaluate(test, Loss.CategoricalCrossEntropy, Metric.Accuracy).Accuracy;
Console.WriteLine($"Saved to {path} ({new FileInfo(path).Length:N0} bytes); reloaded test accuracy: {reloadedAccuracy:0.0000}" +
                  (reloadedAccuracy == accuracy ? " (identical)" : " (DIFFERENT)"));

// Serving one image at a time, as an application would: on the calling thread alone, then with each
// large layer shared among the cores.
float[] scores = new float[FashionNet.OutputSize];
double alone = MicrosecondsPerImage(image => reloaded.Predict(image, scores));
using (var split = new SplitPredictor(reloaded))
{
    double shared = MicrosecondsPerImage(image => split.Predict(image, scores));
    Console.WriteLine($"One image: {alone:0.0} µs on the calling thread, {shared:0.0} µs shared by {split.Threads} threads");
}

return reloadedAccuracy == accuracy ? 0 : 1;

// The best of five passes over the first 2,000 test images, after one pass to warm up.
double MicrosecondsPerImage(Action<ReadOnlySpan<float>> predict)
{
    // Enough passes for the runtime's tiered compilation to reach its optimised code; the first ones
    // run earlier tiers, several times slower.
    const int Images = 2000;
    double best = double.MaxValue;
    for (int pass = 0; pass < 60; pass++)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < Images; i++)
        {
            predict(test.Features.Slice(i * test.FeatureCount, test.FeatureCount));
        }

        double microseconds = Stopwatch.GetElapsedTime(start).TotalMicroseconds / Images;
        best = pass == 0 ? best : Math.Min(best, microseconds);
    }

    return best;
}

/// <summary>The network of the benchmark's multilayer perceptrons, one size up from its 256-128-100.</summary>
[Network(Inputs = 784)]
[Dense(256, Activation.ReLU)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class FashionNet;

/// <summary>The four files of Fashion-MNIST, by the names the dataset is distributed under.</summary>
internal static class FashionMnistFiles
{
    public static string? FindMissing(string directory) =>
        new[] { "train", "t10k" }
            .SelectMany(set => new[] { Images(directory, set), Labels(directory, set) })
            .FirstOrDefault(file => !File.Exists(file));

    public static Dataset Load(string directory, string set) => Idx.Load(Images(directory, set), Labels(directory, set));

    private static string Images(string directory, string set) => Resolve(Path.Combine(directory, $"{set}-images-idx3-ubyte"));

    private static string Labels(string directory, string set) => Resolve(Path.Combine(directory, $"{set}-labels-idx1-ubyte"));

    private static string Resolve(string path) => File.Exists(path) ? path : path + ".gz";
}
