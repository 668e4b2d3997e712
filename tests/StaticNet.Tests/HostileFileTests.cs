using System.Diagnostics;
using StaticNet;
using Xunit;
using Xunit.Abstractions;

namespace StaticNet.Tests;

/// <summary>
/// Seeded truncations and byte changes of valid files: whatever the damage, the loaders either
/// succeed or throw their documented exception, never crash, hang or allocate more than the
/// file's size justifies.
/// </summary>
public sealed class HostileFileTests(ITestOutputHelper output) : IDisposable
{
    private const int Cases = 1000;

    /// <summary>Generous for a few-hundred-byte file's buffers and results, and far below what a lying header asks for.</summary>
    private const long FixedAllocationBudget = 1 << 20;

    private readonly TemporaryDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Damaged_model_files_only_raise_ModelFileException()
    {
        var network = new SeedNet(seed: 1);
        string original = _files.File("original.safetensors");
        network.Save(original, FeatureScaling.Standardize(new Dataset(new float[,] { { 1, 2 }, { 3, 5 } }, new float[,] { { 0 }, { 1 } })));

        Fuzz("model", File.ReadAllBytes(original), seed: 1, mutated => ModelFile.LoadInto(new SeedNet(seed: 2), mutated), e => e is ModelFileException);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Damaged_idx_files_only_raise_DataFormatException(bool gzipped)
    {
        byte[] images = IdxFiles.Images(12, 4, 4, i => (byte)(i * 7));
        byte[] labels = IdxFiles.Labels(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1);
        string imagesPath = _files.Write("images", gzipped ? IdxFiles.Gzip(images) : images);
        string labelsPath = _files.Write("labels", gzipped ? IdxFiles.Gzip(labels) : labels);

        Fuzz($"idx images{(gzipped ? ".gz" : "")}", File.ReadAllBytes(imagesPath), seed: 2, mutated => Idx.Load(mutated, labelsPath), e => e is DataFormatException);
        Fuzz($"idx labels{(gzipped ? ".gz" : "")}", File.ReadAllBytes(labelsPath), seed: 3, mutated => Idx.Load(imagesPath, mutated), e => e is DataFormatException);
    }

    [Fact]
    public void Idx_files_damaged_before_compression_only_raise_DataFormatException()
    {
        string labelsPath = _files.Write("labels", IdxFiles.Labels(0, 1, 2, 3, 4, 5));
        Fuzz("idx images damaged then gzipped", IdxFiles.Images(6, 3, 3, i => (byte)i), seed: 5,
            mutated => Idx.Load(_files.Write("images.gz", IdxFiles.Gzip(File.ReadAllBytes(mutated))), labelsPath),
            e => e is DataFormatException);
    }

    [Fact]
    public void Damaged_csv_files_only_raise_DataFormatException()
    {
        var text = new System.Text.StringBuilder("id,a,b,\"c\",label\n");
        for (int i = 0; i < 20; i++)
        {
            text.Append(i).Append(',').Append(i * 0.5).Append(",-").Append(i).Append("e-3,\"").Append(i % 7).Append("\",").Append(i % 3 == 0 ? "cat" : "dog").Append('\n');
        }

        var options = new CsvOptions { TargetColumns = ["label"], IgnoredColumns = [0], ClassNames = ["cat", "dog"] };
        Fuzz("csv", System.Text.Encoding.UTF8.GetBytes(text.ToString()), seed: 6, mutated => Csv.Load(mutated, options), e => e is DataFormatException);
    }

    private void Fuzz(string format, byte[] original, int seed, Action<string> load, Func<Exception, bool> documented)
    {
        var random = new Random(seed);
        string path = _files.File("mutated");
        int loaded = 0;
        long worstAllocation = 0;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Cases; i++)
        {
            byte[] mutated = Mutate(original, random);
            File.WriteAllBytes(path, mutated);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                load(path);
                loaded++;
            }
            catch (Exception e)
            {
                Assert.True(documented(e), $"{format} case {i} threw an undocumented {e.GetType().Name}: {e}");
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            worstAllocation = Math.Max(worstAllocation, allocated);
            Assert.True(allocated <= FixedAllocationBudget + (64L * mutated.Length),
                $"{format} case {i} allocated {allocated} bytes for a {mutated.Length}-byte file.");
        }

        Assert.InRange(loaded, 0, Cases - 1);
        output.WriteLine($"{format}: {Cases} cases in {clock.ElapsedMilliseconds} ms, {loaded} loaded, " +
                         $"the rest rejected as documented; largest allocation {worstAllocation} bytes for a ~{original.Length}-byte file.");
    }

    /// <summary>Truncates, overwrites a few bytes (most often in the header, where sizes live), or both.</summary>
    private static byte[] Mutate(byte[] original, Random random)
    {
        byte[] bytes = (byte[])original.Clone();
        int kind = random.Next(4);
        if (kind is 1 or 3)
        {
            int changes = random.Next(1, 5);
            for (int c = 0; c < changes; c++)
            {
                int limit = random.Next(2) == 0 ? Math.Min(bytes.Length, 64) : bytes.Length;
                bytes[random.Next(limit)] = random.Next(3) == 0 ? (byte)(bytes[random.Next(limit)] ^ (1 << random.Next(8))) : (byte)random.Next(256);
            }
        }

        if (kind is 0 or 3)
        {
            Array.Resize(ref bytes, random.Next(bytes.Length));
        }

        if (kind == 2)
        {
            int length = random.Next(1, 16);
            bytes = [.. bytes.AsSpan(0, bytes.Length - length), .. Enumerable.Repeat((byte)random.Next(256), length), .. bytes.AsSpan(bytes.Length - length)];
        }

        return bytes;
    }
}
