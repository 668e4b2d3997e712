using System;

namespace StaticNet;

/// <summary>A CSV column chosen by its header name or by its 0-based index; strings and integers convert to it implicitly.</summary>
public readonly record struct CsvColumn
{
    /// <summary>Chooses the column whose header is <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public CsvColumn(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Index = -1;
    }

    /// <summary>Chooses the column at 0-based <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is negative.</exception>
    public CsvColumn(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        Index = index;
    }

    /// <summary>The header name, or null when the column is chosen by index.</summary>
    public string? Name { get; }

    /// <summary>The 0-based index, or -1 when the column is chosen by name.</summary>
    public int Index { get; }

    /// <summary>Chooses a column by header name.</summary>
    public static implicit operator CsvColumn(string name) => new(name);

    /// <summary>Chooses a column by 0-based index.</summary>
    public static implicit operator CsvColumn(int index) => new(index);

    /// <inheritdoc />
    public override string ToString() => Name is null ? $"#{Index}" : $"'{Name}'";
}
