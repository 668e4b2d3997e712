using BenchmarkDotNet.Attributes;
using StaticNet;

namespace StaticNet.Benchmarks;

/// <summary>
/// One Adam training step (forward, loss, backward, update) on FMNIST-shaped random data, on one
/// thread and split over two (the development machine's cores).
/// </summary>
[MemoryDiagnoser]
public class TrainingBenchmarks
{
    private TrainingSession _session = null!;
    private float[] _features = [];
    private float[] _targets = [];

    [Params(32, 128)]
    public int BatchSize { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_features, _targets) = FmnistBatch(BatchSize);
        _session = new TrainingSession(new FmnistNet(seed: 1), Loss.CategoricalCrossEntropy, new Adam(), BatchSize, Threads);
    }

    [GlobalCleanup]
    public void Cleanup() => _session.Dispose();

    [Benchmark]
    public double AdamStep() => _session.Step(_features, _targets);

    /// <summary>A batch of FMNIST-shaped random features with one-hot targets, the same for every benchmark that trains on one.</summary>
    internal static (float[] Features, float[] Targets) FmnistBatch(int rows)
    {
        var random = new Random(1);
        float[] features = [.. Enumerable.Range(0, rows * FmnistNet.InputSize).Select(_ => random.NextSingle())];
        float[] targets = new float[rows * FmnistNet.OutputSize];
        for (int r = 0; r < rows; r++)
        {
            targets[(r * FmnistNet.OutputSize) + random.Next(FmnistNet.OutputSize)] = 1;
        }

        return (features, targets);
    }
}
