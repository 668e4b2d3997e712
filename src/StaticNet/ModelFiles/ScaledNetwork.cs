using System;
using System.Buffers;

namespace StaticNet;

/// <summary>
/// A network together with the feature scaling it was trained with: predictions scale raw
/// features first, and the pair is saved to and loaded from one model file.
/// </summary>
/// <typeparam name="TNetwork">The generated network class.</typeparam>
public sealed class ScaledNetwork<TNetwork>
    where TNetwork : INetwork, new()
{
    private const int StackLimit = 1024;

    /// <summary>Pairs a trained network with the scaling fitted on its training data.</summary>
    /// <exception cref="ArgumentException">The scaling's feature count is not the network's input count.</exception>
    public ScaledNetwork(TNetwork network, FeatureScaling scaling)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(scaling);
        if (scaling.FeatureCount != network.Shape.Inputs)
        {
            throw new ArgumentException($"The scaling has {scaling.FeatureCount} features but {typeof(TNetwork).Name} takes {network.Shape.Inputs} inputs.", nameof(scaling));
        }

        Network = network;
        Scaling = scaling;
    }

    /// <summary>The network, which takes scaled features.</summary>
    public TNetwork Network { get; }

    /// <summary>The scaling applied to raw features before the network.</summary>
    public FeatureScaling Scaling { get; }

    /// <summary>Loads a model file saved with a scaling.</summary>
    /// <exception cref="ModelFileException">The file is invalid, holds another architecture, or has no scaling.</exception>
    /// <exception cref="System.IO.IOException">The file system refuses the file (<see cref="ModelFile.LoadInto(INetwork, string)"/> lists the types); the message starts with the path.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a directory, or reading it is not permitted.</exception>
    public static ScaledNetwork<TNetwork> Load(string path)
    {
        TNetwork network = ModelFile.Load<TNetwork>(path, out FeatureScaling? scaling);
        return scaling is null
            ? throw new ModelFileException(path, "The file holds no feature scaling; load it with ModelFile.Load instead.", null)
            : new ScaledNetwork<TNetwork>(network, scaling);
    }

    /// <summary>Saves the network and its scaling to one file, atomically, as <see cref="ModelFile.Save(INetwork, string, FeatureScaling, Optimizer, System.Collections.Generic.IReadOnlyDictionary{string, string})"/> does.</summary>
    /// <exception cref="System.IO.IOException">The file system refuses the file (<see cref="ModelFile.Save(INetwork, string, FeatureScaling, Optimizer, System.Collections.Generic.IReadOnlyDictionary{string, string})"/> lists the types); the message starts with the path.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a directory, or writing is not permitted.</exception>
    public void Save(string path) => Network.Save(path, Scaling);

    /// <summary>Scales one sample's raw features and computes its outputs. Allocates nothing and is thread-safe.</summary>
    /// <param name="input">The raw features.</param>
    /// <param name="output">Receives the outputs.</param>
    /// <exception cref="ArgumentException">A span's length does not match the network.</exception>
    public void Predict(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length != Scaling.FeatureCount)
        {
            throw new ArgumentException($"The input has {input.Length} values but {typeof(TNetwork).Name} takes {Scaling.FeatureCount}.", nameof(input));
        }

        float[]? rented = null;
        Span<float> scaled = input.Length <= StackLimit
            ? stackalloc float[input.Length]
            : (rented = ArrayPool<float>.Shared.Rent(input.Length)).AsSpan(0, input.Length);
        Scaling.Apply(input, scaled);
        Network.Predict(scaled, output);
        if (rented is not null)
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }
}
