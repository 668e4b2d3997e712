using System;
using System.IO;

namespace StaticNet;

/// <summary>Replaces a file with new contents all at once, or not at all.</summary>
internal static class AtomicFile
{
    private const string TemporarySuffix = ".tmp";

    /// <summary>The length of the random part of a temporary file's name: a GUID in "N" form.</summary>
    private const int RandomLength = 32;

    /// <summary>
    /// Writes a temporary file beside <paramref name="path"/>, flushes it to disk, then renames it
    /// over <paramref name="path"/>. A rename within one directory is atomic, so readers see the old
    /// file or the new one, never a part; if anything fails, the temporary file is deleted and the
    /// old file is untouched. A symbolic link is kept: the file it finally points to is the one
    /// replaced. Temporary files that an interrupted save of the same file left behind are removed.
    /// </summary>
    /// <exception cref="IOException">The file cannot be written; the message names <paramref name="path"/>.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a directory, or writing is not permitted; the message names <paramref name="path"/>.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        try
        {
            string target = FinalTarget(path);
            string directory = Path.GetDirectoryName(target)!;
            string name = Path.GetFileName(target);
            RemoveAbandoned(directory, name);
            string temporary = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}{TemporarySuffix}");
            try
            {
                // Shared for deletion so that the rename can happen while the file is still open:
                // clean-up removes only temporary files no one holds, so a concurrent save of the
                // same target cannot remove this one between its close and its rename.
                using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.Delete, 1 << 16);
                write(stream);
                stream.Flush(flushToDisk: true);
                File.Move(temporary, target, overwrite: true);
            }
            catch
            {
                TryDelete(temporary);
                throw;
            }
        }
        catch (Exception e) when (FileErrors.IsFileSystem(e))
        {
            throw FileErrors.Named(path, e, writing: true);
        }
    }

    /// <summary>Whether <paramref name="fileName"/> is the name of a temporary file made for saving <paramref name="target"/>.</summary>
    internal static bool IsTemporaryFor(ReadOnlySpan<char> fileName, ReadOnlySpan<char> target)
    {
        int length = 1 + target.Length + 1 + RandomLength + TemporarySuffix.Length;
        return fileName.Length == length
            && fileName[0] == '.'
            && fileName[1..].StartsWith(target, StringComparison.Ordinal)
            && fileName[1 + target.Length] == '.'
            && fileName.EndsWith(TemporarySuffix, StringComparison.Ordinal)
            && IsHex(fileName.Slice(2 + target.Length, RandomLength));
    }

    /// <summary>The path itself, or where its chain of symbolic links ends (which need not exist yet).</summary>
    private static string FinalTarget(string path)
    {
        var file = new FileInfo(Path.GetFullPath(path));
        return file.LinkTarget is null ? file.FullName : file.ResolveLinkTarget(returnFinalTarget: true)!.FullName;
    }

    /// <summary>Deletes the temporary files of <paramref name="name"/> that no save holds open: those an interrupted save left.</summary>
    private static void RemoveAbandoned(string directory, string name)
    {
        foreach (string file in Directory.EnumerateFiles(directory, $".*{TemporarySuffix}"))
        {
            if (!IsTemporaryFor(Path.GetFileName(file.AsSpan()), name))
            {
                continue;
            }

            try
            {
                // Exclusive opening fails while a save in progress holds the file, which is then left alone.
                using var abandoned = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (Exception e) when (FileErrors.IsFileSystem(e))
            {
                // In use, already removed by another save, or not ours to remove: the save goes on either way.
            }
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (FileErrors.IsFileSystem(e))
        {
            // The failure that brought us here is the one to report; this one (most often: the
            // directory is missing, so there is no file) adds nothing.
        }
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }
}
