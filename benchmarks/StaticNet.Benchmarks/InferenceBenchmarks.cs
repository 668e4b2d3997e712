using BenchmarkDotNet.Attributes;
using StaticNet;

namespace StaticNet.Benchmarks;

/// <summary>Single-sample latency: the generated Predict against a hand-written scalar loop with the same weights.</summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private INetwork _network = null!;
    private ScalarNetwork _scalar = null!;
    private float[] _input = [];
    private float[] _output = [];

    [Params("SEED", "TINY", "FMNIST")]
    public string Network { get; set; } = "SEED";

    [GlobalSetup]
    public void Setup()
    {
        _network = Network switch
        {
            "SEED" => new SeedNet(seed: 1),
            "TINY" => new TinyNet(seed: 1),
            _ => new FmnistNet(seed: 1),
        };
        _scalar = new ScalarNetwork(_network);
        var random = new Random(1);
        _input = Enumerable.Range(0, _network.Shape.Inputs).Select(_ => random.NextSingle()).ToArray();
        _output = new float[_network.Shape.Outputs];
    }

    [Benchmark(Baseline = true)]
    public void ScalarLoop() => _scalar.Predict(_input, _output);

    [Benchmark]
    public void StaticNetPredict() => _network.Predict(_input, _output);
}
