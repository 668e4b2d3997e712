using System;

namespace StaticNet;

/// <summary>
/// Thrown when a model file cannot be loaded: it is not a valid safetensors file, breaks one of
/// the rules <see cref="ModelFile"/> checks, or holds a different architecture than the network it
/// is loaded into. The message names the file and what is wrong; nothing is loaded.
/// </summary>
public sealed class ModelFileException : FormatException
{
    /// <summary>Creates the exception for a problem with a file.</summary>
    /// <param name="filePath">The model file.</param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    /// <param name="innerException">The exception that revealed the problem, or null.</param>
    public ModelFileException(string filePath, string problem, Exception? innerException)
        : base($"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModelFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public ModelFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the default message.</summary>
    public ModelFileException()
    {
    }

    /// <summary>The model file, when known.</summary>
    public string? FilePath { get; }
}
