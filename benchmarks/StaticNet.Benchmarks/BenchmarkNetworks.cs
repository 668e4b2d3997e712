using StaticNet;

namespace StaticNet.Benchmarks;

/// <summary>The three networks by name, and the data every comparison shares.</summary>
public static class BenchmarkNetworks
{
    /// <summary>The names accepted by <see cref="Create"/>, in the order the report lists them.</summary>
    public static readonly string[] Names = ["SEED", "TINY", "FMNIST"];

    /// <summary>A freshly initialised network; the same seed gives the same weights in every process.</summary>
    public static INetwork Create(string name) => name switch
    {
        "SEED" => new SeedNet(seed: 1),
        "TINY" => new TinyNet(seed: 1),
        "FMNIST" => new FmnistNet(seed: 1),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Expected SEED, TINY or FMNIST."),
    };

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
