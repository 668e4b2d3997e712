using System;

namespace StaticNet;

/// <summary>
/// A network whose code the StaticNet generator wrote for one declared architecture. Classes
/// marked with <see cref="NetworkAttribute"/> implement it; the training loop, predictors and model
/// files take it.
/// </summary>
/// <remarks>
/// The parameters are kept in the layout the generated kernels read fastest, which is not
/// necessarily PyTorch's. <see cref="CopyParametersTo"/> and <see cref="CopyParametersFrom"/> read
/// and write them in PyTorch's layout: per layer, the weights as [units, inputs] row-major, then the
/// biases.
/// <para>
/// Thread safety: <see cref="Predict"/> and <see cref="PredictBatch"/> only read the parameters, so
/// any number of threads may call them at once. Nothing guards the parameters against writers: while
/// one thread trains the network or loads parameters into it (<see cref="ModelFile.LoadInto(INetwork, string)"/>,
/// <see cref="CopyParametersFrom"/>, writes to <see cref="Parameters"/>), a prediction on another
/// thread raises no error but may use some old and some new parameters. To replace a model under
/// concurrent use, load into a second instance and swap the reference.
/// </para>
/// </remarks>
public interface INetwork
{
    /// <summary>The architecture: inputs, layers, activations.</summary>
    NetworkShape Shape { get; }

    /// <summary>The weights and biases, in the generated kernels' layout.</summary>
    Span<float> Parameters { get; }

    /// <summary>
    /// Computes the outputs of one sample. Allocates nothing and is safe to call from several
    /// threads at once; not against a thread that changes the parameters (training, loading),
    /// which makes no error but may mix old and new parameters.
    /// </summary>
    /// <param name="input">The sample's features; exactly <see cref="NetworkShape.Inputs"/> values.</param>
    /// <param name="output">Receives exactly <see cref="NetworkShape.Outputs"/> values.</param>
    /// <exception cref="ArgumentException">A span's length does not match the network.</exception>
    void Predict(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Computes the outputs of many samples stored row-major. Allocates nothing and is thread-safe.</summary>
    /// <param name="inputs">Whole rows of <see cref="NetworkShape.Inputs"/> values.</param>
    /// <param name="outputs">Receives as many rows of <see cref="NetworkShape.Outputs"/> values.</param>
    /// <exception cref="ArgumentException">The spans do not hold the same number of whole rows.</exception>
    void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs);

    /// <summary>Copies the parameters in PyTorch's layout: per layer, the weights as [units, inputs] row-major, then the biases.</summary>
    /// <param name="destination">Receives <see cref="NetworkShape.ParameterCount"/> values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than the parameters.</exception>
    void CopyParametersTo(Span<float> destination);

    /// <summary>Replaces the parameters with values in PyTorch's layout, as <see cref="CopyParametersTo"/> writes them.</summary>
    /// <param name="source"><see cref="NetworkShape.ParameterCount"/> values.</param>
    /// <exception cref="ArgumentException"><paramref name="source"/> holds another number of values.</exception>
    void CopyParametersFrom(ReadOnlySpan<float> source);
}
