using System;

namespace StaticNet;

/// <summary>
/// A small, fast pseudo-random generator (xoshiro128**) whose sequence depends only on its
/// seed, so initial weights and shuffles are reproducible on every .NET version and platform.
/// </summary>
public sealed class SeededRandom
{
    private uint _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator whose whole sequence is determined by <paramref name="seed"/>.</summary>
    public SeededRandom(int seed)
    {
        // SplitMix64 spreads any seed, including 0, over the four words of state.
        ulong x = (ulong)(uint)seed;
        _s0 = (uint)SplitMix(ref x);
        _s1 = (uint)SplitMix(ref x);
        _s2 = (uint)SplitMix(ref x);
        _s3 = (uint)SplitMix(ref x);
    }

    /// <summary>Returns the next 32 random bits.</summary>
    public uint NextUInt32()
    {
        uint result = uint.RotateLeft(_s1 * 5, 7) * 9;
        uint t = _s1 << 9;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = uint.RotateLeft(_s3, 11);
        return result;
    }

    /// <summary>A standard normal draw by the Box–Muller transform, from two uniform draws in (0, 1].</summary>
    internal double NextStandardNormal()
    {
        double u = 1.0 - NextSingle(), v = NextSingle();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    /// <summary>Returns a uniformly distributed float in [0, 1).</summary>
    public float NextSingle() => (NextUInt32() >> 8) * (1.0f / (1 << 24));

    /// <summary>Returns a uniformly distributed float in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public float NextSingle(float low, float high) => low + (high - low) * NextSingle();

    /// <summary>Returns a uniformly distributed integer in [0, <paramref name="maxExclusive"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> is below 1.</exception>
    public int NextInt32(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxExclusive, 1);

        // Lemire's multiply-shift with rejection: unbiased without a division per draw.
        ulong product = (ulong)NextUInt32() * (uint)maxExclusive;
        uint low = (uint)product;
        if (low < (uint)maxExclusive)
        {
            uint threshold = (uint)-maxExclusive % (uint)maxExclusive;
            while (low < threshold)
            {
                product = (ulong)NextUInt32() * (uint)maxExclusive;
                low = (uint)product;
            }
        }

        return (int)(product >> 32);
    }

    /// <summary>Puts <paramref name="values"/> in a uniformly random order (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt32(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static ulong SplitMix(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
