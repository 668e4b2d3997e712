using System;
using System.Collections.Generic;
using System.Globalization;

namespace StaticNet;

/// <summary>Turns class labels, by name or by integer, into one-hot target rows.</summary>
internal sealed class LabelEncoder
{
    private readonly string _path;
    private readonly int _classCount;
    private readonly IReadOnlyList<string>? _names;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _byName;

    public LabelEncoder(string path, CsvOptions options)
    {
        _path = path;
        _names = options.ClassNames;
        _classCount = options.TargetWidth;
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < (_names?.Count ?? 0); i++)
        {
            byName.TryAdd(_names![i], i);
        }

        _byName = byName.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Appends the one-hot row of <paramref name="label"/> to <paramref name="targets"/>.</summary>
    public void AppendOneHot(List<float> targets, long line, string column, ReadOnlySpan<char> label)
    {
        int index = ClassOf(line, column, label);
        for (int i = 0; i < _classCount; i++)
        {
            targets.Add(i == index ? 1f : 0f);
        }
    }

    private int ClassOf(long line, string column, ReadOnlySpan<char> label)
    {
        if (_names is not null)
        {
            return _byName.TryGetValue(label, out int index)
                ? index
                : throw new DataFormatException(_path, line, column, label.ToString(),
                    $"The label is not one of the {_names.Count} classes: {string.Join(", ", _names)}.");
        }

        return int.TryParse(label, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number) && number >= 0 && number < _classCount
            ? number
            : throw new DataFormatException(_path, line, column, label.ToString(),
                $"The label is out of range: labels are integers from 0 to {_classCount - 1}.");
    }
}
