using BenchmarkDotNet.Attributes;
using StaticNet;

namespace StaticNet.Benchmarks;

/// <summary>
/// One sample through networks whose layers each fit a vector register, so that the generator emits straight-line
/// code: a logistic regression over 100 features (100-1) and a small classifier (64-8-4), whose first layers sum
/// many inputs.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class StraightLineBenchmarks
{
    private INetwork _network = null!;
    private float[] _input = [];
    private float[] _output = [];

    /// <summary>LOGISTIC-100 or 64-8-4.</summary>
    [Params("LOGISTIC-100", "64-8-4")]
    public string Network { get; set; } = "LOGISTIC-100";

    /// <summary>Builds the network and a sample of uniform values.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _network = Network == "LOGISTIC-100" ? new LogisticHundredNet(seed: 1) : new StraightLineNet(seed: 1);
        _input = BenchmarkNetworks.Uniform(_network.Shape.Inputs, seed: 2);
        _output = new float[_network.Shape.Outputs];
    }

    /// <summary>The generated straight-line <see cref="INetwork.Predict"/>.</summary>
    [Benchmark]
    public void Predict() => _network.Predict(_input, _output);
}
