using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace StaticNet.Kernels;

/// <summary>
/// Inverted dropout's masks, as Keras and PyTorch define it: each value is kept with probability 1 - rate and
/// scaled by 1 / (1 - rate), or zeroed. A mask value is a hash of the step's key, the site (the inputs or a layer)
/// and the value's index in the batch, not the next draw of a sequential generator, so the threads that share a
/// step draw the same masks however they cut it, and a step run again draws the same ones.
/// </summary>
internal static class DropoutMasks
{
    /// <summary>The key of one step's masks at one site: the step's key mixed with the site (0 for the inputs, layer + 1 for a layer's outputs).</summary>
    public static uint SiteKey(uint stepKey, int site) => Mix(stepKey ^ Mix((uint)site + 0x9E3779B9u));

    /// <summary>The key of step <paramref name="step"/> of a run seeded with <paramref name="seed"/>.</summary>
    public static uint StepKey(int seed, long step) => Mix((uint)seed ^ Mix((uint)step ^ Mix((uint)(step >> 32) + 0x632BE5ABu)));

    /// <summary>
    /// Draws the mask of the values at batch indices <paramref name="firstIndex"/> onwards, writes each value's
    /// scale (0 or 1 / (1 - rate)) to <paramref name="scales"/> and the scaled value to <paramref name="dropped"/>.
    /// </summary>
    /// <param name="values">The values.</param>
    /// <param name="dropped">Receives the values times their scales.</param>
    /// <param name="scales">Receives the scales, for the backward pass.</param>
    /// <param name="siteKey">The site's key for the step (<see cref="SiteKey"/>).</param>
    /// <param name="firstIndex">The index of the first value within the site's values of the batch, row-major.</param>
    /// <param name="rate">The share of values dropped, in [0, 1).</param>
    public static void Apply(ReadOnlySpan<float> values, Span<float> dropped, Span<float> scales, uint siteKey, int firstIndex, float rate)
    {
        // A value is dropped when its hash falls below rate · 2³²: uniform hashes drop it with probability rate.
        uint threshold = (uint)Math.Min(rate * 4294967296.0, uint.MaxValue);
        float keep = 1f / (1f - rate);
        ref float v = ref MemoryMarshal.GetReference(values);
        ref float d = ref MemoryMarshal.GetReference(dropped);
        ref float s = ref MemoryMarshal.GetReference(scales);
        int width = Vector<uint>.Count;
        int i = 0;
        if (values.Length >= width)
        {
            Vector<uint> offsets = Vector<uint>.Indices, key = new(siteKey), limit = new(threshold);
            Vector<float> scale = new(keep);
            for (; i <= values.Length - width; i += width)
            {
                Vector<uint> hash = Mix(new Vector<uint>((uint)(firstIndex + i)) + offsets + key);
                Vector<float> kept = Vector.ConditionalSelect(Vector.AsVectorSingle(Vector.GreaterThanOrEqual(hash, limit)), scale, Vector<float>.Zero);
                Vector.StoreUnsafe(kept, ref s, (nuint)i);
                Vector.StoreUnsafe(Vector.LoadUnsafe(ref v, (nuint)i) * kept, ref d, (nuint)i);
            }
        }

        for (; i < values.Length; i++)
        {
            float kept = Mix((uint)(firstIndex + i) + siteKey) >= threshold ? keep : 0f;
            scales[i] = kept;
            dropped[i] = values[i] * kept;
        }
    }

    /// <summary>Chris Wellons' lowbias32: a bijection of 32-bit integers whose every output bit depends on every input bit.</summary>
    private static uint Mix(uint x)
    {
        x ^= x >> 16;
        x *= 0x7FEB352Du;
        x ^= x >> 15;
        x *= 0x846CA68Bu;
        x ^= x >> 16;
        return x;
    }

    /// <summary><see cref="Mix(uint)"/> of every lane.</summary>
    private static Vector<uint> Mix(Vector<uint> x)
    {
        x ^= Vector.ShiftRightLogical(x, 16);
        x *= new Vector<uint>(0x7FEB352Du);
        x ^= Vector.ShiftRightLogical(x, 15);
        x *= new Vector<uint>(0x846CA68Bu);
        x ^= Vector.ShiftRightLogical(x, 16);
        return x;
    }
}
