using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

using StaticNet.Training.Metrics;

namespace StaticNet;

/// <summary>
/// A network with the <see cref="FeatureSpace"/> that turns raw table rows into its inputs: saved together in
/// one model file, loaded together, and asked about rows as a CSV file holds them, text and missing cells
/// included, answering with the class name and the probabilities, or the regression values. It generalises
/// <see cref="ScaledNetwork{TNetwork}"/> from scaling alone to the whole preprocessing.
/// </summary>
/// <typeparam name="TNetwork">The generated network class.</typeparam>
public sealed class TabularModel<TNetwork>
    where TNetwork : INetwork, new()
{
    /// <summary>Pairs a network with the feature space its inputs come from.</summary>
    /// <param name="network">The network; its inputs must be the feature space's features, its outputs its targets.</param>
    /// <param name="features">The fitted feature space.</param>
    /// <exception cref="ArgumentException">The network's widths do not match the feature space's.</exception>
    public TabularModel(TNetwork network, FeatureSpace features)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(features);
        NetworkShape shape = network.Shape;
        if (shape.Inputs != features.FeatureCount || shape.Outputs != features.TargetCount)
        {
            throw new ArgumentException(
                $"{typeof(TNetwork).Name} takes {shape.Inputs} inputs and has {shape.Outputs} outputs, but the feature space makes " +
                $"{features.FeatureCount} features and {features.TargetCount} targets; declare [Network(Inputs = {features.FeatureCount})] with {features.TargetCount} outputs.",
                nameof(network));
        }

        Network = network;
        Features = features;
    }

    /// <summary>The network.</summary>
    public TNetwork Network { get; }

    /// <summary>The preprocessing of its inputs.</summary>
    public FeatureSpace Features { get; }

    /// <summary>Loads a model file saved by <see cref="Save(string, Optimizer)"/>: the network's parameters and its feature space.</summary>
    /// <param name="path">The safetensors file.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ModelFileException">The file is invalid, holds another architecture, holds no feature space, or a damaged one; the message says what is wrong.</exception>
    /// <exception cref="System.IO.IOException">The file system refuses the file (<see cref="ModelFile.LoadInto(INetwork, string)"/> lists the types); the message starts with the path.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a directory, or reading it is not permitted.</exception>
    public static TabularModel<TNetwork> Load(string path)
    {
        var network = new TNetwork();
        ModelFile.LoadWithMetadata(network, path, null, out IReadOnlyDictionary<string, string> metadata);
        return Create(network, metadata, path);
    }

    /// <summary>Loads a model saved by <see cref="Save(Stream, Optimizer)"/> from a stream, such as an embedded resource, with the checks of a file.</summary>
    /// <param name="source">The model file's bytes from where the stream stands; left open.</param>
    /// <param name="name">The name errors give the source; <c>&lt;stream&gt;</c> by default.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ModelFileException">The bytes are not a valid model file, hold another architecture, or hold no feature space or a damaged one.</exception>
    public static TabularModel<TNetwork> Load(Stream source, string? name = null)
    {
        var network = new TNetwork();
        ModelFile.LoadWithMetadata(network, source, name, out IReadOnlyDictionary<string, string> metadata);
        return Create(network, metadata, name ?? "<stream>");
    }

    /// <summary>Writes the network and its feature space to a stream, the bytes <see cref="Save(string, Optimizer)"/> writes to a file.</summary>
    /// <param name="destination">Where the bytes go; left open.</param>
    /// <param name="optimizer">The optimizer whose state to save as well, or null.</param>
    public void Save(Stream destination, Optimizer? optimizer = null) =>
        ModelFile.SaveWithMetadata(Network, destination, optimizer, new Dictionary<string, string> { [FeatureSpace.MetadataKey] = Features.ToJson() });

    private static TabularModel<TNetwork> Create(TNetwork network, IReadOnlyDictionary<string, string> metadata, string path)
    {
        if (!metadata.TryGetValue(FeatureSpace.MetadataKey, out string? json))
        {
            throw new ModelFileException(path, "The file holds no feature space; load it with ModelFile.Load, or save it with TabularModel.", null);
        }

        FeatureSpace features = FeatureSpace.FromJson(json, path);
        try
        {
            return new TabularModel<TNetwork>(network, features);
        }
        catch (ArgumentException e)
        {
            throw new ModelFileException(path, $"The metadata's {FeatureSpace.MetadataKey} does not fit the network: {e.Message}", e);
        }
    }

    /// <summary>Saves the network and its feature space to one file, atomically, as <see cref="ModelFile.Save(INetwork, string, FeatureScaling, Optimizer, System.Collections.Generic.IReadOnlyDictionary{string, string})"/> does; PyTorch still reads the weights.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="optimizer">The optimizer whose state to save as well, to resume training, or null.</param>
    /// <exception cref="System.IO.IOException">The file system refuses the file (<see cref="ModelFile.Save(INetwork, string, FeatureScaling, Optimizer, System.Collections.Generic.IReadOnlyDictionary{string, string})"/> lists the types); the message starts with the path.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a directory, or writing is not permitted.</exception>
    public void Save(string path, Optimizer? optimizer = null) =>
        ModelFile.SaveWithMetadata(Network, path, null, optimizer, new Dictionary<string, string> { [FeatureSpace.MetadataKey] = Features.ToJson() });

    /// <summary>Predicts from one raw row, its cells as text in <see cref="FeatureSpace.InputColumns"/> order.</summary>
    /// <param name="cells">The row's cells, as a CSV file holds them.</param>
    /// <returns>The outputs, and for a classifier the most probable class.</returns>
    /// <exception cref="ArgumentException">The number of cells is not the input columns'.</exception>
    /// <exception cref="FormatException">A cell cannot be encoded; the message names the column and the value.</exception>
    public TabularPrediction Predict(ReadOnlySpan<string?> cells)
    {
        float[] features = new float[Features.FeatureCount];
        Features.Encode(cells, features);
        return Predict(features);
    }

    /// <summary>Predicts from one raw record, its cells as text by column name; a column it lacks is missing.</summary>
    /// <inheritdoc cref="Predict(ReadOnlySpan{string})"/>
    public TabularPrediction Predict(IReadOnlyDictionary<string, string?> record)
    {
        float[] features = new float[Features.FeatureCount];
        Features.Encode(record, features);
        return Predict(features);
    }

    /// <summary>Predicts every row of a table, as read from a CSV file (its target columns, if any, are not used).</summary>
    /// <param name="table">The rows.</param>
    /// <returns>One prediction per row, in order.</returns>
    /// <exception cref="ArgumentException">The table lacks an input column.</exception>
    /// <exception cref="DataFormatException">A cell cannot be encoded; the message names the line, column and value.</exception>
    public IReadOnlyList<TabularPrediction> Predict(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        float[] features = Features.EncodeRows(table);
        float[] outputs = new float[table.Count * Network.Shape.Outputs];
        Network.PredictBatch(features, outputs);
        return [.. Enumerable.Range(0, table.Count).Select(row => Prediction(outputs.AsSpan(row * Network.Shape.Outputs, Network.Shape.Outputs).ToArray()))];
    }

    /// <summary>Scores the model on a table with its targets, as <see cref="NetworkTraining.Evaluate(INetwork, Dataset, Loss, Metric[])"/> does on its encoding.</summary>
    /// <param name="table">Rows with their targets.</param>
    /// <param name="loss">The loss to report.</param>
    /// <param name="metrics">The metrics to report.</param>
    /// <returns>The loss and metrics.</returns>
    /// <exception cref="DataFormatException">A row cannot be encoded; the message names the line, column and value.</exception>
    public Evaluation Evaluate(CsvTable table, Loss loss, params Metric[] metrics) => Network.Evaluate(Features.Transform(table), loss, metrics);

    private TabularPrediction Predict(float[] features)
    {
        float[] outputs = new float[Network.Shape.Outputs];
        Network.Predict(features, outputs);
        return Prediction(outputs);
    }

    private TabularPrediction Prediction(float[] outputs)
    {
        int best = Features.ClassNames is null ? -1 : ClassIndex.OfOutputs(outputs, 0.5f);
        return new TabularPrediction(outputs, best < 0 ? null : Features.ClassNames![best], best);
    }
}

/// <summary>What a <see cref="TabularModel{TNetwork}"/> predicts for one row.</summary>
/// <param name="Outputs">The network's outputs: the class probabilities of a classifier (Softmax or Sigmoid), or the regression values.</param>
/// <param name="ClassName">The most probable class of a classifier, or null for regression or when an output is NaN.</param>
/// <param name="ClassIndex">The index of <paramref name="ClassName"/> among the classes, or -1 for regression.</param>
public sealed record TabularPrediction(IReadOnlyList<float> Outputs, string? ClassName, int ClassIndex);
