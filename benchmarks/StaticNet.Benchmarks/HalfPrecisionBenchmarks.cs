using BenchmarkDotNet.Attributes;
using StaticNet;

namespace StaticNet.Benchmarks;

/// <summary>
/// Single-sample latency with float weights (<see cref="INetwork.Predict"/>) against the same network's
/// half-precision weights (<see cref="HalfPrecisionPredictor"/>): half the bytes to stream per sample, at
/// the cost of widening every weight on the way in.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class HalfPrecisionBenchmarks
{
    private INetwork _network = null!;
    private HalfPrecisionPredictor _half = null!;
    private float[] _input = [];
    private float[] _output = [];

    /// <summary>FMNIST, FMNIST on a Fashion-MNIST test image, WIDE (784-512-512-10) or SMALL (256-128-128-10).</summary>
    [Params("FMNIST", "FMNIST-IMAGES", "WIDE", "SMALL")]
    public string Network { get; set; } = "FMNIST";

    /// <summary>Builds both predictors and checks that they agree to half precision's accuracy.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _network = Network switch
        {
            "WIDE" => new WideNet(seed: 1),
            "SMALL" => new SmallNet(seed: 1),
            _ => BenchmarkNetworks.Create(Network),
        };
        _half = _network.ToHalfPrecision();
        _input = BenchmarkNetworks.Inputs(Network is "WIDE" or "SMALL" ? "FMNIST" : Network, 1, _network.Shape.Inputs);
        _output = new float[_network.Shape.Outputs];
        Console.WriteLine($"// {Network}: {_network.Shape.ParameterCount * sizeof(float) / 1024} KiB of float parameters, {_half.WeightBytes / 1024} KiB of half weights");

        Float();
        float[] expected = [.. _output];
        Half();
        float largest = 0f;
        for (int i = 0; i < expected.Length; i++)
        {
            largest = Math.Max(largest, Math.Abs(expected[i] - _output[i]));
        }

        Console.WriteLine($"// largest output difference, half against float: {largest:G3}");
        if (largest > 1e-2f)
        {
            throw new InvalidOperationException($"Half-precision outputs differ from the float ones by {largest}.");
        }
    }

    /// <summary>The generated code's float weights.</summary>
    [Benchmark(Baseline = true)]
    public void Float() => _network.Predict(_input, _output);

    /// <summary>The same network with half-precision weights.</summary>
    [Benchmark]
    public void Half() => _half.Predict(_input, _output);
}

/// <summary>
/// FMNIST's batch of 1,024 with float weights (<see cref="INetwork.PredictBatch"/>) against half-precision weights, which
/// <see cref="HalfPrecisionPredictor.PredictBatch"/> widens once per call for the batched kernels.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class HalfPrecisionBatchBenchmarks
{
    private const int Rows = 1024;
    private INetwork _network = null!;
    private HalfPrecisionPredictor _half = null!;
    private float[] _inputs = [];
    private float[] _outputs = [];

    /// <summary>Builds both predictors.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _network = BenchmarkNetworks.Create("FMNIST");
        _half = _network.ToHalfPrecision();
        _inputs = BenchmarkNetworks.Inputs("FMNIST", Rows, _network.Shape.Inputs);
        _outputs = new float[Rows * _network.Shape.Outputs];
    }

    /// <summary>The generated code's float weights.</summary>
    [Benchmark(Baseline = true)]
    public void Float() => _network.PredictBatch(_inputs, _outputs);

    /// <summary>The same network with half-precision weights.</summary>
    [Benchmark]
    public void Half() => _half.PredictBatch(_inputs, _outputs);
}
