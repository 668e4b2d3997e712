using BenchmarkDotNet.Attributes;
using StaticNet;

namespace StaticNet.Benchmarks;

/// <summary>
/// Explaining an FMNIST prediction: one class's input gradient for one image, and integrated gradients of 32 and 256
/// Gauss-Legendre points against a zero baseline, batched 32 points a call, and KernelSHAP over 49 patches of 4 × 4
/// pixels with 16 background images and a budget of 2,048 coalitions (32,768 predictions). benchmarks/pytorch/explain_bench.py
/// times the same work with PyTorch.
/// </summary>
[MemoryDiagnoser]
public class ExplanationBenchmarks
{
    private readonly float[] _image = new float[FmnistNet.InputSize];
    private readonly float[] _baseline = new float[FmnistNet.InputSize];
    private readonly float[] _attributions = new float[FmnistNet.InputSize];
    private readonly float[] _target = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    private readonly float[] _patchValues = new float[49];
    private InputGradients _explainer = null!;
    private KernelShap _shap = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (int i = 0; i < _image.Length; i++)
        {
            _image[i] = random.NextSingle();
        }

        var network = new FmnistNet(seed: 1);
        _explainer = new InputGradients(network, maxRows: 32);
        float[] background = new float[16 * FmnistNet.InputSize];
        for (int i = 0; i < background.Length; i++)
        {
            background[i] = random.NextSingle();
        }

        _shap = new KernelShap(network, background, FeatureGroups.ImagePatches(28, 28, 4, 4));
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

    /// <summary>KernelSHAP over 49 patches: 2,048 coalitions of 16 background images each, and the least-squares fit.</summary>
    [Benchmark]
    public double KernelShap2048() => _shap.Compute(_image, 3, _patchValues, samples: 2048, seed: 1).BaseValue;
}
