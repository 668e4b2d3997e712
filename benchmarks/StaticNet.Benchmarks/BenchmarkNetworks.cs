using StaticNet;

namespace StaticNet.Benchmarks;

/// <summary>The three networks by name, and the data every comparison shares.</summary>
public static class BenchmarkNetworks
{
    /// <summary>
    /// The names accepted by <see cref="Create"/>, in the order the report lists them. FMNIST-IMAGES is the
    /// FMNIST network given real Fashion-MNIST test images instead of uniform values: about half their
    /// pixels are zero, whose weight rows StaticNet's single-sample product skips.
    /// </summary>
    public static readonly string[] Names = ["SEED", "TINY", "FMNIST", "FMNIST-IMAGES"];

    /// <summary>Where the Fashion-MNIST files are: <c>FASHION_MNIST_DIR</c>, or Debian's dataset-fashion-mnist package.</summary>
    public static string FashionMnistDirectory =>
        Environment.GetEnvironmentVariable("FASHION_MNIST_DIR") ?? "/usr/share/datasets/fashion-mnist";

    /// <summary>A freshly initialised network; the same seed gives the same weights in every process.</summary>
    public static INetwork Create(string name) => name switch
    {
        "SEED" => new SeedNet(seed: 1),
        "TINY" => new TinyNet(seed: 1),
        "FMNIST" or "FMNIST-IMAGES" => new FmnistNet(seed: 1),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Expected SEED, TINY, FMNIST or FMNIST-IMAGES."),
    };

    /// <summary>
    /// The inputs of <paramref name="rows"/> samples for a network: Fashion-MNIST test images for
    /// FMNIST-IMAGES (one sample: the image whose share of zero pixels is the median of the first 1,000;
    /// more: the first test images in order), uniform values in [0, 1) otherwise.
    /// </summary>
    public static float[] Inputs(string name, int rows, int inputSize)
    {
        if (name != "FMNIST-IMAGES")
        {
            return Uniform(rows * inputSize, seed: 2);
        }

        string directory = FashionMnistDirectory;
        Dataset test = Idx.Load(Path.Combine(directory, "t10k-images-idx3-ubyte.gz"), Path.Combine(directory, "t10k-labels-idx1-ubyte.gz"));
        if (rows > 1)
        {
            return test.Slice(0, rows).Features.ToArray();
        }

        int median = Enumerable.Range(0, 1000).OrderBy(i => ZeroShare(test.FeatureRow(i))).ThenBy(i => i).ElementAt(500);
        return test.FeatureRow(median).ToArray();
    }

    /// <summary>The share of values that are exactly zero.</summary>
    public static double ZeroShare(ReadOnlySpan<float> values)
    {
        int zeros = 0;
        foreach (float value in values)
        {
            zeros += value == 0f ? 1 : 0;
        }

        return (double)zeros / values.Length;
    }

    /// <summary>Uniform values in [0, 1), reproducible from <paramref name="seed"/>.</summary>
    public static float[] Uniform(int count, int seed)
    {
        var random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextSingle();
        }

        return values;
    }

    /// <summary>
    /// Throws unless <paramref name="actual"/> matches StaticNet's outputs within 1e-4: a
    /// comparison between systems that compute different functions would be meaningless.
    /// </summary>
    public static void CheckAgreement(string system, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        if (expected.Length != actual.Length)
        {
            throw new InvalidOperationException($"{system} produced {actual.Length} outputs; StaticNet produced {expected.Length}.");
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (!(MathF.Abs(expected[i] - actual[i]) <= 1e-4f))
            {
                throw new InvalidOperationException($"{system} disagrees with StaticNet at output {i}: {actual[i]} instead of {expected[i]}.");
            }
        }
    }
}
