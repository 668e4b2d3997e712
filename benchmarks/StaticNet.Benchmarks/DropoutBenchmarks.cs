using BenchmarkDotNet.Attributes;
using StaticNet;

namespace StaticNet.Benchmarks;

/// <summary>
/// What a 0.2 dropout after each hidden layer costs an FMNIST training step: the same Adam step on the same
/// data with and without it, side by side (the ratio column is the cost).
/// </summary>
[MemoryDiagnoser]
public class DropoutBenchmarks
{
    private TrainingSession _plain = null!;
    private TrainingSession _dropout = null!;
    private float[] _features = [];
    private float[] _targets = [];

    [Params(128)]
    public int BatchSize { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_features, _targets) = TrainingBenchmarks.FmnistBatch(BatchSize);
        _plain = new TrainingSession(new FmnistNet(seed: 1), Loss.CategoricalCrossEntropy, new Adam(), BatchSize, Threads);
        _dropout = new TrainingSession(new FmnistDropoutNet(seed: 1), Loss.CategoricalCrossEntropy, new Adam(), BatchSize, Threads) { Seed = 1 };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _dropout.Dispose();
    }

    /// <summary>FMNIST's step without dropout.</summary>
    [Benchmark(Baseline = true)]
    public double Without() => _plain.Step(_features, _targets);

    /// <summary>The same step with a 0.2 dropout after each hidden layer.</summary>
    [Benchmark]
    public double WithDropout() => _dropout.Step(_features, _targets);
}
