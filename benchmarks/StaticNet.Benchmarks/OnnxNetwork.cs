using Microsoft.ML.OnnxRuntime;

namespace StaticNet.Benchmarks;

/// <summary>
/// ONNX Runtime at its fastest per call: a session over the same weights, its input and output
/// bound once (IOBinding) to OrtValues over pinned arrays, so a call is one <c>RunWithBinding</c>.
/// </summary>
public sealed class OnnxNetwork : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;
    private readonly OrtIoBinding _binding;

    /// <summary>A session computing <paramref name="rows"/> samples per call on <paramref name="threads"/> threads.</summary>
    public OnnxNetwork(byte[] model, int inputs, int outputs, int rows, int threads)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, options);
        Input = new float[rows * inputs];
        Output = new float[rows * outputs];
        _inputValue = OrtValue.CreateTensorValueFromMemory(Input, [rows, inputs]);
        _outputValue = OrtValue.CreateTensorValueFromMemory(Output, [rows, outputs]);
        _binding = _session.CreateIoBinding();
        _binding.BindInput("input", _inputValue);
        _binding.BindOutput("output", _outputValue);
    }

    /// <summary>The bound input rows: write samples here before <see cref="Run"/>.</summary>
    public float[] Input { get; }

    /// <summary>The bound output rows, filled by <see cref="Run"/>.</summary>
    public float[] Output { get; }

    /// <summary>Computes <see cref="Output"/> from <see cref="Input"/>.</summary>
    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    /// <inheritdoc/>
    public void Dispose()
    {
        _binding.Dispose();
        _outputValue.Dispose();
        _inputValue.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
