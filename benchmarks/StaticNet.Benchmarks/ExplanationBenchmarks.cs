using BenchmarkDotNet.Attributes;
using StaticNet;

namespace StaticNet.Benchmarks;

/// <summary>
/// Explaining an FMNIST prediction: one class's input gradient for one image, and integrated gradients of 32 and 256
/// Gauss-Legendre points against a zero baseline, batched 32 points a call. benchmarks/pytorch/explain_bench.py times
/// the same work with PyTorch's autograd.
/// </summary>
[MemoryDiagnoser]
public class ExplanationBenchmarks
{
    private readonly float[] _image = new float[FmnistNet.InputSize];
    private readonly float[] _baseline = new float[FmnistNet.InputSize];
    private readonly float[] _attributions = new float[FmnistNet.InputSize];
    private readonly float[] _target = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    private InputGradients _explainer = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (int i = 0; i < _image.Length; i++)
        {
            _image[i] = random.NextSingle();
        }

        _explainer = new InputGradients(new FmnistNet(seed: 1), maxRows: 32);
    }

    /// <summary>One class's gradient with respect to one image.</summary>
    [Benchmark]
    public void InputGradient() => _explainer.Compute(_image, _target, _attributions);

    /// <summary>Integrated gradients with 32 points.</summary>
    [Benchmark]
    public double IntegratedGradients32() => _explainer.IntegratedGradients(_image, _baseline, 3, _attributions, steps: 32).CompletenessError;

    /// <summary>Integrated gradients with 256 points.</summary>
    [Benchmark]
    public double IntegratedGradients256() => _explainer.IntegratedGradients(_image, _baseline, 3, _attributions, steps: 256).CompletenessError;
}
