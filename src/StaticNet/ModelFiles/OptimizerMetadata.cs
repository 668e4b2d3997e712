using System.Collections.Generic;
using System.Globalization;

namespace StaticNet;

/// <summary>
/// Writes an optimizer's state into a model file and checks it on the way back: its kind, step count,
/// learning rate and settings in the metadata, and each state buffer as tensors shaped as the parameters,
/// named <c>optimizer.{buffer}.{parameter}</c> after PyTorch's state keys (<c>optimizer.exp_avg.layers.0.weight</c>).
/// </summary>
internal static class OptimizerMetadata
{
    public const string KindKey = "optimizer";
    public const string StepsKey = "optimizer.steps";
    public const string LearningRateKey = "optimizer.learning_rate";
    private const string Prefix = "optimizer.";

    /// <summary>Whether a tensor holds optimizer state rather than parameters.</summary>
    public static bool IsStateTensor(string name) => name.StartsWith(Prefix, System.StringComparison.Ordinal);

    public static void Write(Optimizer optimizer, IDictionary<string, string> metadata)
    {
        metadata[KindKey] = optimizer.GetType().Name;
        metadata[StepsKey] = optimizer.Steps.ToString(CultureInfo.InvariantCulture);
        metadata[LearningRateKey] = optimizer.StepRate.ToString("R", CultureInfo.InvariantCulture);
        foreach ((string name, string value) in optimizer.Settings)
        {
            metadata[Prefix + name] = value;
        }
    }

    /// <summary>
    /// The state tensors of <paramref name="optimizer"/>, one per parameter tensor and buffer, placed after
    /// the parameters in one canonical buffer: buffer b's copy of a tensor sits <c>(b + 1) · parameterCount</c> further on.
    /// </summary>
    public static List<ModelTensor> Tensors(Optimizer optimizer, List<ModelTensor> parameters, int parameterCount)
    {
        string[] names = optimizer.StateNames;
        var tensors = new List<ModelTensor>(names.Length * parameters.Count);
        for (int buffer = 0; buffer < names.Length; buffer++)
        {
            foreach (ModelTensor tensor in parameters)
            {
                tensors.Add(tensor with { Name = $"{Prefix}{names[buffer]}.{tensor.Name}", Offset = tensor.Offset + ((buffer + 1) * parameterCount) });
            }
        }

        return tensors;
    }

    /// <summary>
    /// Checks that the file's optimizer is of <paramref name="optimizer"/>'s kind and settings, and reads the
    /// step count and learning rate it recorded.
    /// </summary>
    /// <exception cref="ModelFileException">The file has no optimizer state, or another kind or settings, or a damaged entry; the message names it.</exception>
    public static (long Steps, float LearningRate) Read(IReadOnlyDictionary<string, string> metadata, Optimizer optimizer, string path)
    {
        string kind = optimizer.GetType().Name;
        if (!metadata.TryGetValue(KindKey, out string? saved))
        {
            throw SafetensorsHeader.Fail(path, $"The file holds no optimizer state; save it with Save(path, optimizer: …) to resume training with a {kind}.");
        }

        if (saved != kind)
        {
            throw SafetensorsHeader.Fail(path, $"The file holds the state of {Quoting.Quote(saved)} but the optimizer to restore is {kind}.");
        }

        foreach ((string name, string value) in optimizer.Settings)
        {
            // A switch added after a file was written (Adam's amsgrad) was off in it.
            bool matches = metadata.TryGetValue(Prefix + name, out string? savedValue) ? savedValue == value : value == "false";
            if (!matches)
            {
                throw SafetensorsHeader.Fail(path,
                    $"The file's {kind} has {name} {(savedValue is null ? "missing" : Quoting.Quote(savedValue))} but the optimizer to restore has {value}; " +
                    "create it with the saved settings, which the state belongs to.");
            }
        }

        if (!metadata.TryGetValue(StepsKey, out string? steps) ||
            !long.TryParse(steps, NumberStyles.None, CultureInfo.InvariantCulture, out long stepCount))
        {
            throw SafetensorsHeader.Fail(path, $"The metadata's {StepsKey} is {(steps is null ? "missing" : Quoting.Quote(steps))}; expected a count of steps.");
        }

        if (!metadata.TryGetValue(LearningRateKey, out string? rate) ||
            !float.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out float learningRate) ||
            !(learningRate >= 0 && float.IsFinite(learningRate)))
        {
            throw SafetensorsHeader.Fail(path, $"The metadata's {LearningRateKey} is {(rate is null ? "missing" : Quoting.Quote(rate))}; expected a finite rate, not negative.");
        }

        return (stepCount, learningRate);
    }
}
