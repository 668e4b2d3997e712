using System;
using System.Collections.Generic;
using System.IO;

namespace StaticNet;

/// <summary>Models written as ONNX graphs, for ONNX Runtime and every tool that reads ONNX.</summary>
public static partial class ModelFile
{
    /// <summary>
    /// Saves the network as an ONNX model (opset 13): a Gemm per layer and each activation as the ONNX operator
    /// of the same definition or its exact decomposition, with a float input <c>input</c> [batch, inputs] and
    /// output <c>output</c> [batch, outputs]. Written atomically, as <see cref="Save(INetwork, string, FeatureScaling, Optimizer, System.Collections.Generic.IReadOnlyDictionary{string, string})"/> writes.
    /// </summary>
    /// <param name="network">The network to save.</param>
    /// <param name="path">The file to create or replace, usually <c>*.onnx</c>.</param>
    /// <exception cref="InvalidOperationException">A parameter is NaN or infinite; nothing is written.</exception>
    /// <exception cref="IOException">The file system refused the file; the message starts with the path.</exception>
    public static void SaveOnnx(this INetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        Action<Stream> write = PrepareOnnx(network);
        AtomicFile.Write(path, write);
    }

    /// <summary>Writes the network's ONNX model to a stream, as <see cref="SaveOnnx(INetwork, string)"/> writes a file.</summary>
    /// <param name="network">The network to save.</param>
    /// <param name="destination">Where the bytes go; left open.</param>
    /// <exception cref="InvalidOperationException">A parameter is NaN or infinite; nothing is written.</exception>
    public static void SaveOnnx(this INetwork network, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(destination);
        PrepareOnnx(network)(destination);
    }

    private static Action<Stream> PrepareOnnx(INetwork network)
    {
        NetworkShape shape = network.Shape;
        float[] canonical = new float[shape.ParameterCount];
        network.CopyParametersTo(canonical);
        int bad = FirstNonFinite(canonical);
        if (bad >= 0)
        {
            throw new InvalidOperationException(
                $"{network.GetType().Name}'s parameter {bad} (in PyTorch's layout) is {canonical[bad]}; a model with non-finite parameters is not saved.");
        }

        return stream => OnnxExport.Write(shape, canonical, stream);
    }

    /// <summary>
    /// Creates a <typeparamref name="TNetwork"/> with the weights of an ONNX multilayer perceptron: a chain of
    /// Gemm (or MatMul and Add) nodes with supported activations, as PyTorch's <c>torch.onnx.export</c> writes an
    /// <c>nn.Sequential</c> of Linear layers and as <see cref="SaveOnnx(INetwork, string)"/> writes. The layers'
    /// shapes and activations must be the network's.
    /// </summary>
    /// <typeparam name="TNetwork">The generated network class to create.</typeparam>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <returns>The network.</returns>
    /// <exception cref="ModelFileException">
    /// The file is not such a model, or holds another architecture; the message says which, naming the node, or
    /// both architectures.
    /// </exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">Another failure of the file system; the message starts with the path.</exception>
    public static TNetwork LoadOnnx<TNetwork>(string path)
        where TNetwork : INetwork, new()
    {
        var network = new TNetwork();
        LoadOnnxInto(network, path);
        return network;
    }

    /// <summary>Creates a <typeparamref name="TNetwork"/> with the weights of an ONNX model read from a stream, as <see cref="LoadOnnx{TNetwork}(string)"/> reads a file.</summary>
    /// <typeparam name="TNetwork">The generated network class to create.</typeparam>
    /// <param name="source">The model's bytes, read to the end; left open.</param>
    /// <param name="name">The name errors give the source; <c>&lt;stream&gt;</c> by default.</param>
    /// <returns>The network.</returns>
    /// <exception cref="ModelFileException">The bytes are not such a model, or hold another architecture.</exception>
    public static TNetwork LoadOnnx<TNetwork>(Stream source, string? name = null)
        where TNetwork : INetwork, new()
    {
        var network = new TNetwork();
        LoadOnnxInto(network, source, name);
        return network;
    }

    /// <summary>Replaces a network's parameters with the weights of an ONNX model file, as <see cref="LoadOnnx{TNetwork}(string)"/> reads it; a rejected file leaves the network as it was.</summary>
    /// <param name="network">The network to load into.</param>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <exception cref="ModelFileException">The file is not such a model, or holds another architecture.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">Another failure of the file system; the message starts with the path.</exception>
    public static void LoadOnnxInto(INetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] model;
        try
        {
            model = File.ReadAllBytes(path);
        }
        catch (Exception e) when (FileErrors.IsFileSystem(e))
        {
            throw FileErrors.Named(path, e, writing: false);
        }

        LoadOnnxInto(network, model, path);
    }

    /// <summary>Replaces a network's parameters with the weights of an ONNX model read from a stream; a rejected model leaves the network as it was.</summary>
    /// <param name="network">The network to load into.</param>
    /// <param name="source">The model's bytes, read to the end; left open.</param>
    /// <param name="name">The name errors give the source; <c>&lt;stream&gt;</c> by default.</param>
    /// <exception cref="ModelFileException">The bytes are not such a model, or hold another architecture.</exception>
    public static void LoadOnnxInto(INetwork network, Stream source, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(source);
        var bytes = new MemoryStream();
        source.CopyTo(bytes);
        LoadOnnxInto(network, bytes.GetBuffer().AsSpan(0, (int)bytes.Length), name ?? StreamName);
    }

    private static void LoadOnnxInto(INetwork network, ReadOnlySpan<byte> model, string source)
    {
        List<OnnxLayer> layers;
        try
        {
            layers = OnnxImport.ReadLayers(OnnxGraph.Read(model));
        }
        catch (FormatException e)
        {
            throw new ModelFileException(source, $"The ONNX model cannot be read: {e.Message}.", e);
        }

        NetworkShape shape = network.Shape;
        string architecture = OnnxImport.Describe(layers, shape);
        if (architecture != shape.ToString())
        {
            throw new ModelFileException(source, $"The file holds {architecture} but {network.GetType().Name} is {shape}.", null);
        }

        float[] canonical = new float[shape.ParameterCount];
        int offset = 0;
        for (int i = 0; i < layers.Count; i++)
        {
            layers[i].Weight.CopyTo(canonical, offset);
            layers[i].Bias?.CopyTo(canonical, offset + layers[i].Weight.Length);
            offset += shape.Layers[i].ParameterCount;
        }

        network.CopyParametersFrom(canonical);
    }
}
