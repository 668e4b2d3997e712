// A Fashion-MNIST classifier whose trained parameters are compiled into this program: the generator read
// fashion-mnist.safetensors at build time, checked it against the declaration below, and wrote its values
// into the assembly's data. `new FashionClassifier()` reads no file.
//
//   dotnet run -c Release --project samples/Embedded                  # the compiled-in model
//   dotnet run -c Release --project samples/Embedded -- --from-file    # the same model loaded from the file
//
// Each run prints the time from the process's start to its first prediction and, when Debian's
// dataset-fashion-mnist package is installed (or a directory of the IDX files is given), the test accuracy.
using System.Diagnostics;
using StaticNet;

bool fromFile = args.Contains("--from-file");
string directory = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "/usr/share/datasets/fashion-mnist";

long constructing = Stopwatch.GetTimestamp();
FashionClassifier model = fromFile
    ? ModelFile.Load<FashionClassifier>(Path.Combine(AppContext.BaseDirectory, "fashion-mnist.safetensors"))
    : new FashionClassifier();
TimeSpan construction = Stopwatch.GetElapsedTime(constructing);

// The first prediction: a blank image, the one input every deployment has.
Span<float> scores = stackalloc float[FashionClassifier.OutputSize];
model.Predict(new float[FashionClassifier.InputSize], scores);
TimeSpan sinceStart = DateTime.Now - Process.GetCurrentProcess().StartTime;

string source = fromFile ? "loaded from fashion-mnist.safetensors" : "compiled in";
Console.WriteLine($"Model {source}: created in {construction.TotalMilliseconds:0.00} ms; first prediction {sinceStart.TotalMilliseconds:0} ms after the process started");
Console.WriteLine($"Assembly: {new FileInfo(typeof(FashionClassifier).Assembly.Location).Length:N0} bytes");

string images = Path.Combine(directory, "t10k-images-idx3-ubyte.gz");
string labels = Path.Combine(directory, "t10k-labels-idx1-ubyte.gz");
if (!File.Exists(images) || !File.Exists(labels))
{
    Console.WriteLine($"No test set at {directory} (apt-get install dataset-fashion-mnist), so no accuracy.");
    return 0;
}

Dataset test = Idx.Load(images, labels);
double accuracy = model.Evaluate(test, Loss.CategoricalCrossEntropy, Metric.Accuracy).Accuracy;
Console.WriteLine($"Test accuracy on {test.Count:N0} images: {accuracy:0.0000}");
return 0;

/// <summary>The FashionMnist sample's network, with the parameters it trained compiled in.</summary>
[Network(Inputs = 784, Weights = "fashion-mnist.safetensors")]
[Dense(256, Activation.ReLU)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class FashionClassifier;
