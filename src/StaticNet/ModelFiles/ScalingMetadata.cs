using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace StaticNet;

/// <summary>Writes <see cref="FeatureScaling"/> into a model file's string metadata and reads it back.</summary>
internal static class ScalingMetadata
{
    public const string MethodKey = "scaling.method";
    public const string CenterKey = "scaling.center";
    public const string ScaleKey = "scaling.scale";

    public static void Write(FeatureScaling scaling, IDictionary<string, string> metadata)
    {
        metadata[MethodKey] = Name(scaling.Method);
        metadata[CenterKey] = Join(scaling.Center);
        metadata[ScaleKey] = Join(scaling.Scale);
    }

    /// <summary>Reads the scaling, if the metadata has one, checking it has one statistic per input before allocating.</summary>
    public static FeatureScaling? Read(IReadOnlyDictionary<string, string> metadata, int inputs, string path)
    {
        if (!metadata.TryGetValue(MethodKey, out string? name))
        {
            return null;
        }

        ScalingMethod method = name switch
        {
            "standardize" => ScalingMethod.Standardize,
            "min-max" => ScalingMethod.MinMax,
            _ => throw SafetensorsHeader.Fail(path, $"The metadata's {MethodKey} is {Quoting.Quote(name)}; expected standardize or min-max."),
        };
        try
        {
            return new FeatureScaling(method, Parse(metadata, CenterKey, inputs, path), Parse(metadata, ScaleKey, inputs, path));
        }
        catch (ArgumentException e)
        {
            throw new ModelFileException(path, $"The metadata's scaling is invalid: {e.Message}", e);
        }
    }

    private static string Name(ScalingMethod method) => method == ScalingMethod.Standardize ? "standardize" : "min-max";

    private static string Join(IReadOnlyList<float> values)
    {
        var text = new StringBuilder();
        foreach (float value in values)
        {
            text.Append(text.Length == 0 ? "" : ",").Append(value.ToString("R", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    private static float[] Parse(IReadOnlyDictionary<string, string> metadata, string key, int inputs, string path)
    {
        if (!metadata.TryGetValue(key, out string? text))
        {
            throw SafetensorsHeader.Fail(path, $"The metadata has {MethodKey} but no {key}.");
        }

        ReadOnlySpan<char> span = text;
        if (span.Count(',') + 1 != inputs)
        {
            throw SafetensorsHeader.Fail(path, $"The metadata's {key} has {span.Count(',') + 1} values but the network has {inputs} inputs.");
        }

        float[] values = new float[inputs];
        int i = 0;
        foreach (Range range in span.Split(','))
        {
            if (!float.TryParse(span[range], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                throw SafetensorsHeader.Fail(path, $"Value {i} of the metadata's {key}, {Quoting.Quote(span[range])}, is not a number.");
            }

            i++;
        }

        return values;
    }
}
