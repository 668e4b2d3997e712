using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace StaticNet;

/// <summary>Turns class labels, by name or by integer, into one-hot target rows.</summary>
internal sealed class LabelEncoder
{
    private readonly int _classCount;
    private readonly IReadOnlyList<string>? _names;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _byName;

    public LabelEncoder(CsvOptions options)
    {
        _names = options.ClassNames;
        _classCount = options.TargetWidth;
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < (_names?.Count ?? 0); i++)
        {
            byName.TryAdd(_names![i], i);
        }

        _byName = byName.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Appends the one-hot row of <paramref name="label"/> to <paramref name="targets"/>, or says why the label is not a class.</summary>
    public bool TryAppendOneHot(List<float> targets, ReadOnlySpan<char> label, [NotNullWhen(false)] out string? problem)
    {
        int index = ClassOf(label);
        if (index < 0)
        {
            problem = _names is not null
                ? $"The label is not one of the {_names.Count} classes: {Quoting.List(_names, name => Quoting.Shorten(name))}."
                : $"The label is out of range: labels are integers from 0 to {_classCount - 1}.";
            return false;
        }

        for (int i = 0; i < _classCount; i++)
        {
            targets.Add(i == index ? 1f : 0f);
        }

        problem = null;
        return true;
    }

    private int ClassOf(ReadOnlySpan<char> label)
    {
        if (_names is not null)
        {
            return _byName.TryGetValue(label, out int index) ? index : -1;
        }

        return int.TryParse(label, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number) && number >= 0 && number < _classCount
            ? number
            : -1;
    }
}
