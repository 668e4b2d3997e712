using BenchmarkDotNet.Attributes;
using StaticNet.Kernels;

namespace StaticNet.Benchmarks;

/// <summary>
/// The whole-layer kernels the layer table and the generated single-sample methods call, on FMNIST's layers:
/// its first (784 inputs, 256 units in panels) over a batch of 128 and for one sample, and its last (128
/// inputs, 10 units) as a unit-major layer. Each benchmark counts one operation per FLOP, so 1 / time is
/// GFLOP/s, to set against <see cref="PeakFmaBenchmarks"/>.
/// </summary>
public class LayerKernelBenchmarks
{
    private const int Inputs = 784;
    private const int Units = 256;
    private const int Rows = 128;
    private const int NarrowInputs = 128;
    private const int NarrowUnits = 10;
    private const int BatchFlops = 2 * Rows * Inputs * Units;
    private const int SampleFlops = 2 * Inputs * Units;
    private const int NarrowFlops = 2 * Rows * NarrowInputs * NarrowUnits;

    private readonly AlignedArray _x = ProductKernelBenchmarks.Filled(Rows * Inputs);
    private readonly AlignedArray _parameters = ProductKernelBenchmarks.Filled((Inputs + 1) * Units);
    private readonly AlignedArray _dz = ProductKernelBenchmarks.Filled(Rows * Units);
    private readonly AlignedArray _z = new(Rows * Units);
    private readonly AlignedArray _gradients = new((Inputs + 1) * Units + 16);
    private readonly AlignedArray _dx = new(Rows * Inputs);
    private readonly AlignedArray _dzStrips = new(Rows * Units);
    private readonly AlignedArray _strips = new(Inputs * Units);
    private readonly int[] _listed = new int[Inputs];

    /// <summary>Packs the weights into strips once, as a batch of 256 rows or more does once per call.</summary>
    [GlobalSetup]
    public void PackWeights() => LayerProducts.PackStrips(ref _parameters.Start, ref _strips.Start, Inputs, Units);

    /// <summary>The batch's pre-activations through <see cref="LayerProducts.ForwardPanels"/>, every panel.</summary>
    [Benchmark(OperationsPerInvoke = BatchFlops)]
    public void ForwardPanels() =>
        LayerProducts.ForwardPanels(ref _x.Start, ref _parameters.Start, ref Parameter(Inputs * Units), ref _z.Start, Rows, Inputs, Units, 0, Units / LayerProducts.PanelWidth, rectify: false);

    /// <summary>
    /// The batch's pre-activations through <see cref="LayerProducts.ForwardStrips"/>, from weights already packed: a
    /// batch of 256 rows or more packs them once per call, and over 1024 rows the packing is a few percent of the layer.
    /// </summary>
    [Benchmark(OperationsPerInvoke = BatchFlops)]
    public void ForwardStrips() =>
        LayerProducts.ForwardStrips(ref _x.Start, ref _strips.Start, ref _parameters.Start, ref Parameter(Inputs * Units), ref _z.Start, Rows, Inputs, Units, rectify: false);

    /// <summary>The batch's weight and bias gradients through <see cref="LayerProducts.GradientsPanels"/>.</summary>
    [Benchmark(OperationsPerInvoke = BatchFlops)]
    public void GradientsPanels() =>
        LayerProducts.GradientsPanels(ref _x.Start, ref _dz.Start, ref _gradients.Start, ref Gradient(Inputs * Units), Rows, Inputs, Units, 0, Units / LayerProducts.PanelWidth);

    /// <summary>
    /// The batch's weight and bias gradients with dz read from strips, the packing included, as every training step
    /// of 64 rows or more does it.
    /// </summary>
    [Benchmark(OperationsPerInvoke = BatchFlops)]
    public void GradientsStrips()
    {
        LayerProducts.PackGradientStrips(ref _dz.Start, ref _dzStrips.Start, Rows, Units, 0, Units / LayerProducts.PanelWidth);
        LayerProducts.GradientsPanels(ref _x.Start, ref _dz.Start, ref _dzStrips.Start, ref _gradients.Start, ref Gradient(Inputs * Units), Rows, Inputs, Units, 0, Units / LayerProducts.PanelWidth);
    }

    /// <summary>The gradient passed down through <see cref="LayerProducts.InputGradient"/>, the weights read as [units, inputs].</summary>
    [Benchmark(OperationsPerInvoke = BatchFlops)]
    public void InputGradient() =>
        LayerProducts.InputGradient(ref _parameters.Start, ref _dz.Start, ref _dx.Start, Rows, Inputs, Units);

    /// <summary>
    /// One sample through <see cref="SampleProducts.Dense"/> with the sizes as constants, as a generated layer calls
    /// it, ReLU applied and no zero to skip.
    /// </summary>
    [Benchmark(OperationsPerInvoke = SampleFlops)]
    public void DenseOneSample() =>
        SampleProducts.Dense(
            _parameters.Span, 0, Inputs * Units, Inputs, Units, Activation.ReLU, WeightLayout.Panels, skipsZeros: false,
            _x.Span[..Inputs], _z.Span[..Units], _listed, 0, Units / LayerProducts.PanelWidth);

    /// <summary>A unit-major layer's batch through <see cref="LayerProducts.ForwardUnitMajor"/>.</summary>
    [Benchmark(OperationsPerInvoke = NarrowFlops)]
    public void ForwardUnitMajor() =>
        LayerProducts.ForwardUnitMajor(ref _x.Start, ref _parameters.Start, ref Parameter(NarrowInputs * NarrowUnits), ref _z.Start, Rows, NarrowInputs, NarrowUnits, 0, NarrowUnits);

    /// <summary>A unit-major layer's weight and bias gradients through <see cref="LayerProducts.GradientsUnitMajor"/>.</summary>
    [Benchmark(OperationsPerInvoke = NarrowFlops)]
    public void GradientsUnitMajor() =>
        LayerProducts.GradientsUnitMajor(ref _x.Start, ref _dz.Start, ref _gradients.Start, ref Gradient(NarrowInputs * NarrowUnits), Rows, NarrowInputs, NarrowUnits, 0, NarrowUnits);

    private ref float Parameter(int offset) => ref _parameters.Span[offset];

    private ref float Gradient(int offset) => ref _gradients.Span[offset];
}
