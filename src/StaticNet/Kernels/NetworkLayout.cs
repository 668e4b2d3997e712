using System;
using System.Buffers;
using System.ComponentModel;
using StaticNet.Training;

namespace StaticNet.Kernels;

/// <summary>
/// The layers of a generated network as its parameter storage lays them out, and the passes over them:
/// inference for a batch, the parts of a layer that threads share, and the training passes. A generated
/// network holds one, made once from constants; the passes only read it. The single-sample pass is not
/// here: the generated code calls <see cref="SampleProducts.Dense"/> with each layer's sizes as constants,
/// which the JIT folds into the kernel (TINY's sample took 0.6 µs through this table and 0.4 µs so).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class NetworkLayout
{
    /// <summary>A batch is predicted in chunks of rows whose hidden activations fit this many floats per buffer, so they stay in the caches.</summary>
    private const int ChunkFloats = 8192;

    /// <summary>
    /// A batch of at least this many rows reads its layers' weights packed into strips (<see cref="LayerLayout.PackStrips"/>),
    /// which costs a copy of them per call: FMNIST's first layer took 35 µs to pack and ran 5% faster over 1,024 rows
    /// (4.8 ms), so the copy pays from about 150 rows.
    /// </summary>
    private const int PackedRows = 256;

    /// <summary>
    /// A batch of at least this many rows reads dz packed into strips for the weight gradients. Over FMNIST's first
    /// layer, the packing included, 128 and 64 rows ran 13–20% faster so, and 32 rows no faster.
    /// </summary>
    private const int GradientStripRows = 64;

    private readonly LayerLayout[] _layers;

    // The strips of every layer that has them, one after another.
    private readonly int _stripFloats;

    /// <summary>Lays out a network.</summary>
    /// <param name="layers">The layers in order, each one's inputs the previous one's units.</param>
    /// <exception cref="ArgumentException">There is no layer, or the sizes of consecutive layers do not chain.</exception>
    public NetworkLayout(params ReadOnlySpan<LayerLayout> layers)
    {
        if (layers.IsEmpty)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        for (int i = 1; i < layers.Length; i++)
        {
            if (layers[i].Inputs != layers[i - 1].Units)
            {
                throw new ArgumentException($"Layer {i} takes {layers[i].Inputs} inputs but layer {i - 1} has {layers[i - 1].Units} units.", nameof(layers));
            }
        }

        _layers = layers.ToArray();
        for (int i = 0; i < _layers.Length - 1; i++)
        {
            MaxHiddenUnits = Math.Max(MaxHiddenUnits, _layers[i].Units);
        }

        foreach (LayerLayout layer in _layers)
        {
            _stripFloats += layer.StripFloats;
        }
    }

    /// <summary>Whether the network was declared to train: <see langword="false"/> for <c>[Network(Training = false)]</c>.</summary>
    public bool Trainable { get; init; } = true;

    /// <summary>The rate of the dropout applied to the inputs in training steps (<c>[Dropout]</c> before the first <c>[Dense]</c>), in [0, 1); 0 for none.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is outside [0, 1).</exception>
    public float InputDropout
    {
        get;
        init => field = CheckRate(value);
    }

    /// <summary>Whether any layer, or the inputs, have dropout.</summary>
    public bool HasDropout
    {
        get
        {
            if (InputDropout > 0)
            {
                return true;
            }

            foreach (LayerLayout layer in _layers)
            {
                if (layer.Dropout > 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The layers in order.</summary>
    public ReadOnlySpan<LayerLayout> Layers => _layers;

    /// <summary>The units of the widest layer below the last: the room a row of hidden activations needs.</summary>
    public int MaxHiddenUnits { get; }

    /// <summary>
    /// Computes the outputs of a batch, a chunk of rows at a time: the products store ReLU's output
    /// directly, other activations are applied in place after them, and the hidden rows alternate between
    /// two buffers on the stack. A batch of <see cref="PackedRows"/> rows or more first packs the weights of
    /// its long panel layers into strips, in a pooled buffer.
    /// </summary>
    /// <param name="parameters">The network's parameter storage, padding included.</param>
    /// <param name="inputs">The rows of inputs.</param>
    /// <param name="outputs">Receives the rows of outputs.</param>
    /// <param name="rows">How many rows.</param>
    public void PredictBatch(ReadOnlySpan<float> parameters, ReadOnlySpan<float> inputs, Span<float> outputs, int rows)
    {
        int width = Math.Max(MaxHiddenUnits, 1);

        // A whole number of the products' widest blocks of rows, so that only the batch's last rows take the narrower
        // ones: FMNIST's chunks of 32 rows left two rows each to the one-row kernel, which took 9% of the batch's
        // samples in a profile, for 6% of its rows.
        int fit = Math.Max(ChunkFloats / width, 1);
        int chunk = Math.Min(fit >= LayerProducts.WideBlock ? fit / LayerProducts.WideBlock * LayerProducts.WideBlock : fit, Math.Max(rows, 1));
        Span<float> even = AlignedArray.Within(stackalloc float[AlignedArray.Padded(chunk * width)], chunk * width);
        Span<float> odd = AlignedArray.Within(stackalloc float[AlignedArray.Padded(chunk * width)], chunk * width);
        int inputWidth = _layers[0].Inputs;
        int outputWidth = _layers[^1].Units;
        float[]? strips = rows >= PackedRows && _stripFloats > 0 ? ArrayPool<float>.Shared.Rent(_stripFloats) : null;
        try
        {
            if (strips is not null)
            {
                int offset = 0;
                foreach (LayerLayout layer in _layers)
                {
                    if (layer.StripFloats > 0)
                    {
                        layer.PackStrips(parameters, strips.AsSpan(offset, layer.StripFloats));
                        offset += layer.StripFloats;
                    }
                }
            }

            for (int start = 0; start < rows; start += chunk)
            {
                int count = Math.Min(chunk, rows - start);
                scoped ReadOnlySpan<float> x = inputs.Slice(start * inputWidth, count * inputWidth);
                int offset = 0;
                for (int i = 0; i < _layers.Length; i++)
                {
                    LayerLayout layer = _layers[i];
                    Span<float> z = i == _layers.Length - 1 ? outputs.Slice(start * outputWidth, count * outputWidth) : (i % 2 == 0 ? even : odd).Slice(0, count * layer.Units);
                    bool rectified = layer.Layout == WeightLayout.Panels && layer.Activation == Activation.ReLU;
                    if (strips is not null && layer.StripFloats > 0)
                    {
                        layer.ForwardStrips(parameters, strips.AsSpan(offset, layer.StripFloats), x, z, count, rectified);
                        offset += layer.StripFloats;
                    }
                    else
                    {
                        layer.Forward(parameters, x, z, count, 0, layer.Slices, rectified);
                    }

                    if (!rectified && layer.Activation != Activation.Linear)
                    {
                        ActivationKernels.Forward(layer.Activation, z, z, layer.Units);
                    }

                    x = z;
                }
            }
        }
        finally
        {
            if (strips is not null)
            {
                ArrayPool<float>.Shared.Return(strips);
            }
        }
    }

    /// <summary>
    /// The slices of one layer that part <paramref name="part"/> of <paramref name="parts"/> computes: the part-th
    /// of <paramref name="parts"/> runs of whole slices; of a Softmax layer, whose units depend on each other, all
    /// of them for part 0 and none for the others.
    /// </summary>
    /// <param name="layer">The layer.</param>
    /// <param name="part">Which part.</param>
    /// <param name="parts">How many parts.</param>
    public (int First, int End) PartSlices(int layer, int part, int parts)
    {
        LayerLayout l = _layers[layer];
        return l.Activation != Activation.Softmax ? Share(l, part, parts) : part == 0 ? (0, l.Slices) : (0, 0);
    }

    /// <summary>
    /// Runs part of one layer of the training forward pass over a batch: the pre-activations and activations
    /// of the part-th of <paramref name="parts"/> runs of the layer's slices for every row; a panel layer above
    /// the first also copies its share of the weights to the [units, inputs] layout the backward pass reads.
    /// A Softmax layer is computed whole by part 0.
    /// </summary>
    /// <param name="parameters">The network's parameter storage, padding included.</param>
    /// <param name="layer">The layer.</param>
    /// <param name="inputs">The batch's features.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="buffers">The batch's buffers.</param>
    /// <param name="part">Which part.</param>
    /// <param name="parts">How many parts.</param>
    public void ForwardLayer(ReadOnlySpan<float> parameters, int layer, ReadOnlySpan<float> inputs, int rows, TrainingBuffers buffers, int part, int parts)
    {
        LayerLayout l = _layers[layer];
        bool whole = l.Activation == Activation.Softmax;
        if (whole && part != 0)
        {
            return;
        }

        (int first, int end) = whole ? (0, l.Slices) : Share(l, part, parts);
        Span<float> z = buffers.PreActivations(layer, rows);
        Span<float> a = buffers.Activations(layer, rows);
        l.Forward(parameters, LayerInputs(layer, inputs, rows, buffers), z, rows, first, end, rectify: false);
        (int from, int count) = l.UnitsOf(first, end);
        if (layer > 0 && l.Layout == WeightLayout.Panels && !buffers.Inference)
        {
            // Whole panels, so the copy is of the panels' own runs of memory.
            Layouts.PanelsToCanonical(
                parameters.Slice(l.Weights + (from * l.Inputs), count * l.Inputs), buffers.CanonicalWeights(layer).Slice(from * l.Inputs, count * l.Inputs), l.Inputs, count, LayerProducts.PanelWidth);
        }

        if (count == l.Units)
        {
            ActivationKernels.Forward(l.Activation, z, a, l.Units);
        }
        else
        {
            for (int r = 0; r < rows; r++)
            {
                int row = (r * l.Units) + from;
                ActivationKernels.Forward(l.Activation, z.Slice(row, count), a.Slice(row, count), count);
            }
        }

        if (l.Dropout > 0 && buffers.DropoutRoom)
        {
            Span<float> dropped = buffers.DroppedActivations(layer, rows);
            Span<float> scales = buffers.DropoutScales(layer, rows);
            uint key = DropoutMasks.SiteKey(buffers.DropoutKey, layer + 1);
            for (int r = 0; r < rows; r++)
            {
                int row = (r * l.Units) + from;
                DropoutMasks.Apply(a.Slice(row, count), dropped.Slice(row, count), scales.Slice(row, count), key, row, l.Dropout);
            }
        }
    }

    /// <summary>
    /// Drops the inputs of a training step, before the first layer's forward pass reads them: a no-op without
    /// input dropout. It covers every row at once, so it runs before the first layer's parts.
    /// </summary>
    /// <param name="inputs">The batch's features.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="buffers">The batch's buffers, whose key sets the masks.</param>
    internal void DropInputs(ReadOnlySpan<float> inputs, int rows, TrainingBuffers buffers)
    {
        if (HasDropout && !buffers.DropoutRoom && !buffers.Inference)
        {
            throw new ArgumentException("The network has dropout but the buffers were made without room for it; let a TrainingSession make them.", nameof(buffers));
        }

        if (InputDropout > 0 && buffers.DropoutRoom)
        {
            int count = rows * _layers[0].Inputs;
            DropoutMasks.Apply(inputs[..count], buffers.DroppedInputs(rows), buffers.InputDropoutScales(rows), DropoutMasks.SiteKey(buffers.DropoutKey, 0), 0, InputDropout);
        }
    }

    /// <summary>
    /// Adds the gradients of the weight penalties (<see cref="LayerLayout.L1"/>, <see cref="LayerLayout.L2"/>) of the
    /// part-th of <paramref name="parts"/> runs of every layer's slices to <paramref name="gradients"/>, and returns
    /// those weights' penalty: <c>Σ L1·|w| + L2·w²</c>. Biases are not penalised, as in Keras' <c>kernel_regularizer</c>.
    /// </summary>
    /// <param name="parameters">The network's parameter storage.</param>
    /// <param name="gradients">The gradients, in the storage's layout; empty to compute only the penalty.</param>
    /// <param name="part">Which part.</param>
    /// <param name="parts">How many parts.</param>
    internal double Regularize(ReadOnlySpan<float> parameters, Span<float> gradients, int part, int parts)
    {
        double penalty = 0;
        foreach (LayerLayout l in _layers)
        {
            if (l.L1 > 0 || l.L2 > 0)
            {
                (int start, int length, _, _) = l.PartRuns(part, parts);
                penalty += WeightPenalty.Apply(parameters.Slice(start, length), gradients.IsEmpty ? gradients : gradients.Slice(start, length), l.L1, l.L2);
            }
        }

        return penalty;
    }

    /// <summary>Whether a layer has a weight penalty.</summary>
    internal bool Regularized
    {
        get
        {
            foreach (LayerLayout layer in _layers)
            {
                if (layer.L1 > 0 || layer.L2 > 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Returns a weight penalty, which must be finite and not negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    internal static float CheckPenalty(float value) =>
        value >= 0 && float.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A weight penalty must be finite and not negative.");

    /// <summary>Returns a dropout rate, which must lie in [0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is NaN or outside [0, 1).</exception>
    internal static float CheckRate(float rate) =>
        rate is >= 0 and < 1 ? rate : throw new ArgumentOutOfRangeException(nameof(rate), rate, "A dropout rate must be in [0, 1).");

    /// <summary>What layer <paramref name="layer"/> reads in training: the features or the layer below's activations, after their dropout where they have one and the buffers hold room for it.</summary>
    private ReadOnlySpan<float> LayerInputs(int layer, ReadOnlySpan<float> inputs, int rows, TrainingBuffers buffers) =>
        layer == 0
            ? (InputDropout > 0 && buffers.DropoutRoom ? buffers.DroppedInputs(rows) : inputs)
            : (_layers[layer - 1].Dropout > 0 && buffers.DropoutRoom ? buffers.DroppedActivations(layer - 1, rows) : buffers.Activations(layer - 1, rows));

    /// <summary>
    /// Turns the buffers' output gradient into every layer's gradient with respect to its pre-activations,
    /// through the weights as the forward pass copied them (or, for unit-major layers, the parameters).
    /// </summary>
    /// <param name="parameters">The network's parameter storage, padding included.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="buffers">The buffers the forward pass filled.</param>
    public void Backpropagate(ReadOnlySpan<float> parameters, int rows, TrainingBuffers buffers)
    {
        int last = _layers.Length - 1;
        Span<float> gradient = buffers.OutputGradient(rows);
        if (!buffers.OutputGradientIsPreActivation)
        {
            ActivationKernels.Backward(_layers[last].Activation, buffers.PreActivations(last, rows), buffers.Activations(last, rows), gradient, _layers[last].Units);
        }

        for (int i = last; i > 0; i--)
        {
            LayerLayout l = _layers[i];
            ReadOnlySpan<float> weights = l.Layout == WeightLayout.UnitMajor ? parameters.Slice(l.Weights, l.Inputs * l.Units) : buffers.CanonicalWeights(i);
            Span<float> below = buffers.LayerGradient(i - 1, rows);
            l.InputGradient(weights, gradient, below, rows);
            if (_layers[i - 1].Dropout > 0 && buffers.DropoutRoom)
            {
                // The layer read the dropped activations, so the gradient reaching the ones kept is scaled as they were.
                VectorSum.Multiply(below, buffers.DropoutScales(i - 1, rows));
            }

            ActivationKernels.Backward(_layers[i - 1].Activation, buffers.PreActivations(i - 1, rows), buffers.Activations(i - 1, rows), below, l.Inputs);
            gradient = below;
        }
    }

    /// <summary>
    /// Carries the buffers' output gradient down to the inputs, as explanations need: every layer's input gradient read
    /// from the parameters where they are (the inference-mode forward pass copies no weights), and the first layer's
    /// into <paramref name="inputGradients"/>.
    /// </summary>
    /// <param name="parameters">The network's parameter storage.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="buffers">The buffers the forward pass filled, with the output gradient set.</param>
    /// <param name="inputGradients">Receives the gradient with respect to the inputs, row-major.</param>
    /// <param name="scratch">Room for a batch's transposed gradients: <see cref="InputGradientScratch"/> floats.</param>
    internal void BackpropagateToInputs(ReadOnlySpan<float> parameters, int rows, TrainingBuffers buffers, Span<float> inputGradients, Span<float> scratch)
    {
        int last = _layers.Length - 1;
        Span<float> gradient = buffers.OutputGradient(rows);
        if (!buffers.OutputGradientIsPreActivation)
        {
            ActivationKernels.Backward(_layers[last].Activation, buffers.PreActivations(last, rows), buffers.Activations(last, rows), gradient, _layers[last].Units);
        }

        for (int i = last; i > 0; i--)
        {
            Span<float> below = buffers.LayerGradient(i - 1, rows);
            _layers[i].InputGradientFromParameters(parameters, gradient, below, rows, scratch);
            ActivationKernels.Backward(_layers[i - 1].Activation, buffers.PreActivations(i - 1, rows), buffers.Activations(i - 1, rows), below, _layers[i].Inputs);
            gradient = below;
        }

        _layers[0].InputGradientFromParameters(parameters, gradient, inputGradients, rows, scratch);
    }

    /// <summary>The scratch <see cref="BackpropagateToInputs"/> needs for batches of <paramref name="rows"/> rows.</summary>
    internal int InputGradientScratch(int rows)
    {
        int widest = 0;
        foreach (LayerLayout layer in _layers)
        {
            widest = Math.Max(widest, (2 * layer.Inputs) + layer.Units);
        }

        return widest * rows;
    }

    /// <summary>
    /// Overwrites the gradients of the weights and biases of the part-th of <paramref name="parts"/> runs of
    /// every layer's slices, over all rows, from the layer gradients <see cref="Backpropagate"/> left.
    /// </summary>
    /// <param name="inputs">The batch's features.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="buffers">The buffers the backward pass filled.</param>
    /// <param name="part">Which part.</param>
    /// <param name="parts">How many parts.</param>
    public void ComputeGradients(ReadOnlySpan<float> inputs, int rows, TrainingBuffers buffers, int part, int parts)
    {
        Span<float> gradients = buffers.Gradients;
        for (int i = 0; i < _layers.Length; i++)
        {
            LayerLayout l = _layers[i];
            (int first, int end) = Share(l, part, parts);
            Span<float> strips = rows >= GradientStripRows ? buffers.GradientStrips(i, rows) : [];
            l.Gradients(LayerInputs(i, inputs, rows, buffers), buffers.LayerGradient(i, rows), strips, gradients, rows, first, end);
        }
    }

    /// <summary>Copies a parameter-sized buffer from the storage's layout to PyTorch's.</summary>
    /// <param name="source">The buffer in the storage's layout.</param>
    /// <param name="destination">Receives it in PyTorch's layout.</param>
    public void ToCanonical(ReadOnlySpan<float> source, Span<float> destination)
    {
        foreach (LayerLayout layer in _layers)
        {
            layer.ToCanonical(source, destination);
        }
    }

    /// <summary>Copies a parameter-sized buffer from PyTorch's layout to the storage's.</summary>
    /// <param name="source">The buffer in PyTorch's layout.</param>
    /// <param name="destination">Receives it in the storage's layout.</param>
    public void FromCanonical(ReadOnlySpan<float> source, Span<float> destination)
    {
        foreach (LayerLayout layer in _layers)
        {
            layer.FromCanonical(source, destination);
        }
    }

    /// <summary>The slices of the part-th of <paramref name="parts"/> runs of a layer's slices.</summary>
    private static (int First, int End) Share(LayerLayout layer, int part, int parts) => layer.Share(part, parts);
}
