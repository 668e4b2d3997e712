using System.Globalization;
using BenchmarkDotNet.Attributes;
using nietras.SeparatedValues;
using StaticNet;

/// <summary>
/// Loading a generated 100 MB numeric CSV (20 feature columns and a 0/1 label, 4 decimals each): StaticNet's
/// loaders against Sep's own parse of every cell as a float, the floor any loader built on it has. Report
/// MB/s as the file's size over each mean.
/// </summary>
[MemoryDiagnoser]
public class CsvLoadBenchmarks
{
    private const int Features = 20;
    private const int Rows = 590_000;
    private static readonly string Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "staticnet-benchmark-100mb.csv");
    private readonly CsvOptions _options = new() { TargetColumns = ["y"] };

    /// <summary>The file's size in MB, for the MB/s figures.</summary>
    public static double Megabytes => new FileInfo(Path).Length / 1e6;

    [GlobalSetup]
    public void WriteFile()
    {
        if (File.Exists(Path) && new FileInfo(Path).Length > 90_000_000)
        {
            return;
        }

        var random = new Random(1);
        using var writer = new StreamWriter(Path);
        writer.WriteLine(string.Join(',', Enumerable.Range(0, Features).Select(i => $"x{i}").Append("y")));
        for (int row = 0; row < Rows; row++)
        {
            for (int column = 0; column < Features; column++)
            {
                writer.Write(((random.NextDouble() * 200) - 100).ToString("F4", CultureInfo.InvariantCulture));
                writer.Write(',');
            }

            writer.WriteLine(random.Next(2));
        }
    }

    [Benchmark(Baseline = true, Description = "Sep: every cell parsed as a float")]
    public double SepParse()
    {
        double sum = 0;
        using SepReader reader = Sep.Reader(o => o with { HasHeader = true }).FromFile(Path);
        foreach (SepReader.Row row in reader)
        {
            for (int column = 0; column <= Features; column++)
            {
                sum += row[column].Parse<float>();
            }
        }

        return sum;
    }

    [Benchmark(Description = "Csv.Load into a Dataset")]
    public int Load() => Csv.Load(Path, _options).Count;

    [Benchmark(Description = "Csv.ReadTable")]
    public int ReadTable() => Csv.ReadTable(Path).Count;
}
