using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using StaticNet.Kernels;

namespace StaticNet;

/// <summary>
/// Predicts with an inference copy of a network's weights in IEEE half precision: half the bytes of float32 for
/// single-sample inference to stream, so that weights which outgrow a core's cache in float32 can fit it. The
/// products still multiply and add in float32, and the biases stay float32.
/// </summary>
/// <remarks>
/// <para>
/// The weights are copied and rounded to the nearest half when the predictor is made; the network's own weights,
/// the master copy that training updates, are left as they are, and later changes to them do not reach the predictor.
/// Half precision keeps 11 significant bits, so each weight moves by at most 2^-11 of itself; weights smaller than
/// 2^-14 (6.1e-5), which half precision could keep only as subnormals, are rounded to 0 or to ±2^-14 instead, which
/// moves them by at most 2^-15. <see cref="LargestWeightChange"/> says how far the weights moved.
/// </para>
/// <para>
/// A call allocates nothing and the predictor may be shared by threads. Every layer runs through the runtime's
/// single-sample kernel rather than the generated code, so for small networks, whose weights fit the cache either way,
/// the network's own <see cref="INetwork.Predict"/> is faster.
/// </para>
/// <para>
/// A batch of a generated network with at least 16 rows is predicted through the batched kernels of the network's own
/// <see cref="INetwork.PredictBatch"/>, over the rounded weights widened to float32 once for the call into a pooled
/// buffer: its outputs are those of the network with its weights rounded to half precision.
/// </para>
/// </remarks>
public sealed class HalfPrecisionPredictor
{
    private const int PanelWidth = LayerProducts.PanelWidth;

    /// <summary>Batches of at least this many rows widen the weights once for the call rather than for every row.</summary>
    private const int BatchedRows = 16;

    private readonly Layer[] _layers;
    private readonly short[] _weights;
    private readonly float[] _biases;
    private readonly int _widest;
    private readonly string _networkName;
    private readonly NetworkLayout? _layout;
    private readonly int _storageLength;

    /// <summary>Copies the weights of <paramref name="network"/> in half precision.</summary>
    /// <param name="network">The network whose weights are copied; it is not changed.</param>
    /// <exception cref="ArgumentException">A weight is NaN or infinite, or beyond half precision's range of ±65504.</exception>
    public HalfPrecisionPredictor(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        Shape = network.Shape;
        _networkName = network.GetType().Name;
        _layout = (network as IGeneratedNetwork)?.Layout;
        _storageLength = ParameterStorage.Length(Shape.ParameterCount);
        ReadOnlySpan<LayerLayout> generated = _layout is null ? default : _layout.Layers;
        float[] canonical = new float[Shape.ParameterCount];
        network.CopyParametersTo(canonical);

        _layers = new Layer[Shape.Layers.Count];
        int weightCount = 0, biasCount = 0;
        for (int i = 0; i < _layers.Length; i++)
        {
            DenseLayer dense = Shape.Layers[i];

            // Where the network skips the weight rows of zero inputs, so does the copy: the inputs are the same.
            bool skipsZeros = !generated.IsEmpty && generated[i].SkipsZeros;
            // Every panel whole, its units past the layer's with zero weights: the kernel then reads only pairs of vectors.
            int stored = (dense.Units + PanelWidth - 1) / PanelWidth * PanelWidth;
            _layers[i] = new Layer(dense.Inputs, dense.Units, stored, dense.Activation, weightCount, dense.UseBias ? biasCount : -1, skipsZeros);
            weightCount += dense.Inputs * stored;
            biasCount += dense.UseBias ? stored : 0;
            _widest = Math.Max(_widest, Math.Max(dense.Inputs, stored));
        }

        _weights = new short[weightCount];
        _biases = new float[biasCount];
        int offset = 0;
        for (int i = 0; i < _layers.Length; i++)
        {
            Layer layer = _layers[i];
            int weights = offset;
            offset += layer.Inputs * layer.Units;
            if (layer.Bias >= 0)
            {
                canonical.AsSpan(offset, layer.Units).CopyTo(_biases.AsSpan(layer.Bias));
                offset += layer.Units;
            }

            for (int unit = 0; unit < layer.Units; unit++)
            {
                for (int input = 0; input < layer.Inputs; input++)
                {
                    float weight = canonical[weights + (unit * layer.Inputs) + input];
                    Half half = ToHalf(weight, i, unit, input);
                    _weights[HalfIndex(layer, unit, input)] = BitConverter.HalfToInt16Bits(half);
                    LargestWeightChange = Math.Max(LargestWeightChange, Math.Abs((float)half - weight));
                }
            }
        }
    }

    /// <summary>The network's shape.</summary>
    public NetworkShape Shape { get; }

    /// <summary>
    /// The bytes the weights take in half precision: half what they take in the network, but for each layer's units
    /// being stored in whole panels of 32, the last of them filled out with zeros.
    /// </summary>
    public long WeightBytes => (long)_weights.Length * sizeof(short);

    /// <summary>The largest amount by which rounding to half precision moved a weight.</summary>
    public float LargestWeightChange { get; }

    /// <summary>Computes the outputs of one sample, as <see cref="INetwork.Predict"/> does with the weights in half precision.</summary>
    /// <param name="input">The sample's features; exactly <see cref="NetworkShape.Inputs"/> values.</param>
    /// <param name="output">Receives exactly <see cref="NetworkShape.Outputs"/> values.</param>
    /// <exception cref="ArgumentException">A span's length does not match the network.</exception>
    public void Predict(ReadOnlySpan<float> input, Span<float> output)
    {
        Guard.Width(input.Length, Shape.Inputs, nameof(input), _networkName);
        Guard.Width(output.Length, Shape.Outputs, nameof(output), _networkName);
        float[] floats = ArrayPool<float>.Shared.Rent(3 * _widest);
        int[] listed = ArrayPool<int>.Shared.Rent(_widest);
        try
        {
            PredictOne(input, output, floats.AsSpan(0, 3 * _widest), listed);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(listed);
            ArrayPool<float>.Shared.Return(floats);
        }
    }

    /// <summary>
    /// Computes the outputs of many samples stored row-major: a batch of at least 16 rows of a generated network through
    /// its batched kernels over the weights widened once (see the remarks), a smaller one a row at a time, as <see cref="Predict"/>.
    /// </summary>
    /// <param name="inputs">Whole rows of the network's input width.</param>
    /// <param name="outputs">Receives as many rows of its output width.</param>
    /// <exception cref="ArgumentException">The spans do not hold the same number of whole rows.</exception>
    public void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        int rows = Guard.Rows(inputs.Length, Shape.Inputs, outputs.Length, Shape.Outputs, _networkName);
        if (_layout is not null && rows >= BatchedRows)
        {
            // Widened once, the weights serve every row through the batched kernels; row by row, every sample widens them
            // all again, and a batch took as long as its samples one at a time.
            float[] parameters = ArrayPool<float>.Shared.Rent(_storageLength);
            try
            {
                Span<float> storage = parameters.AsSpan(0, _storageLength);
                Widen(storage);
                _layout.PredictBatch(storage, inputs, outputs, rows);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(parameters);
            }

            return;
        }

        float[] floats = ArrayPool<float>.Shared.Rent(3 * _widest);
        int[] listed = ArrayPool<int>.Shared.Rent(_widest);
        try
        {
            for (int r = 0; r < rows; r++)
            {
                PredictOne(inputs.Slice(r * Shape.Inputs, Shape.Inputs), outputs.Slice(r * Shape.Outputs, Shape.Outputs), floats.AsSpan(0, 3 * _widest), listed);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(listed);
            ArrayPool<float>.Shared.Return(floats);
        }
    }

    private void PredictOne(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch, Span<int> listed)
    {
        Span<float> scaled = scratch[.._widest];
        Span<float> even = scratch.Slice(_widest, _widest);
        Span<float> odd = scratch.Slice(2 * _widest, _widest);
        ReadOnlySpan<float> x = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            Layer layer = _layers[i];
            Span<float> a = (i % 2 == 0 ? even : odd)[..layer.Stored];
            Compute(layer, x, scaled[..layer.Inputs], a, listed);
            x = a[..layer.Units];
        }

        x.CopyTo(output);
    }

    /// <summary>One layer: its inputs scaled for the weights as <see cref="ScaledHalfWeights"/> reads them, the product, then the activation.</summary>
    private void Compute(Layer layer, ReadOnlySpan<float> x, Span<float> scaled, Span<float> a, Span<int> listed)
    {
        ref short w = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_weights), layer.Weights);
        ref float b = ref layer.Bias < 0 ? ref Unsafe.NullRef<float>() : ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_biases), layer.Bias);
        float largest = Scale(x, scaled, ScaledHalfWeights.InputScale);
        if (!(largest >= ScaledHalfWeights.MaxInput) || float.IsInfinity(largest))
        {
            Product(ref w, ref b, layer, scaled, a, listed);
        }
        else
        {
            // Inputs of 2^16 or more would overflow when scaled by 2^112: scaled by 2^(112 - s) instead, the sums come
            // out 2^-s of the pre-activations, and are scaled back before the biases.
            int s = MathF.ILogB(largest) - 14;
            Scale(x, scaled, MathF.ScaleB(1f, 112 - s));
            Product(ref w, ref Unsafe.NullRef<float>(), layer, scaled, a, listed);
            float back = MathF.ScaleB(1f, s);
            for (int o = 0; o < layer.Units; o++)
            {
                a[o] = (a[o] * back) + (layer.Bias < 0 ? 0f : _biases[layer.Bias + o]);
            }
        }

        if (layer.Activation != Activation.Linear)
        {
            ActivationKernels.Forward(layer.Activation, a, a, layer.Units);
        }
    }

    /// <summary>
    /// The layer's pre-activations. The activation is left to the caller so that the kernel inlined here holds no calls:
    /// with the layer's sizes and activation known only at run time, the activations' calls made the JIT keep the
    /// accumulators on the stack inside the loop, which made the product several times slower than with float weights.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Product(ref short w, ref float b, Layer layer, Span<float> scaled, Span<float> a, Span<int> listed)
    {
        SampleProducts.PanelLayer<short, ScaledHalfWeights>(
            ref MemoryMarshal.GetReference(scaled), ref w, ref b, ref MemoryMarshal.GetReference(a), layer.Inputs, layer.Stored, wholePanels: true, Activation.Linear, layer.SkipsZeros, scaled, listed, 0, layer.Stored / PanelWidth);
    }

    /// <summary>
    /// Where the copy keeps the weight of <paramref name="unit"/> from <paramref name="input"/>: in column panels of
    /// <see cref="PanelWidth"/> units, each [inputs, PanelWidth] row-major, each row's runs of two vectors stored as the
    /// format reads them.
    /// </summary>
    private static int HalfIndex(Layer layer, int unit, int input)
    {
        int pairWidth = SampleProducts.PanelPairWidth;
        int first = unit / PanelWidth * PanelWidth;
        int run = (unit - first) / (2 * pairWidth) * 2 * pairWidth;
        int column = run + ScaledHalfWeights.PairPosition(unit - first - run, pairWidth);
        return layer.Weights + (first * layer.Inputs) + (input * PanelWidth) + column;
    }

    /// <summary>Writes the rounded weights and the biases as float32 to <paramref name="storage"/>, in the network's own layout.</summary>
    private void Widen(Span<float> storage)
    {
        // The layers' weights and biases fill the storage up to the parameter count, each written below; only the
        // padding past them, which the kernels may load but never use, is left to clear.
        storage[Shape.ParameterCount..].Clear();
        ReadOnlySpan<LayerLayout> targets = _layout!.Layers;
        ref short halves = ref MemoryMarshal.GetArrayDataReference(_weights);
        ref float floats = ref MemoryMarshal.GetReference(storage);
        for (int i = 0; i < _layers.Length; i++)
        {
            Layer layer = _layers[i];
            LayerLayout target = targets[i];
            if (layer.Bias >= 0)
            {
                _biases.AsSpan(layer.Bias, layer.Units).CopyTo(storage[target.Bias..]);
            }

            // The whole panels of a panel layer are laid out as the copy's, so their rows widen a vector at a time.
            int whole = target.Layout == WeightLayout.Panels ? layer.Units / PanelWidth : 0;
            for (int offset = 0; offset < whole * PanelWidth * layer.Inputs; offset += PanelWidth)
            {
                WidenRow(ref Unsafe.Add(ref halves, layer.Weights + offset), ref Unsafe.Add(ref floats, target.Weights + offset));
            }

            // The rest one at a time: a narrower last panel, whose rows are its width apart, or a unit-major layer's rows.
            int from = whole * PanelWidth;
            for (int unit = from; unit < layer.Units; unit++)
            {
                for (int input = 0; input < layer.Inputs; input++)
                {
                    int position = target.Layout == WeightLayout.Panels
                        ? (from * layer.Inputs) + (input * (layer.Units - from)) + (unit - from)
                        : (unit * layer.Inputs) + input;
                    storage[target.Weights + position] = (float)BitConverter.Int16BitsToHalf(_weights[HalfIndex(layer, unit, input)]);
                }
            }
        }
    }

    /// <summary>One row of a whole panel as float32, in the order of its units.</summary>
    private static void WidenRow(ref short row, ref float destination)
    {
        int pairWidth = SampleProducts.PanelPairWidth;
        for (int run = 0; run < PanelWidth; run += 2 * pairWidth)
        {
            if (pairWidth == Vector512<float>.Count)
            {
                (ScaledHalfWeights.LoadLow512(ref row, run) * ScaledHalfWeights.InputScale).StoreUnsafe(ref destination, (nuint)run);
                (ScaledHalfWeights.LoadHigh512(ref row, run) * ScaledHalfWeights.InputScale).StoreUnsafe(ref destination, (nuint)(run + pairWidth));
            }
            else
            {
                (ScaledHalfWeights.LoadLow(ref row, run) * ScaledHalfWeights.InputScale).StoreUnsafe(ref destination, (nuint)run);
                (ScaledHalfWeights.LoadHigh(ref row, run) * ScaledHalfWeights.InputScale).StoreUnsafe(ref destination, (nuint)(run + pairWidth));
            }
        }
    }

    /// <summary>Writes x · factor to <paramref name="scaled"/> and returns the largest |x|.</summary>
    private static float Scale(ReadOnlySpan<float> x, Span<float> scaled, float factor)
    {
        Vector<float> largest = Vector<float>.Zero;
        int i = 0;
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector<float> v = new(x[i..]);
            largest = Vector.Max(largest, Vector.Abs(v));
            (v * factor).CopyTo(scaled[i..]);
        }

        float result = 0f;
        for (int lane = 0; lane < Vector<float>.Count; lane++)
        {
            result = MathF.Max(result, largest[lane]);
        }

        for (; i < x.Length; i++)
        {
            result = MathF.Max(result, MathF.Abs(x[i]));
            scaled[i] = x[i] * factor;
        }

        return result;
    }

    /// <summary>The half nearest <paramref name="weight"/> among those with no subnormals.</summary>
    private Half ToHalf(float weight, int layer, int unit, int input)
    {
        Half half = (Half)weight;
        if (!Half.IsFinite(half))
        {
            string what = float.IsNaN(weight) ? "NaN" : float.IsInfinity(weight) ? "infinite" : $"{weight:R}, beyond half precision's largest value, ±65504";
            throw new ArgumentException(
                $"{_networkName} cannot keep its weights in half precision: the weight of layer {layer}'s unit {unit} from input {input} is {what}.",
                "network");
        }

        if (Half.IsSubnormal(half))
        {
            // The smallest normal half is 2^-14; below half of it, 0 is nearer.
            half = MathF.Abs(weight) < MathF.ScaleB(1f, -15) ? (Half)MathF.CopySign(0f, weight) : (Half)MathF.CopySign(MathF.ScaleB(1f, -14), weight);
        }

        return half;
    }

    /// <summary>A layer of the copy: its sizes, the units it stores (whole panels), and where its weights (column panels) and biases start.</summary>
    private readonly record struct Layer(int Inputs, int Units, int Stored, Activation Activation, int Weights, int Bias, bool SkipsZeros);
}

/// <summary>Makes a <see cref="HalfPrecisionPredictor"/> of a network.</summary>
public static class HalfPrecision
{
    /// <summary>Copies the weights of <paramref name="network"/> in half precision, for single-sample inference that streams half the bytes.</summary>
    /// <param name="network">The network; it keeps its float32 weights.</param>
    /// <returns>A predictor over the copy.</returns>
    /// <exception cref="ArgumentException">A weight is NaN or infinite, or beyond half precision's range of ±65504.</exception>
    public static HalfPrecisionPredictor ToHalfPrecision(this INetwork network) => new(network);
}
