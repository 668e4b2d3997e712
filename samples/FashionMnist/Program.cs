// Fashion-MNIST with a 784-256(ReLU)-128(ReLU)-10(Softmax) network and a 0.2 dropout after each hidden
// layer: train, report each epoch's wall time and test accuracy, train the same network without the
// dropout beside it and compare their validation curves, draw the training curves, save, reload, check
// the reloaded model scores the same, explain three test images as heat-maps, and time single-image
// predictions on one thread and shared by every core.
//
//   dotnet run -c Release --project samples/FashionMnist [-- [DIRECTORY] [--epochs N] [--decay D]]
//
// DIRECTORY holds the four IDX files (gzipped or not); it defaults to where Debian's
// dataset-fashion-mnist package installs them (apt-get install dataset-fashion-mnist). The learning
// rate starts at 0.001 and is multiplied by D (0.85) after each of N (15) epochs; --epochs 40 --decay 1
// trains long enough at a constant rate for the network without dropout to overfit.
using System.Diagnostics;
using System.Globalization;
using StaticNet;

int epochs = 15;
double decay = 0.85;
string directory = "/usr/share/datasets/fashion-mnist";
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--epochs" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out epochs) && epochs > 0:
        case "--decay" when i + 1 < args.Length && double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out decay) && decay is > 0 and <= 1:
            i++;
            break;
        case "--epochs" or "--decay":
            Console.Error.WriteLine($"{args[i]} takes {(args[i] == "--epochs" ? "a number of epochs above 0" : "a factor in (0, 1]")}.");
            return 2;
        default:
            directory = args[i];
            break;
    }
}

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

const int BatchSize = 128;
var model = new FashionNet(seed: 42);

// 0.001, multiplied by 0.85 after each epoch so late epochs refine rather than jump between minima.
int stepsPerEpoch = (train.Count + BatchSize - 1) / BatchSize;
ExponentialDecay Schedule() => new(0.001, decaySteps: stepsPerEpoch, decayRate: decay, staircase: true);
var optimizer = new Adam { Schedule = Schedule() };
var started = Stopwatch.StartNew();

// Keras' progress: a live bar on a terminal, a line per epoch when the output is redirected. The test
// set is the validation data, so each epoch reports its val_accuracy.
var options = new FitOptions
{
    Loss = Loss.CategoricalCrossEntropy,
    Optimizer = optimizer,
    Epochs = epochs,
    BatchSize = BatchSize,
    Seed = 42,
    Metrics = [Metric.Accuracy],
    ValidationData = test,
};
History history = model.Fit(train, options);
Console.WriteLine($"Trained in {started.Elapsed.TotalSeconds:0.0} s");

// The same network, seed and schedule without the dropout, for its validation curve.
Console.WriteLine("The same network without dropout:");
started.Restart();
History without = new FashionNetWithoutDropout(seed: 42).Fit(train, options with
{
    Optimizer = new Adam { Schedule = Schedule() },
    Verbose = Verbosity.Silent,
});
Console.WriteLine($"Trained in {started.Elapsed.TotalSeconds:0.0} s");
Console.WriteLine("epoch   val_loss (dropout / none)   val_accuracy (dropout / none)   loss (dropout / none)");
for (int epoch = 0; epoch < epochs; epoch++)
{
    IReadOnlyDictionary<string, double> a = history.Epochs[epoch].Values, b = without.Epochs[epoch].Values;
    Console.WriteLine($"{epoch + 1,5}   {a["val_loss"],8:0.0000} / {b["val_loss"],-8:0.0000}          {a["val_accuracy"],8:0.0000} / {b["val_accuracy"],-8:0.0000}              {a["loss"]:0.0000} / {b["loss"]:0.0000}");
}

string curves = Path.Combine(Path.GetTempPath(), "fashion-mnist-history.svg");
history.SaveSvg(curves, "Fashion-MNIST, 784-256(ReLU)-Dropout(0.2)-128(ReLU)-Dropout(0.2)-10(Softmax)");
string curvesWithout = Path.Combine(Path.GetTempPath(), "fashion-mnist-history-without-dropout.svg");
without.SaveSvg(curvesWithout, "Fashion-MNIST, 784-256(ReLU)-128(ReLU)-10(Softmax), no dropout");
Console.WriteLine($"Training curves: {curves}, and without dropout {curvesWithout}");

double accuracy = model.Evaluate(test, Loss.CategoricalCrossEntropy, Metric.Accuracy).Accuracy;
Console.WriteLine($"Test accuracy: {accuracy:0.0000}");

string path = Path.Combine(Path.GetTempPath(), "fashion-mnist.safetensors");
model.Save(path);
var reloaded = ModelFile.Load<FashionNet>(path);
double reloadedAccuracy = reloaded.Evaluate(test, Loss.CategoricalCrossEntropy, Metric.Accuracy).Accuracy;
Console.WriteLine($"Saved to {path} ({new FileInfo(path).Length:N0} bytes); reloaded test accuracy: {reloadedAccuracy:0.0000}" +
                  (reloadedAccuracy == accuracy ? " (identical)" : " (DIFFERENT)"));

// Why the network says what it says about three test images: integrated gradients from a black image, each
// pixel's share of the predicted class's score, and KernelSHAP over 7 x 7 patches of 4 x 4 pixels against 16
// training images, written as heat-maps over the images.
float[] scores = new float[FashionNet.OutputSize];
string[] classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
var gradients = new InputGradients(reloaded, maxRows: 64);
FeatureGroups patches = FeatureGroups.ImagePatches(28, 28, 4, 4);
var shap = new KernelShap(reloaded, train.Features[..(16 * 784)], patches);
float[] attributions = new float[784], patchValues = new float[patches.Count];
for (int i = 0; i < 3; i++)
{
    ReadOnlySpan<float> image = test.FeatureRow(i);
    reloaded.Predict(image, scores);
    int predicted = Array.IndexOf(scores, scores.Max());
    IntegratedGradientsResult completeness = gradients.IntegratedGradients(image, new float[784], predicted, attributions, steps: 64);
    string integrated = Path.Combine(Path.GetTempPath(), $"fashion-mnist-{i}-integrated-gradients.png");
    new Explanation(attributions).SaveHeatMap(integrated, 28, 28, image);
    ShapleyResult shapley = shap.Compute(image, predicted, patchValues, samples: 2048, seed: i);
    patches.Spread(patchValues, attributions);
    string kernelShap = Path.Combine(Path.GetTempPath(), $"fashion-mnist-{i}-kernel-shap.png");
    new Explanation(attributions).SaveHeatMap(kernelShap, 28, 28, image);
    Console.WriteLine($"Image {i}: {classNames[predicted]} ({scores[predicted]:0.000}); integrated gradients add up to " +
                      $"{completeness.OutputDifference + completeness.CompletenessError:0.0000} of {completeness.OutputDifference:0.0000}, " +
                      $"KernelSHAP from {shapley.BaseValue:0.000} over {shapley.Coalitions} coalitions: {integrated}, {kernelShap}");
}

// Serving one image at a time, as an application would: on the calling thread alone, then with each
// large layer shared among the cores.
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

/// <summary>The network of the benchmark's multilayer perceptrons, one size up from its 256-128-100, with dropout between the layers.</summary>
[Network(Inputs = 784)]
[Dense(256, Activation.ReLU)]
[Dropout(0.2)]
[Dense(128, Activation.ReLU)]
[Dropout(0.2)]
[Dense(10, Activation.Softmax)]
public partial class FashionNet;

/// <summary><see cref="FashionNet"/> without its dropout.</summary>
[Network(Inputs = 784)]
[Dense(256, Activation.ReLU)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class FashionNetWithoutDropout;

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
