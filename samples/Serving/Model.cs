using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using StaticNet;

/// <summary>The Fashion-MNIST network with the parameters samples/FashionMnist trained, compiled in.</summary>
[Network(Inputs = 784, Weights = "../Embedded/fashion-mnist.safetensors", Training = false)]
[Dense(256, Activation.ReLU)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class FashionClassifier
{
    /// <summary>Fashion-MNIST's classes, in label order.</summary>
    public static readonly string[] Labels = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
}

/// <summary>A request of the JSON routes: one image's 784 pixels, row by row, each from 0 (background) to 1.</summary>
public sealed record PredictRequest(float[] Pixels);

/// <summary>The answer of the JSON routes: the most likely class, its index, and every class's probability.</summary>
public sealed record PredictResponse(string Label, int Class, float[] Scores);

/// <summary>The JSON contract, generated at compile time so that no serializer code is made at run time.</summary>
[JsonSerializable(typeof(PredictRequest))]
[JsonSerializable(typeof(PredictResponse))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
public sealed partial class ServingJson : JsonSerializerContext;

/// <summary>
/// Something that classifies one image: StaticNet's compiled-in network, or the same model in ONNX Runtime.
/// Both are safe to call from many requests at once.
/// </summary>
public interface IClassifier
{
    /// <summary>Writes the ten class probabilities of one image.</summary>
    void Predict(ReadOnlySpan<float> pixels, Span<float> scores);
}

/// <summary>StaticNet: one allocation-free <c>Predict</c> on the request's thread.</summary>
public sealed class StaticNetClassifier(FashionClassifier model) : IClassifier
{
    /// <inheritdoc />
    public void Predict(ReadOnlySpan<float> pixels, Span<float> scores) => model.Predict(pixels, scores);
}

/// <summary>ONNX Runtime on the model <see cref="ModelFile.SaveOnnx(INetwork, Stream)"/> wrote: one session, one thread per run.</summary>
public sealed class OnnxClassifier : IClassifier, IDisposable
{
    private static readonly long[] Shape = [1, FashionClassifier.InputSize];
    private static readonly long[] OutputShape = [1, FashionClassifier.OutputSize];
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();

    /// <summary>Creates a session over the ONNX form of <paramref name="model"/>.</summary>
    public OnnxClassifier(FashionClassifier model)
    {
        var onnx = new MemoryStream();
        model.SaveOnnx(onnx);
        // One thread per run: requests already run in parallel, as StaticNet's do.
        var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        _session = new InferenceSession(onnx.ToArray(), options);
    }

    /// <inheritdoc />
    public unsafe void Predict(ReadOnlySpan<float> pixels, Span<float> scores)
    {
        fixed (float* input = pixels)
        fixed (float* output = scores)
        {
            using OrtValue inputValue = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float, Shape, (nint)input, pixels.Length * sizeof(float));
            using OrtValue outputValue = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float, OutputShape, (nint)output, scores.Length * sizeof(float));
            _session.Run(_run, ["input"], [inputValue], ["output"], [outputValue]);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _run.Dispose();
        _session.Dispose();
    }
}
