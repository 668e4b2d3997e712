using BenchmarkDotNet.Attributes;
using StaticNet;
using StaticNet.Kernels;
using StaticNet.Training;

namespace StaticNet.Benchmarks;

/// <summary>
/// The pieces of FMNIST's split single sample and of one two-thread training step at batch 32, each
/// on one thread, so the notes can say where the time of the whole goes:
/// <c>--filter '*BreakdownBenchmarks*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class BreakdownBenchmarks
{
    private const int BatchSize = 32;
    private const int HalfBatch = BatchSize / 2;

    private readonly IGeneratedNetwork _network = new FmnistNet(seed: 1);
    private readonly float[] _sample = BenchmarkNetworks.Uniform(FmnistNet.InputSize, seed: 2);
    private readonly float[] _hidden0 = new float[256];
    private readonly float[] _hidden1 = new float[128];
    private readonly float[] _output = new float[FmnistNet.OutputSize];
    private readonly float[] _features = BenchmarkNetworks.Uniform(BatchSize * FmnistNet.InputSize, seed: 3);
    private readonly float[] _elsewhere = new float[ParameterStorage.Length(FmnistNet.ParameterCount)];
    private TrainingBuffers _buffers = null!;
    private AlignedArray _gradients;
    private AlignedArray _firstMoment;
    private AlignedArray _secondMoment;
    private int _half;

    /// <summary>Fills the buffers a forward pass would have filled.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _buffers = new TrainingBuffers(FmnistNet.Shape, BatchSize);
        _network.Forward(_features, BatchSize, _buffers);
        _network.Backpropagate(_features, BatchSize, _buffers);
        int storage = ParameterStorage.Length(FmnistNet.ParameterCount);
        _gradients = new AlignedArray(storage);
        _firstMoment = new AlignedArray(storage);
        _secondMoment = new AlignedArray(storage);
        _half = storage / 2 / ParameterStorage.Alignment * ParameterStorage.Alignment;
    }

    /// <summary>One core's share of the first layer when a sample is split over two: 392 KB of weights.</summary>
    [Benchmark]
    public void FirstLayerHalf() => _network.InferPart(0, 0, 2, _sample, _hidden0);

    /// <summary>The whole first layer on one core: 784 KB of weights.</summary>
    [Benchmark]
    public void FirstLayerWhole() => _network.InferPart(0, 0, 1, _sample, _hidden0);

    /// <summary>One core's share of the second layer: 64 KB of weights.</summary>
    [Benchmark]
    public void SecondLayerHalf() => _network.InferPart(1, 0, 2, _hidden0, _hidden1);

    /// <summary>The Softmax layer, which the calling thread computes alone.</summary>
    [Benchmark]
    public void LastLayer() => _network.InferPart(2, 0, 1, _hidden1, _output);

    /// <summary>A forward pass over one thread's half of the batch.</summary>
    [Benchmark]
    public void ForwardHalfBatch() => _network.Forward(_features.AsSpan(0, HalfBatch * FmnistNet.InputSize), HalfBatch, _buffers);

    /// <summary>The pass back through the layers over one thread's half of the batch.</summary>
    [Benchmark]
    public void BackpropagateHalfBatch() => _network.Backpropagate(_features.AsSpan(0, HalfBatch * FmnistNet.InputSize), HalfBatch, _buffers);

    /// <summary>One thread's share of the parameter gradients, over the whole batch.</summary>
    [Benchmark]
    public void GradientsHalfUnits() => _network.ComputeGradients(_features, BatchSize, _buffers, 0, 2);

    /// <summary>Adam over half the parameters, right after another core read all of them.</summary>
    [Benchmark]
    public void AdamHalfAfterOtherCoreReadParameters() => AdamHalfAfterOtherCoreRead(parameters: true);

    /// <summary>The same, after another core read memory of the same size that is not the parameters.</summary>
    [Benchmark]
    public void AdamHalfAfterOtherCoreReadElsewhere() => AdamHalfAfterOtherCoreRead(parameters: false);

    // Both variants pay the same hand-over to a pool thread; only what that thread reads differs.
    private void AdamHalfAfterOtherCoreRead(bool parameters)
    {
        Task.Run(() => Touch(parameters ? _network.Parameters : _elsewhere)).Wait();
        OptimizerSteps.Adam(_network.ParameterStorage, _gradients.Span, _firstMoment.Span, _secondMoment.Span, [], new AdamCoefficients(0.9f, 0.999f, 1e-7f, 0.001f, 1f, 0f, 1f), 0, _half);
    }

    // One read per cache line is enough to leave a copy of each line in the other core's cache.
    private static float Touch(ReadOnlySpan<float> values)
    {
        float sum = 0;
        for (int i = 0; i < values.Length; i += 16)
        {
            sum += values[i];
        }

        return sum;
    }
}
