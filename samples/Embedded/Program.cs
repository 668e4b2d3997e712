// A Fashion-MNIST classifier whose trained parameters are compiled into this program: the generator read
// fashion-mnist.safetensors at build time, checked it against the declaration below, and wrote its values
// into the assembly's data. `new FashionClassifier()` reads no file.
//
//   dotnet run -c Release --project samples/Embedded                  # the compiled-in model
//   dotnet run -c Release --project samples/Embedded -- --from-file    # the same model loaded from the file
//
// Each run prints the time from the process's start to its first prediction and, when Debian's
// dataset-fashion-mnist package is installed (or a directory of the IDX files is given), the test accuracy
// and the time of one prediction. Published with Native AOT (docs/embedding.md):
//
//   dotnet publish -c Release -r linux-x64 samples/Embedded -o out && out/Embedded
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
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
// Published with Native AOT the program is one native file; otherwise the model is in Embedded.dll.
bool aot = !RuntimeFeature.IsDynamicCodeSupported;
string program = aot ? Environment.ProcessPath! : Path.Combine(AppContext.BaseDirectory, "Embedded.dll");
Console.WriteLine($"{(aot ? "Native AOT binary" : "Assembly")}: {new FileInfo(program).Length:N0} bytes; vectors of {Vector<float>.Count} floats");

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

// One image at a time, as a service would predict: the best of 40 passes over the first 2,000 test
// images, after the first, which under the JIT runs code not yet optimised.
const int Images = 2000;
double best = double.MaxValue;
for (int pass = 0; pass < 41; pass++)
{
    long start = Stopwatch.GetTimestamp();
    for (int i = 0; i < Images; i++)
    {
        model.Predict(test.Features.Slice(i * test.FeatureCount, test.FeatureCount), scores);
    }

    double microseconds = Stopwatch.GetElapsedTime(start).TotalMicroseconds / Images;
    best = pass == 0 ? best : Math.Min(best, microseconds);
}

Console.WriteLine($"One image: {best:0.0} µs");
return 0;

/// <summary>The FashionMnist sample's network, with the parameters it trained compiled in.</summary>
[Network(Inputs = 784, Weights = "fashion-mnist.safetensors", Training = false)]
[Dense(256, Activation.ReLU)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class FashionClassifier;
