using System;
using System.IO;

namespace StaticNet;

/// <summary>Replaces a file with new contents all at once, or not at all.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes a temporary file beside <paramref name="path"/>, flushes it to disk, then renames it
    /// over <paramref name="path"/>. A rename within one directory is atomic, so readers see the old
    /// file or the new one, never a part; if <paramref name="write"/> throws, the temporary file is
    /// deleted and the old file is untouched.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        string target = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
