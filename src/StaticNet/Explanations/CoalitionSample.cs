using System;
using System.Collections.Generic;

namespace StaticNet;

/// <summary>
/// KernelSHAP's coalitions of M players and their weights, chosen as shap's <c>KernelExplainer</c> chooses them: the
/// Shapley kernel gives a coalition of size s the weight (M - 1) / (C(M, s) · s · (M - s)); sizes are taken in pairs
/// (s and M - s) from the outside in, every coalition of a pair enumerated while the budget covers its share, and the
/// remaining budget is spent on coalitions drawn by size in proportion to the kernel, each with its complement, a
/// repeat adding to the weight of the coalition drawn before.
/// </summary>
internal sealed class CoalitionSample
{
    private readonly int _budget;
    private readonly List<double> _weights = [];
    private byte[] _masks;

    public CoalitionSample(int players, int budget)
    {
        Players = players;
        _budget = budget;
        _masks = new byte[Math.Min(budget, 1 << 16) * players];
    }

    /// <summary>The number of players, M.</summary>
    public int Players { get; }

    /// <summary>The number of coalitions chosen.</summary>
    public int Count { get; private set; }

    /// <summary>The coalitions, M bytes each: 1 where the player is in.</summary>
    public byte[] Masks => _masks;

    /// <summary>The coalitions' kernel weights.</summary>
    public IReadOnlyList<double> Weights => _weights;

    /// <summary>Chooses the coalitions, drawing those not enumerated from <paramref name="random"/>.</summary>
    public void Draw(SeededRandom random)
    {
        int m = Players;
        int sizes = m / 2, paired = (m - 1) / 2;
        double[] sizeWeights = new double[sizes];
        for (int s = 1; s <= sizes; s++)
        {
            sizeWeights[s - 1] = (m - 1.0) / (s * (double)(m - s)) * (s <= paired ? 2 : 1);
        }

        Normalize(sizeWeights);
        double[] remaining = (double[])sizeWeights.Clone();
        double left = _budget;
        int full = 0;
        for (int s = 1; s <= sizes; s++)
        {
            double subsets = KernelShap.Binomial(m, s) * (s <= paired ? 2 : 1);
            if (left * remaining[s - 1] / subsets < 1 - 1e-8)
            {
                break;
            }

            full++;
            left -= subsets;
            if (remaining[s - 1] < 1)
            {
                double share = remaining[s - 1];
                for (int i = 0; i < remaining.Length; i++)
                {
                    remaining[i] /= 1 - share;
                }
            }

            double weight = sizeWeights[s - 1] / subsets;
            Enumerate(s, weight, withComplements: s <= paired);
        }

        if (full < sizes)
        {
            DrawRandomly(random, sizeWeights, full, paired, (int)left);
        }
    }

    private void Enumerate(int size, double weight, bool withComplements)
    {
        int m = Players;
        int[] members = new int[size];
        for (int i = 0; i < size; i++)
        {
            members[i] = i;
        }

        while (true)
        {
            Span<byte> mask = Add(weight);
            foreach (int member in members)
            {
                mask[member] = 1;
            }

            if (withComplements)
            {
                Complement(Count - 1, weight);
            }

            int next = size - 1;
            while (next >= 0 && members[next] == m - size + next)
            {
                next--;
            }

            if (next < 0)
            {
                return;
            }

            members[next]++;
            for (int i = next + 1; i < size; i++)
            {
                members[i] = members[i - 1] + 1;
            }
        }
    }

    private void DrawRandomly(SeededRandom random, double[] sizeWeights, int full, int paired, int left)
    {
        int m = Players;
        double[] chances = new double[sizeWeights.Length - full];
        for (int i = 0; i < chances.Length; i++)
        {
            int size = full + 1 + i;
            chances[i] = sizeWeights[full + i] / (size <= paired ? 2 : 1);
        }

        Normalize(chances);
        int first = Count;
        var drawn = new Dictionary<string, (int Index, int Complement)>(StringComparer.Ordinal);
        int[] order = new int[m];
        byte[] candidate = new byte[m];
        for (int draws = 4 * left; left > 0 && draws > 0; draws--)
        {
            int size = full + 1 + Pick(random, chances);
            for (int i = 0; i < m; i++)
            {
                order[i] = i;
            }

            Array.Clear(candidate);
            for (int i = 0; i < size; i++)
            {
                int j = i + random.NextInt32(m - i);
                (order[i], order[j]) = (order[j], order[i]);
                candidate[order[i]] = 1;
            }

            string key = Convert.ToBase64String(candidate);
            if (drawn.TryGetValue(key, out var seen))
            {
                _weights[seen.Index] += 1;
                if (seen.Complement >= 0)
                {
                    _weights[seen.Complement] += 1;
                }

                continue;
            }

            candidate.CopyTo(Add(1));
            left--;
            int complement = -1;
            if (left > 0 && size <= paired)
            {
                complement = Complement(Count - 1, 1);
                left--;
            }

            drawn.Add(key, (Count - (complement >= 0 ? 2 : 1), complement));
        }

        // The drawn coalitions share the kernel weight of the sizes not enumerated, in proportion to their draws.
        double share = 0, drawnWeight = 0;
        for (int i = full; i < sizeWeights.Length; i++)
        {
            share += sizeWeights[i];
        }

        for (int k = first; k < Count; k++)
        {
            drawnWeight += _weights[k];
        }

        for (int k = first; k < Count; k++)
        {
            _weights[k] *= share / drawnWeight;
        }
    }

    private static int Pick(SeededRandom random, double[] chances)
    {
        double u = random.NextSingle(), sum = 0;
        for (int i = 0; i < chances.Length - 1; i++)
        {
            sum += chances[i];
            if (u < sum)
            {
                return i;
            }
        }

        return chances.Length - 1;
    }

    private static void Normalize(double[] values)
    {
        double sum = 0;
        foreach (double value in values)
        {
            sum += value;
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] /= sum;
        }
    }

    /// <summary>Adds an empty coalition of weight <paramref name="weight"/> and returns its mask to fill.</summary>
    private Span<byte> Add(double weight)
    {
        int m = Players;
        if ((Count + 1) * m > _masks.Length)
        {
            Array.Resize(ref _masks, Math.Max(_masks.Length * 2, (Count + 1) * m));
        }

        _weights.Add(weight);
        Count++;
        return _masks.AsSpan((Count - 1) * m, m);
    }

    /// <summary>Adds the complement of coalition <paramref name="index"/> and returns its index.</summary>
    private int Complement(int index, double weight)
    {
        int m = Players;
        Span<byte> mask = Add(weight);
        ReadOnlySpan<byte> source = _masks.AsSpan(index * m, m);
        for (int p = 0; p < m; p++)
        {
            mask[p] = (byte)(1 - source[p]);
        }

        return Count - 1;
    }
}
