using BenchmarkDotNet.Attributes;
using StaticNet;

namespace StaticNet.Benchmarks;

/// <summary>
/// One inference call of <see cref="Rows"/> samples on every system, over the same weights:
/// StaticNet, a scalar loop, TensorPrimitives, and ONNX Runtime on one and on two threads.
/// </summary>
[MemoryDiagnoser]
public abstract class InferenceComparison
{
    private INetwork _network = null!;
    private ScalarNetwork _scalar = null!;
    private TensorPrimitivesNetwork _tensorPrimitives = null!;
    private OnnxNetwork _onnxOneThread = null!;
    private OnnxNetwork _onnxTwoThreads = null!;
    private ParallelPredictor? _twoThreads;
    private SplitPredictor? _split;
    private float[] _inputs = [];
    private float[] _outputs = [];
    private int _inputSize;
    private int _outputSize;

    /// <summary>The network compared: SEED, TINY, FMNIST, or FMNIST on Fashion-MNIST test images.</summary>
    [ParamsSource(nameof(NetworkNames))]
    public string Network { get; set; } = "SEED";

    /// <summary>The values of <see cref="Network"/>.</summary>
    public static IEnumerable<string> NetworkNames => BenchmarkNetworks.Names;

    /// <summary>Samples per call.</summary>
    protected abstract int Rows { get; }

    /// <summary>Builds every system and checks that each computes StaticNet's outputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _network = BenchmarkNetworks.Create(Network);
        CanonicalLayer[] layers = CanonicalLayer.From(_network);
        _inputSize = _network.Shape.Inputs;
        _outputSize = _network.Shape.Outputs;
        _inputs = BenchmarkNetworks.Inputs(Network, Rows, _inputSize);
        Console.WriteLine($"// {Network}: {Rows} input rows, {BenchmarkNetworks.ZeroShare(_inputs):P1} of their values zero");
        _outputs = new float[Rows * _outputSize];
        _scalar = new ScalarNetwork(layers);
        _tensorPrimitives = new TensorPrimitivesNetwork(layers);
        var onnx = new MemoryStream();
        _network.SaveOnnx(onnx);
        byte[] model = onnx.ToArray();
        _onnxOneThread = new OnnxNetwork(model, _inputSize, _outputSize, Rows, threads: 1);
        _onnxTwoThreads = new OnnxNetwork(model, _inputSize, _outputSize, Rows, threads: 2);
        _inputs.CopyTo(_onnxOneThread.Input, 0);
        _inputs.CopyTo(_onnxTwoThreads.Input, 0);

        StaticNet();
        float[] expected = [.. _outputs];
        ScalarLoop();
        BenchmarkNetworks.CheckAgreement("the scalar loop", expected, _outputs);
        TensorPrimitives();
        BenchmarkNetworks.CheckAgreement("TensorPrimitives", expected, _outputs);
        OnnxRuntimeOneThread();
        BenchmarkNetworks.CheckAgreement("ONNX Runtime", expected, _onnxOneThread.Output);
        OnnxRuntimeTwoThreads();
        BenchmarkNetworks.CheckAgreement("ONNX Runtime (two threads)", expected, _onnxTwoThreads.Output);
        if (Rows > 1)
        {
            _twoThreads = new ParallelPredictor(_network, threads: 2);
        }
        else
        {
            _split = new SplitPredictor(_network, threads: 2);
        }

        StaticNetTwoThreads();
        BenchmarkNetworks.CheckAgreement("StaticNet on two threads", expected, _outputs);
    }

    /// <summary>Releases the ONNX Runtime sessions.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _onnxOneThread.Dispose();
        _onnxTwoThreads.Dispose();
        _twoThreads?.Dispose();
        _split?.Dispose();
    }

    /// <summary>
    /// StaticNet on both cores: a batch split by rows (<see cref="ParallelPredictor"/>), a single sample
    /// by the units of its large layers (<see cref="SplitPredictor"/>, which keeps SEED and TINY on one
    /// thread because none of their layers is worth a hand-over).
    /// </summary>
    [Benchmark]
    public void StaticNetTwoThreads()
    {
        if (Rows == 1)
        {
            _split!.Predict(_inputs, _outputs);
        }
        else
        {
            _twoThreads!.PredictBatch(_inputs, _outputs);
        }
    }

    /// <summary>The generated code: <c>Predict</c> for one sample, <c>PredictBatch</c> for many.</summary>
    [Benchmark]
    public void StaticNet()
    {
        if (Rows == 1)
        {
            _network.Predict(_inputs, _outputs);
        }
        else
        {
            _network.PredictBatch(_inputs, _outputs);
        }
    }

    /// <summary>Hand-written scalar loops, one sample at a time.</summary>
    [Benchmark(Baseline = true)]
    public void ScalarLoop()
    {
        for (int r = 0; r < Rows; r++)
        {
            _scalar.Predict(_inputs.AsSpan(r * _inputSize, _inputSize), _outputs.AsSpan(r * _outputSize, _outputSize));
        }
    }

    /// <summary>One TensorPrimitives dot product per neuron, one sample at a time.</summary>
    [Benchmark]
    public void TensorPrimitives()
    {
        for (int r = 0; r < Rows; r++)
        {
            _tensorPrimitives.Predict(_inputs.AsSpan(r * _inputSize, _inputSize), _outputs.AsSpan(r * _outputSize, _outputSize));
        }
    }

    /// <summary>ONNX Runtime with one intra-op thread, the whole batch in one call.</summary>
    [Benchmark]
    public void OnnxRuntimeOneThread() => _onnxOneThread.Run();

    /// <summary>ONNX Runtime with two intra-op threads (this machine's cores), the whole batch in one call.</summary>
    [Benchmark]
    public void OnnxRuntimeTwoThreads() => _onnxTwoThreads.Run();
}

/// <summary>Single-sample latency.</summary>
public class InferenceBenchmarks : InferenceComparison
{
    /// <inheritdoc/>
    protected override int Rows => 1;
}

/// <summary>Throughput: 1,024 samples per call.</summary>
public class BatchInferenceBenchmarks : InferenceComparison
{
    /// <summary>The batch size of the throughput figure.</summary>
    public const int BatchSize = 1024;

    /// <inheritdoc/>
    protected override int Rows => BatchSize;
}
