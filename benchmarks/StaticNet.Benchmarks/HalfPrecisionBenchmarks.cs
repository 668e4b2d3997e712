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
