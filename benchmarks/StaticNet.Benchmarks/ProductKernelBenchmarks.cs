using System.Numerics;
using BenchmarkDotNet.Attributes;
using StaticNet.Kernels;

namespace StaticNet.Benchmarks;

/// <summary>
/// Each runtime product kernel on its own, on the shape of FMNIST's first layer (784 inputs, 256 units in
/// eight panels of 32, as the generated code lays them out), called as the generated forward pass calls it.
/// Each benchmark counts one operation per FLOP, so its time is nanoseconds per FLOP and 1 / time is
/// GFLOP/s, to set against <see cref="PeakFmaBenchmarks"/>.
/// </summary>
public class ProductKernelBenchmarks
{
    private const int Inputs = 784;
    private const int Units = 256;
    private const int Panel = 32;
    private const int Rows = 128;
    private const int BatchFlops = 2 * Rows * Inputs * Units;
    private const int SampleFlops = 2 * Inputs * Units;

    private readonly AlignedArray _x = Filled(Rows * Inputs);
    private readonly AlignedArray _weights = Filled(Inputs * Units);
    private readonly AlignedArray _bias = Filled(Units);
    private readonly AlignedArray _z = new(Rows * Units);
    private readonly int[] _indices = [.. Enumerable.Range(0, Inputs)];

    /// <summary>The batch through <see cref="Products.MultiplyAccumulateWideRows"/>: eight rows share each loaded weight row.</summary>
    [Benchmark(OperationsPerInvoke = BatchFlops)]
    public void MultiplyAccumulateWideRows()
    {
        for (int r = 0; r < Rows; r += 8)
        {
            for (int j = 0; j < Units / Panel; j++)
            {
                Products.MultiplyAccumulateWideRows(
                    ref X(r), 1, Inputs, Inputs, ref Weights(j * Inputs * Panel), Panel, Panel,
                    ref Bias(j * Panel), true, ref Z((r * Units) + (j * Panel)), Units, padded: true, rectify: false);
            }
        }
    }

    /// <summary>The batch through <see cref="Products.MultiplyAccumulateSixRows"/>: six rows share each loaded weight row (the last two rows of the 128 as four and one).</summary>
    [Benchmark(OperationsPerInvoke = BatchFlops)]
    public void MultiplyAccumulateSixRows()
    {
        int r = 0;
        for (; r + 6 <= Rows; r += 6)
        {
            for (int j = 0; j < Units / Panel; j++)
            {
                Products.MultiplyAccumulateSixRows(
                    ref X(r), 1, Inputs, Inputs, ref Weights(j * Inputs * Panel), Panel, Panel,
                    ref Bias(j * Panel), true, ref Z((r * Units) + (j * Panel)), Units, rectify: false);
            }
        }

        for (; r < Rows; r++)
        {
            for (int j = 0; j < Units / Panel; j++)
            {
                Products.MultiplyAccumulate(
                    ref X(r), 1, Inputs, ref Weights(j * Inputs * Panel), Panel, Panel,
                    ref Bias(j * Panel), true, ref Z((r * Units) + (j * Panel)), rectify: false);
            }
        }
    }

    /// <summary>The batch through <see cref="Products.MultiplyAccumulateRows"/>: four rows share each loaded weight row.</summary>
    [Benchmark(OperationsPerInvoke = BatchFlops)]
    public void MultiplyAccumulateRows()
    {
        for (int r = 0; r < Rows; r += 4)
        {
            for (int j = 0; j < Units / Panel; j++)
            {
                Products.MultiplyAccumulateRows(
                    ref X(r), 1, Inputs, Inputs, ref Weights(j * Inputs * Panel), Panel, Panel,
                    ref Bias(j * Panel), true, ref Z((r * Units) + (j * Panel)), Units, rectify: false);
            }
        }
    }

    /// <summary>The batch through <see cref="Products.MultiplyAccumulate"/>, a row at a time.</summary>
    [Benchmark(OperationsPerInvoke = BatchFlops)]
    public void MultiplyAccumulate()
    {
        for (int r = 0; r < Rows; r++)
        {
            for (int j = 0; j < Units / Panel; j++)
            {
                Products.MultiplyAccumulate(
                    ref X(r), 1, Inputs, ref Weights(j * Inputs * Panel), Panel, Panel,
                    ref Bias(j * Panel), true, ref Z((r * Units) + (j * Panel)), rectify: false);
            }
        }
    }

    /// <summary>One sample through <see cref="SampleProducts.MultiplyAccumulateOne"/>, every input read in order.</summary>
    [Benchmark(OperationsPerInvoke = SampleFlops)]
    public void MultiplyAccumulateOne()
    {
        for (int j = 0; j < Units / Panel; j++)
        {
            SampleProducts.MultiplyAccumulateOne(
                ref X(0), ref _indices[0], Inputs, false, ref Weights(j * Inputs * Panel), Panel, Panel,
                ref Bias(j * Panel), ref Z(j * Panel), Activation.Linear);
        }
    }

    /// <summary>One sample's units as dot products along the inputs, as a unit-major layer computes them.</summary>
    [Benchmark(OperationsPerInvoke = SampleFlops)]
    public float DotAccumulate()
    {
        float sum = 0;
        for (int o = 0; o < Units; o++)
        {
            Vector<float> acc = Vector<float>.Zero;
            sum += Products.DotAccumulate(ref X(0), ref Weights(o * Inputs), Inputs, ref acc) + Vector.Sum(acc);
        }

        return sum;
    }

    private ref float X(int row) => ref _x.Span[row * Inputs];

    private ref float Weights(int offset) => ref _weights.Span[offset];

    private ref float Bias(int offset) => ref _bias.Span[offset];

    private ref float Z(int offset) => ref _z.Span[offset];

    /// <summary>An aligned array of uniform values in [-1, 1), from a fixed seed, with a vector of slack.</summary>
    internal static AlignedArray Filled(int length)
    {
        var array = new AlignedArray(length + 16);
        var random = new Random(3);
        foreach (ref float value in array.Span)
        {
            value = (random.NextSingle() * 2) - 1;
        }

        return array;
    }
}
