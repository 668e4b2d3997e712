using System;
using System.Globalization;
using System.Threading;
using Microsoft.CodeAnalysis.Text;
using StaticNet.Generator.Model;

namespace StaticNet.Generator.TrainedWeights;

/// <summary>
/// Reads the text copy of a weights file that StaticNet's build step hands the compiler. The compiler takes
/// additional files only as text, and refuses binary ones, so the build writes each <c>*.safetensors</c>
/// item as a header of three lines and the file's bytes in base64:
/// <code>
/// staticnet-weights 1
/// path: Models/fmnist.safetensors
/// length: 940600
/// (base64, in lines)
/// </code>
/// A file over the size limit keeps only its header, so its length can still be reported.
/// </summary>
internal static class WeightsText
{
    /// <summary>The end of the copies' names, which tells them from other additional files.</summary>
    public const string Extension = ".staticnet-weights";

    private const string Signature = "staticnet-weights 1";
    private const string PathField = "path: ";
    private const string LengthField = "length: ";

    /// <summary>Reads and checks one copy; <see langword="null"/> when it does not even say which file it is.</summary>
    public static WeightsFile? Read(SourceText? text, CancellationToken cancellationToken)
    {
        if (text is null || text.Lines.Count < 3 || text.Lines[0].ToString() != Signature)
        {
            return null;
        }

        string pathLine = text.Lines[1].ToString();
        string lengthLine = text.Lines[2].ToString();
        if (!pathLine.StartsWith(PathField, StringComparison.Ordinal) || !lengthLine.StartsWith(LengthField, StringComparison.Ordinal))
        {
            return null;
        }

        string path = NormalizePath(pathLine.Substring(PathField.Length));
        if (!long.TryParse(lengthLine.Substring(LengthField.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long length))
        {
            return Failed(path, WeightsProblemKind.Damaged, "its build copy gives no length; build the project again");
        }

        if (length > SizeBudget.MaxWeightsBytes)
        {
            return Failed(path, WeightsProblemKind.TooLarge, length.ToString(CultureInfo.InvariantCulture));
        }

        byte[]? bytes = Decode(text, text.Lines[2].EndIncludingLineBreak, (int)length, cancellationToken);
        return bytes is null
            ? Failed(path, WeightsProblemKind.Damaged, "its build copy is incomplete; build the project again")
            : SafetensorsReader.Read(path, bytes, cancellationToken);
    }

    /// <summary>The copy the build's <c>StaticNetEncodeWeights</c> task writes of <paramref name="file"/>, for tests and benchmarks that run the generator without a build.</summary>
    public static string Write(string path, byte[] file, bool withData = true) =>
        $"{Signature}\n{PathField}{path}\n{LengthField}{file.Length.ToString(CultureInfo.InvariantCulture)}\n" +
        (withData ? Convert.ToBase64String(file, Base64FormattingOptions.InsertLineBreaks) + "\n" : "");

    /// <summary>A path as the declaration and the build both write it: '/' between folders, no leading "./".</summary>
    public static string NormalizePath(string path)
    {
        string normalized = path.Trim().Replace('\\', '/');
        while (normalized.StartsWith("./", StringComparison.Ordinal))
        {
            normalized = normalized.Substring(2);
        }

        return normalized;
    }

    private static WeightsFile Failed(string path, WeightsProblemKind kind, string message) =>
        new(path, default, default, new WeightsProblem(kind, message));

    /// <summary>Decodes base64 from <paramref name="start"/> to the end, skipping line breaks; <see langword="null"/> unless it is exactly <paramref name="length"/> bytes.</summary>
    private static byte[]? Decode(SourceText text, int start, int length, CancellationToken cancellationToken)
    {
        var bytes = new byte[length];
        var chunk = new char[1 << 16];
        int written = 0;
        int bits = 0;
        int pending = 0;
        bool padded = false;
        for (int position = start; position < text.Length; position += chunk.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(chunk.Length, text.Length - position);
            text.CopyTo(position, chunk, 0, count);
            for (int i = 0; i < count; i++)
            {
                char c = chunk[i];
                int value = SextetOf(c);
                if (value < 0)
                {
                    if (c == '=')
                    {
                        padded = true;
                        continue;
                    }

                    if (c is '\r' or '\n' or ' ' or '\t')
                    {
                        continue;
                    }

                    return null;
                }

                if (padded)
                {
                    return null;
                }

                bits = ((bits << 6) | value) & 0x3FFF;
                pending += 6;
                if (pending >= 8)
                {
                    pending -= 8;
                    if (written == length)
                    {
                        return null;
                    }

                    bytes[written++] = (byte)(bits >> pending);
                }
            }
        }

        return written == length ? bytes : null;
    }

    private static int SextetOf(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '+' => 62,
        '/' => 63,
        _ => -1,
    };
}
