using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using StaticNet.Generator.Model;

namespace StaticNet.Generator.TrainedWeights;

/// <summary>What matching a declaration's <c>Weights</c> against the project's weights files found.</summary>
/// <param name="Trained">The parameters to compile in, or <see langword="null"/> when the file cannot be.</param>
/// <param name="Problem">The error that stops it, or <see langword="null"/>.</param>
/// <param name="Warning">A warning about a file that is compiled in, or <see langword="null"/>.</param>
internal sealed record WeightsMatch(TrainedWeightsSpec? Trained, WeightsMessage? Problem, WeightsMessage? Warning);

/// <summary>A diagnostic to report at the declaration's <c>Weights</c> argument.</summary>
internal sealed record WeightsMessage(DiagnosticDescriptor Descriptor, object[] Arguments);

/// <summary>
/// Finds the file a declaration names and checks it against the declared layers as the runtime's loader
/// does: an <c>architecture</c> entry, when the file has one, must be the declaration's; the tensors must be
/// exactly <c>layers.{i}.weight</c> [units, inputs] and <c>layers.{i}.bias</c> [units] (or an
/// <c>nn.Sequential</c>'s <c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c>, …, the Linear layers in order).
/// </summary>
internal static class WeightsMatcher
{
    private const int ListedFiles = 5;
    private const int ListedTensors = 6;

    private static readonly Regex SequentialParameter = new(
        @"^(?<prefix>(?:[A-Za-z_][A-Za-z0-9_]*\.)*)(?<index>\d{1,9})\.(?<kind>weight|bias)$",
        RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public static WeightsMatch Match(NetworkSpec network, string declaredPath, ImmutableArray<WeightsFile> files)
    {
        string path = WeightsText.NormalizePath(declaredPath);
        WeightsFile? file = files.FirstOrDefault(f => string.Equals(f.Path, path, StringComparison.OrdinalIgnoreCase));
        if (file is null)
        {
            string known = files.Length == 0
                ? ""
                : "; the weights files it lists are " + string.Join(", ", files.Select(f => $"'{f.Path}'").OrderBy(p => p, StringComparer.Ordinal).Take(ListedFiles)) +
                  (files.Length > ListedFiles ? $" and {files.Length - ListedFiles} more" : "");
            return Fail(Diagnostics.WeightsNotFound, network.TypeName, declaredPath, known);
        }

        if (file.Problem is { } problem)
        {
            return problem.Kind switch
            {
                WeightsProblemKind.TooLarge => Fail(Diagnostics.WeightsTooLarge, declaredPath, network.TypeName, problem.Message, SizeBudget.MaxWeightsBytes.ToString(CultureInfo.InvariantCulture)),
                WeightsProblemKind.NotFinite => Fail(Diagnostics.WeightsNotFinite, declaredPath, network.TypeName, problem.Message),
                _ => Fail(Diagnostics.WeightsDamaged, declaredPath, network.TypeName, problem.Message),
            };
        }

        string declared = Architecture(network);
        MetadataEntry architecture = file.Metadata.FirstOrDefault(m => m.Key == "architecture");
        if (architecture.Key is not null && architecture.Value != declared)
        {
            return Fail(Diagnostics.WeightsMismatch, declaredPath, network.TypeName, declared, $"the file holds {architecture.Value}");
        }

        Dictionary<string, TensorData> byName = ToLayerNames(file.Tensors);
        var parameters = new List<float>();
        int inputs = network.Inputs;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            int units = network.Layers[i].Units;
            var kinds = new List<(string Kind, long[] Shape)> { ("weight", [units, inputs]) };
            if (network.Layers[i].UseBias)
            {
                kinds.Add(("bias", [units]));
            }

            foreach ((string kind, long[] shape) in kinds)
            {
                string name = $"layers.{i.ToString(CultureInfo.InvariantCulture)}.{kind}";
                if (!byName.TryGetValue(name, out TensorData? tensor) || !tensor.Shape.SequenceEqual(shape))
                {
                    return Fail(Diagnostics.WeightsMismatch, declaredPath, network.TypeName, declared,
                        $"it needs {name} [{string.Join(", ", shape)}], and the file holds {Describe(file.Tensors)}");
                }

                byName.Remove(name);
                parameters.AddRange(tensor.Values);
            }

            inputs = units;
        }

        if (byName.Count > 0)
        {
            return Fail(Diagnostics.WeightsMismatch, declaredPath, network.TypeName, declared,
                $"it has no tensor '{byName.Keys.OrderBy(k => k, StringComparer.Ordinal).First()}', and the file holds {Describe(file.Tensors)}");
        }

        var trained = new TrainedWeightsSpec(declaredPath, ToBase64(parameters), file.Metadata);
        MetadataEntry scaling = file.Metadata.FirstOrDefault(m => m.Key == "scaling.method");
        return scaling.Key is null
            ? new WeightsMatch(trained, null, null)
            : new WeightsMatch(trained, null, new WeightsMessage(Diagnostics.WeightsScalingNotApplied, [declaredPath, network.TypeName, scaling.Value]));
    }

    /// <summary>The architecture as the runtime's <c>NetworkShape.ToString</c> writes it, e.g. <c>2-5(ReLU)-1(Sigmoid)</c>.</summary>
    public static string Architecture(NetworkSpec network) =>
        network.Inputs.ToString(CultureInfo.InvariantCulture) +
        string.Concat(network.Layers.Select(l => $"-{l.Units.ToString(CultureInfo.InvariantCulture)}({l.Activation}{(l.UseBias ? "" : ", no bias")})"));

    private static WeightsMatch Fail(DiagnosticDescriptor descriptor, params object[] arguments) =>
        new(null, new WeightsMessage(descriptor, arguments), null);

    /// <summary>The tensors renamed to <c>layers.{i}</c> when every one is named as an <c>nn.Sequential</c>'s parameters, else as they are.</summary>
    private static Dictionary<string, TensorData> ToLayerNames(EquatableArray<TensorData> tensors)
    {
        var byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        if (byName.Count == 0 || byName.Keys.Any(name => name.StartsWith("layers.", StringComparison.Ordinal)))
        {
            return byName;
        }

        var parsed = new List<(string Prefix, int Index, string Kind, TensorData Tensor)>();
        foreach (TensorData tensor in tensors)
        {
            Match match = SequentialParameter.Match(tensor.Name);
            if (!match.Success)
            {
                return byName;
            }

            parsed.Add((match.Groups["prefix"].Value, int.Parse(match.Groups["index"].Value, NumberStyles.None, CultureInfo.InvariantCulture), match.Groups["kind"].Value, tensor));
        }

        if (parsed.Select(p => p.Prefix).Distinct(StringComparer.Ordinal).Count() != 1)
        {
            return byName;
        }

        List<int> layers = parsed.Select(p => p.Index).Distinct().OrderBy(i => i).ToList();
        return parsed.ToDictionary(p => $"layers.{layers.IndexOf(p.Index).ToString(CultureInfo.InvariantCulture)}.{p.Kind}", p => p.Tensor, StringComparer.Ordinal);
    }

    private static string Describe(EquatableArray<TensorData> tensors) =>
        tensors.Count == 0
            ? "no tensors"
            : string.Join(", ", tensors.Take(ListedTensors).Select(t => $"{t.Name} [{string.Join(", ", t.Shape)}]")) +
              (tensors.Count > ListedTensors ? $" and {tensors.Count - ListedTensors} more" : "");

    private static string ToBase64(List<float> parameters)
    {
        var bytes = new byte[parameters.Count * sizeof(float)];
        Buffer.BlockCopy(parameters.ToArray(), 0, bytes, 0, bytes.Length);
        if (!BitConverter.IsLittleEndian)
        {
            for (int i = 0; i < bytes.Length; i += sizeof(float))
            {
                Array.Reverse(bytes, i, sizeof(float));
            }
        }

        return Convert.ToBase64String(bytes);
    }
}
