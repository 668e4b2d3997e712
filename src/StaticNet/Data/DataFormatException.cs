using System;

namespace StaticNet;

/// <summary>
/// Thrown when a data file (CSV or IDX) cannot be read into a <see cref="Dataset"/>. The message
/// names the file and, where they apply, the line, column and offending value, which are also
/// available as properties.
/// </summary>
public sealed class DataFormatException : FormatException
{
    /// <summary>Creates the exception for a problem at a place in a file.</summary>
    /// <param name="filePath">The file.</param>
    /// <param name="line">The 1-based line, or null when the file has no lines (IDX) or the problem is the whole file.</param>
    /// <param name="column">The column as the file names it (header name or 1-based number), or null.</param>
    /// <param name="value">The offending value as it appears in the file, or null; a long value is cut to its start and length.</param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    /// <param name="innerException">The exception that revealed the problem, or null.</param>
    public DataFormatException(string filePath, long? line, string? column, string? value, string problem, Exception? innerException = null)
        : base(Describe(filePath, line, column, value, problem), innerException)
    {
        FilePath = filePath;
        Line = line;
        Column = column;
        Value = value is null ? null : Quoting.Shorten(value);
    }

    /// <summary>Creates the exception with a message.</summary>
    public DataFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public DataFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the default message.</summary>
    public DataFormatException()
    {
    }

    /// <summary>The file that could not be read.</summary>
    public string? FilePath { get; }

    /// <summary>The 1-based line of the problem, when the file has lines.</summary>
    public long? Line { get; }

    /// <summary>The column of the problem as the file names it: its header name, else its 1-based number.</summary>
    public string? Column { get; }

    /// <summary>
    /// The offending value as it appears in the file; one longer than 200 characters is cut to its
    /// start and its length, so that a huge cell does not become a huge exception.
    /// </summary>
    public string? Value { get; }

    private static string Describe(string filePath, long? line, string? column, string? value, string problem)
    {
        string where = filePath;
        if (line is not null)
        {
            where += $", line {line}";
        }

        if (column is not null)
        {
            where += $", column {column}";
        }

        return value is null ? $"{where}: {problem}" : $"{where}: {Quoting.Quote(value)}: {problem}";
    }
}
