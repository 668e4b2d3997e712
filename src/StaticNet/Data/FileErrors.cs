using System;
using System.IO;

namespace StaticNet;

/// <summary>
/// Gives the file system's exceptions one form in every loader and in saving: the same type the
/// BCL raised (so callers catch what they catch around <see cref="File"/>'s methods), with a
/// message that starts with the path the caller gave, as format errors do, and says what is wrong
/// in words; the BCL's exception, whose message may name a temporary file or say only "access
/// denied" for a directory, becomes the inner exception.
/// </summary>
internal static class FileErrors
{
    /// <summary>Whether <paramref name="exception"/> is the file system refusing, rather than a format error.</summary>
    public static bool IsFileSystem(Exception exception) => exception is IOException or UnauthorizedAccessException;

    /// <summary>Re-creates a file-system exception with a message naming <paramref name="path"/>.</summary>
    /// <param name="path">The path the caller gave.</param>
    /// <param name="exception">What the file system raised.</param>
    /// <param name="writing">Whether the file was being written rather than read.</param>
    public static Exception Named(string path, Exception exception, bool writing)
    {
        string verb = writing ? "written" : "read";
        if (Directory.Exists(path))
        {
            return new UnauthorizedAccessException($"{path}: The path is a directory, not a file.", exception);
        }

        return exception switch
        {
            FileNotFoundException when !writing => new FileNotFoundException($"{path}: The file does not exist.", path, exception),
            DirectoryNotFoundException => new DirectoryNotFoundException($"{path}: {MissingDirectory(path)}", exception),
            PathTooLongException => new PathTooLongException($"{path}: The path is too long.", exception),
            UnauthorizedAccessException => new UnauthorizedAccessException(
                writing
                    ? $"{path}: Permission denied: the file cannot be {verb}; saving creates a file beside it, so its directory must be writable."
                    : $"{path}: Permission denied: the file cannot be {verb}.",
                exception),
            _ => new IOException($"{path}: The file cannot be {verb}: {exception.Message}", exception),
        };
    }

    /// <summary>Names the first directory of the path that is missing, or that is a file.</summary>
    private static string MissingDirectory(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        string? missing = null;
        while (directory is not null && !Directory.Exists(directory))
        {
            missing = directory;
            directory = Path.GetDirectoryName(directory);
        }

        return missing is null ? "A directory on the path does not exist."
            : File.Exists(missing) ? $"'{missing}' is a file, not a directory."
            : $"The directory '{missing}' does not exist.";
    }
}
