using System;
using System.ComponentModel;

namespace StaticNet.Kernels;

/// <summary>Weight initialisers called by generated networks.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Initializers
{
    /// <summary>
    /// Fills <paramref name="weights"/> from the Glorot (Xavier) uniform distribution,
    /// <c>U(-l, l)</c> with <c>l = sqrt(6 / (fanIn + fanOut))</c>: Keras' default for Dense layers.
    /// </summary>
    /// <param name="weights">The layer's weights, in any order: the draws are independent.</param>
    /// <param name="fanIn">The number of inputs of the layer.</param>
    /// <param name="fanOut">The number of outputs of the layer.</param>
    /// <param name="random">The source of random numbers.</param>
    public static void GlorotUniform(Span<float> weights, int fanIn, int fanOut, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        float limit = MathF.Sqrt(6f / (fanIn + fanOut));
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = random.NextSingle(-limit, limit);
        }
    }
}
