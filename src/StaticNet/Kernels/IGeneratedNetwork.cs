using System;
using System.ComponentModel;
using StaticNet.Training;

namespace StaticNet.Kernels;

/// <summary>
/// The contract between a generated network and the runtime's training loop and predictors: a generated
/// class supplies its parameter storage and the table of its layers (<see cref="Layout"/>), and the
/// passes here run the runtime's kernels over them, cut into parts that threads can share. It is an
/// implementation detail that changes with the kernels; users call <see cref="INetwork"/> and the
/// runtime's types, which reach these through the generated class.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGeneratedNetwork : INetwork
{
    /// <summary>
    /// Computes part of one layer's outputs for one sample, so that several threads can share a
    /// sample (see <see cref="SplitPredictor"/>). The layer's units are cut into <paramref name="parts"/>
    /// runs along the kernels' own slices (see <see cref="SliceWidth"/>: weight panels, or blocks of a few units in narrow layers); this call
    /// writes run <paramref name="part"/> of <paramref name="z"/> and applies the activation to it. The
    /// parts of one layer may run at once; a Softmax layer, whose units depend on each other, is
    /// computed whole by part 0, and the other parts do nothing.
    /// </summary>
    /// <param name="layer">The layer, from 0.</param>
    /// <param name="part">Which part, from 0 to <paramref name="parts"/> - 1.</param>
    /// <param name="parts">How many parts the layer is cut into.</param>
    /// <param name="x">The layer's inputs: the sample, or the previous layer's outputs.</param>
    /// <param name="z">The layer's outputs, of which this part writes its own run.</param>
    /// <exception cref="ArgumentException">A span's length does not match the layer.</exception>
    /// <exception cref="ArgumentOutOfRangeException">No such layer or part.</exception>
    sealed void InferPart(int layer, int part, int parts, ReadOnlySpan<float> x, Span<float> z)
    {
        LayerLayout l = Require(layer);
        Guard.Part(part, parts);
        Guard.Width(x.Length, l.Inputs, nameof(x), this);
        Guard.Width(z.Length, l.Units, nameof(z), this);
        (int first, int end) = Layout.PartSlices(layer, part, parts);
        if (first < end)
        {
            PredictSlices(layer, x, z, stackalloc int[l.SkipsZeros ? l.Inputs : 0], first, end);
        }
    }

    /// <summary>
    /// Computes one sample's outputs of slices <paramref name="first"/> to <paramref name="end"/> (exclusive) of a
    /// layer, with its activation: the generated single-sample method of that layer, whose sizes are constants.
    /// </summary>
    /// <param name="layer">The layer, from 0.</param>
    /// <param name="x">The layer's inputs.</param>
    /// <param name="a">The layer's outputs, of which these slices' units are written.</param>
    /// <param name="listed">Room for the indices of the inputs, where the layer skips zeros.</param>
    /// <param name="first">The first slice.</param>
    /// <param name="end">The slice after the last; a Softmax layer takes all of them.</param>
    void PredictSlices(int layer, ReadOnlySpan<float> x, Span<float> a, Span<int> listed, int first, int end);

    /// <summary>
    /// How many units one slice of layer <paramref name="layer"/> holds when its work is cut into parts
    /// (<see cref="InferPart"/>, <see cref="ComputeGradients"/>): part p of n takes the slices from
    /// p · s / n to (p + 1) · s / n, of s slices in all, the last one possibly narrower.
    /// </summary>
    /// <param name="layer">The layer, from 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">No such layer.</exception>
    sealed int SliceWidth(int layer) => Require(layer).SliceWidth;

    /// <summary>Copies a parameter-sized buffer (parameters, gradients, optimizer state) from the kernel layout to the canonical layout.</summary>
    /// <param name="source">A buffer in the kernel layout, at least <see cref="NetworkShape.ParameterCount"/> long.</param>
    /// <param name="destination">Receives <see cref="NetworkShape.ParameterCount"/> values in the canonical layout.</param>
    sealed void CopyToCanonicalLayout(ReadOnlySpan<float> source, Span<float> destination)
    {
        Guard.StorageLength(source.Length, Shape.ParameterCount, nameof(source));
        Guard.StorageLength(destination.Length, Shape.ParameterCount, nameof(destination));
        Layout.ToCanonical(source, destination);
    }

    /// <summary>Copies a parameter-sized buffer from the canonical layout to the kernel layout.</summary>
    /// <param name="source"><see cref="NetworkShape.ParameterCount"/> values in the canonical layout.</param>
    /// <param name="destination">A buffer in the kernel layout, at least <see cref="NetworkShape.ParameterCount"/> long.</param>
    sealed void CopyFromCanonicalLayout(ReadOnlySpan<float> source, Span<float> destination)
    {
        Guard.StorageLength(source.Length, Shape.ParameterCount, nameof(source));
        Guard.StorageLength(destination.Length, Shape.ParameterCount, nameof(destination));
        Layout.FromCanonical(source, destination);
    }

    /// <summary>
    /// Runs the training forward pass over <paramref name="rows"/> samples, keeping every layer's
    /// pre-activations and activations in <paramref name="buffers"/> for <see cref="Backward"/>, and
    /// the weights of its panel layers in the layout the backward pass reads (<see cref="TrainingBuffers.CanonicalWeights"/>).
    /// </summary>
    /// <param name="inputs">The batch's features, row-major.</param>
    /// <param name="rows">The number of samples, at most <see cref="TrainingBuffers.MaxRows"/>.</param>
    /// <param name="buffers">Per-batch scratch made for this network's shape.</param>
    sealed void Forward(ReadOnlySpan<float> inputs, int rows, TrainingBuffers buffers)
    {
        Guard.Batch(inputs.Length, rows, buffers, this);
        Layout.DropInputs(inputs, rows, buffers);
        for (int layer = 0; layer < Shape.Layers.Count; layer++)
        {
            ForwardLayer(layer, inputs, rows, buffers, 0, 1);
        }
    }

    /// <summary>
    /// Runs part of one layer of the training forward pass over <paramref name="rows"/> samples: the
    /// pre-activations and activations of run <paramref name="part"/> of the layer's units, cut as in
    /// <see cref="InferPart"/>, for every row. The parts of one layer may run at once, each on its own
    /// thread, once the layer below is complete; each thread then reads only its own share of the
    /// layer's weights, and copies that share to <see cref="TrainingBuffers.CanonicalWeights"/> for the
    /// backward pass. A Softmax layer, whose units depend on each other, is computed whole by part 0.
    /// </summary>
    /// <param name="layer">The layer, from 0.</param>
    /// <param name="inputs">The batch's features, row-major.</param>
    /// <param name="rows">The number of samples, at most <see cref="TrainingBuffers.MaxRows"/>.</param>
    /// <param name="buffers">Per-batch scratch made for this network's shape.</param>
    /// <param name="part">Which part, from 0 to <paramref name="parts"/> - 1.</param>
    /// <param name="parts">How many parts the layer is cut into.</param>
    sealed void ForwardLayer(int layer, ReadOnlySpan<float> inputs, int rows, TrainingBuffers buffers, int part, int parts)
    {
        Guard.Batch(inputs.Length, rows, buffers, this);
        Guard.Part(part, parts);
        Require(layer);
        Layout.ForwardLayer(ParameterStorage, layer, inputs, rows, buffers, part, parts);
    }

    /// <summary>
    /// Back-propagates <see cref="TrainingBuffers.OutputGradient"/> (the gradient of the batch's
    /// loss) and overwrites <see cref="TrainingBuffers.Gradients"/> with the gradient of every
    /// parameter, in the kernel layout: <see cref="Backpropagate"/>, then
    /// <see cref="ComputeGradients"/> as one part.
    /// </summary>
    /// <param name="inputs">The same features given to <see cref="Forward"/>.</param>
    /// <param name="rows">The same number of samples.</param>
    /// <param name="buffers">The buffers <see cref="Forward"/> filled.</param>
    sealed void Backward(ReadOnlySpan<float> inputs, int rows, TrainingBuffers buffers)
    {
        Backpropagate(inputs, rows, buffers);
        ComputeGradients(inputs, rows, buffers, 0, 1);
    }

    /// <summary>
    /// Turns <see cref="TrainingBuffers.OutputGradient"/> into every layer's
    /// <see cref="TrainingBuffers.LayerGradient"/>, the gradient with respect to its pre-activations,
    /// through the weights as the forward pass copied them to the buffers (or, for layers stored unit-major,
    /// the parameters themselves).
    /// Rows are independent here: <see cref="TrainingSession"/> has each of its threads pass its own rows.
    /// </summary>
    /// <param name="inputs">The same features given to <see cref="Forward"/>.</param>
    /// <param name="rows">The same number of samples.</param>
    /// <param name="buffers">The buffers <see cref="Forward"/> filled.</param>
    sealed void Backpropagate(ReadOnlySpan<float> inputs, int rows, TrainingBuffers buffers)
    {
        Guard.Batch(inputs.Length, rows, buffers, this);
        Layout.Backpropagate(ParameterStorage, rows, buffers);
    }

    /// <summary>
    /// Overwrites part of <see cref="TrainingBuffers.Gradients"/> with the gradient of the weights and
    /// biases over all <paramref name="rows"/>, from the layer gradients <see cref="Backpropagate"/> left.
    /// Each layer's units are cut into <paramref name="parts"/> runs along the kernels' slices, as in
    /// <see cref="InferPart"/>; this call writes the parameters of run <paramref name="part"/> of every
    /// layer, so the parts of one batch may run at once, each on its own thread.
    /// </summary>
    /// <param name="inputs">The same features given to <see cref="Forward"/>.</param>
    /// <param name="rows">The same number of samples.</param>
    /// <param name="buffers">The buffers <see cref="Backpropagate"/> filled.</param>
    /// <param name="part">Which part, from 0 to <paramref name="parts"/> - 1.</param>
    /// <param name="parts">How many parts the layers are cut into.</param>
    sealed void ComputeGradients(ReadOnlySpan<float> inputs, int rows, TrainingBuffers buffers, int part, int parts)
    {
        Guard.Batch(inputs.Length, rows, buffers, this);
        Guard.Part(part, parts);
        Layout.ComputeGradients(inputs, rows, buffers, part, parts);
    }

    /// <summary>
    /// The parameters as <see cref="INetwork.Parameters"/>, followed by the storage's padding of zeros to whole
    /// widest vectors (<see cref="ParameterStorage.Length"/> in all): the buffer optimizer steps run over
    /// (<see cref="OptimizerSteps"/>), a vector at a time and in ranges that threads share.
    /// </summary>
    Span<float> ParameterStorage { get; }

    /// <summary>The layers as the parameter storage lays them out: the table the generated class declares.</summary>
    NetworkLayout Layout { get; }

    private LayerLayout Require(int layer)
    {
        ReadOnlySpan<LayerLayout> layers = Layout.Layers;
        if ((uint)layer >= (uint)layers.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"{GetType().Name} has layers 0 to {layers.Length - 1}.");
        }

        return layers[layer];
    }
}

/// <summary>Finds the generated kernels behind a network the caller gave.</summary>
internal static class GeneratedNetworks
{
    /// <summary>Returns <paramref name="network"/> as the generated class it must be for training and splitting.</summary>
    /// <exception cref="ArgumentException">The network is some other implementation of <see cref="INetwork"/>.</exception>
    public static IGeneratedNetwork Require(INetwork network, string parameterName) =>
        network as IGeneratedNetwork ?? throw new ArgumentException(
            $"'{network.GetType().Name}' implements INetwork but was not generated by StaticNet, so it has no kernels to train or share among threads; " +
            "declare the network with [Network] and [Dense] on a partial class.",
            parameterName);

    /// <summary>Returns <paramref name="network"/> as the generated class it must be for training, declared to train.</summary>
    /// <exception cref="ArgumentException">The network is some other implementation of <see cref="INetwork"/>.</exception>
    /// <exception cref="InvalidOperationException">The network is declared with <c>Training = false</c>.</exception>
    public static IGeneratedNetwork RequireTrainable(INetwork network, string parameterName)
    {
        IGeneratedNetwork kernels = Require(network, parameterName);
        return kernels.Layout.Trainable ? kernels : throw new InvalidOperationException(
            $"'{network.GetType().Name}' is declared with [Network(Training = false)], for inference only, so it cannot be trained; remove Training = false to train it.");
    }
}
