using BenchmarkDotNet.Attributes;
using StaticNet;

namespace StaticNet.Benchmarks;

/// <summary>
/// The Keras example end to end: a new SEED network trained for 100 epochs on 100 samples,
/// batch 32, mean squared error, Adam — the run benchmarks/pytorch/train_bench.py times too.
/// </summary>
[MemoryDiagnoser]
public class SeedFitBenchmarks
{
    private float[,] _x = new float[0, 0];
    private float[,] _y = new float[0, 0];

    /// <summary>100 × 2 uniform features, targets rounded uniforms, as in the Keras tutorial.</summary>
    [GlobalSetup]
    public void Setup()
    {
        float[] features = BenchmarkNetworks.Uniform(200, seed: 3);
        float[] targets = BenchmarkNetworks.Uniform(100, seed: 4);
        _x = new float[100, 2];
        _y = new float[100, 1];
        for (int r = 0; r < 100; r++)
        {
            _x[r, 0] = features[2 * r];
            _x[r, 1] = features[(2 * r) + 1];
            _y[r, 0] = MathF.Round(targets[r]);
        }
    }

    /// <summary>Construction of the network and its optimizer (an Adam keeps one network's state), then the whole 100-epoch fit.</summary>
    [Benchmark]
    public History Fit100Epochs() => new SeedNet(seed: 42).Fit(_x, _y, new FitOptions
    {
        Loss = Loss.MeanSquaredError,
        Optimizer = new Adam(0.001f),
        Epochs = 100,
        BatchSize = 32,
        Verbose = Verbosity.Silent,
    });
}
