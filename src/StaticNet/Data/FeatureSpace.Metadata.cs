using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace StaticNet;

/// <summary>A feature space written into a model file's metadata as one JSON value, and read back with every field checked.</summary>
public sealed partial class FeatureSpace
{
    /// <summary>The metadata key of a saved feature space.</summary>
    internal const string MetadataKey = "feature_space";

    /// <summary>The feature space as the JSON text a model file keeps.</summary>
    internal string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("version", 1);
            WriteStrings(json, "targets", _targets);
            if (_labels is { IsNamed: true })
            {
                WriteStrings(json, "classes", _labels.Names);
            }
            else if (_labels?.Count is int count)
            {
                json.WriteNumber("class_count", count);
            }

            json.WriteString("missing", _options.Missing.ToString());
            json.WriteString("categories", _options.Categories.ToString());
            json.WriteString("unknown", _options.Unknown.ToString());
            json.WriteStartArray("inputs");
            foreach (InputColumn input in _inputs)
            {
                json.WriteStartObject();
                json.WriteString("name", input.Name);
                if (input.IsText)
                {
                    WriteStrings(json, "categories", input.Categories);
                    if (input.FillCategory is not null)
                    {
                        json.WriteString("fill", input.FillCategory);
                    }
                }
                else if (!float.IsNaN(input.Fill))
                {
                    json.WriteNumber("fill", input.Fill);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (Scaling is not null)
            {
                json.WriteString("scaling", Scaling.Method.ToString());
                WriteNumbers(json, "center", Scaling.Center);
                WriteNumbers(json, "scale", Scaling.Scale);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a feature space from a model file's JSON, refusing anything missing, mistyped or inconsistent.</summary>
    /// <exception cref="ModelFileException">The JSON is damaged; the message says what is wrong.</exception>
    internal static FeatureSpace FromJson(string text, string path)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 8 });
            JsonElement root = document.RootElement;
            if (Required(root, "version").GetInt32() != 1)
            {
                throw new FormatException("its version is not 1.");
            }

            string[] targets = Strings(Required(root, "targets"), "targets");
            ClassLabels? labels = root.TryGetProperty("classes", out JsonElement classes) ? new ClassLabels(Strings(classes, "classes"), null)
                : root.TryGetProperty("class_count", out JsonElement count) ? new ClassLabels(null, count.GetInt32() >= 2 ? count.GetInt32() : throw new FormatException("class_count is below 2."))
                : null;
            var options = new FeatureSpaceOptions
            {
                TargetColumns = [.. targets.Select(t => new CsvColumn(t))],
                Missing = Parse<MissingValueStrategy>(root, "missing"),
                Categories = Parse<CategoryEncoding>(root, "categories"),
                Unknown = Parse<UnknownCategory>(root, "unknown"),
            };
            InputColumn[] inputs = [.. Required(root, "inputs").EnumerateArray().Select(ReadInput)];
            if (inputs.Length == 0 || targets.Length == 0)
            {
                throw new FormatException("it has no inputs or no targets.");
            }

            FeatureSpace space = new(inputs, targets, labels, options, null);
            if (!root.TryGetProperty("scaling", out _))
            {
                return space;
            }

            float[] center = Numbers(Required(root, "center"), "center");
            float[] scale = Numbers(Required(root, "scale"), "scale");
            if (center.Length != space.FeatureCount)
            {
                throw new FormatException($"its scaling has {center.Length} features but its inputs make {space.FeatureCount}.");
            }

            return new FeatureSpace(inputs, targets, labels, options, new FeatureScaling(Parse<ScalingMethod>(root, "scaling"), center, scale));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            throw new ModelFileException(path, $"The metadata's {MetadataKey} is damaged: {e.Message}", e);
        }
    }

    private static InputColumn ReadInput(JsonElement input)
    {
        string name = Required(input, "name").GetString() ?? throw new FormatException("an input has no name.");
        bool hasFill = input.TryGetProperty("fill", out JsonElement fill);
        if (input.TryGetProperty("categories", out JsonElement categories))
        {
            string[] texts = Strings(categories, "categories");
            return texts.Length > 0 ? InputColumn.Restore(name, texts, float.NaN, hasFill ? fill.GetString() : null)
                : throw new FormatException($"input {Quoting.Quote(name)} has no categories.");
        }

        float value = hasFill ? fill.GetSingle() : float.NaN;
        return float.IsNaN(value) || float.IsFinite(value) ? InputColumn.Restore(name, [], value, null)
            : throw new FormatException($"input {Quoting.Quote(name)} fills in {value}.");
    }

    private static JsonElement Required(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) ? value
        : throw new FormatException($"it has no {name}.");

    private static T Parse<T>(JsonElement root, string name)
        where T : struct, Enum =>
        Enum.TryParse(Required(root, name).GetString(), out T value) && Enum.IsDefined(value) ? value
        : throw new FormatException($"its {name} is not one of {string.Join(", ", Enum.GetNames<T>())}.");

    private static string[] Strings(JsonElement array, string name) =>
        [.. array.EnumerateArray().Select(item => item.GetString() ?? throw new FormatException($"{name} holds a null."))];

    private static float[] Numbers(JsonElement array, string name) =>
        [.. array.EnumerateArray().Select(item => item.TryGetSingle(out float value) ? value : throw new FormatException($"{name} holds {item}, not a number."))];

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void WriteNumbers(Utf8JsonWriter json, string name, IEnumerable<float> values)
    {
        json.WriteStartArray(name);
        foreach (float value in values)
        {
            json.WriteNumberValue(value);
        }

        json.WriteEndArray();
    }
}
