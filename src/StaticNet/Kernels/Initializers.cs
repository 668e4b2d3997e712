using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.ComponentModel;
using System.Runtime.InteropServices;

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

    /// <summary>Fills <paramref name="weights"/> from <paramref name="initializer"/>'s distribution for a layer of these fans.</summary>
    /// <param name="initializer">The distribution, as Keras defines it.</param>
    /// <param name="weights">The layer's weights, in any order: the draws are independent.</param>
    /// <param name="fanIn">The number of inputs of the layer.</param>
    /// <param name="fanOut">The number of outputs of the layer.</param>
    /// <param name="random">The source of random numbers.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initializer"/> is not a defined <see cref="Initializer"/>.</exception>
    public static void Draw(Initializer initializer, Span<float> weights, int fanIn, int fanOut, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);

        // Keras' VarianceScaling: a scale over a fan, drawn uniform or truncated normal.
        (double scale, double fan, bool normal) = initializer switch
        {
            Initializer.GlorotUniform => (1.0, (fanIn + fanOut) / 2.0, false),
            Initializer.GlorotNormal => (1.0, (fanIn + fanOut) / 2.0, true),
            Initializer.HeUniform => (2.0, fanIn, false),
            Initializer.HeNormal => (2.0, fanIn, true),
            Initializer.LeCunUniform => (1.0, fanIn, false),
            Initializer.LeCunNormal => (1.0, fanIn, true),
            _ => throw new ArgumentOutOfRangeException(nameof(initializer), initializer, "Not a defined Initializer."),
        };
        double variance = scale / Math.Max(1.0, fan);
        if (!normal)
        {
            float limit = (float)Math.Sqrt(3 * variance);
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = random.NextSingle(-limit, limit);
            }

            return;
        }

        // The standard deviation of a unit normal truncated to [-2, 2] is 0.8796..., which Keras divides out.
        double deviation = Math.Sqrt(variance) / 0.87962566103423978;
        for (int i = 0; i < weights.Length; i++)
        {
            double z;
            do
            {
                z = random.NextStandardNormal();
            }
            while (Math.Abs(z) > 2);

            weights[i] = (float)(z * deviation);
        }
    }

    /// <summary>
    /// Fills <paramref name="parameters"/> with the trained parameters a declaration's <c>Weights</c> file
    /// compiled in: <paramref name="base64"/> holds them in PyTorch's layout as little-endian float32 values,
    /// base64-encoded, which the generator checked against the layers when it wrote them.
    /// </summary>
    /// <param name="layout">The network's layer table.</param>
    /// <param name="base64">The encoded parameters, from the assembly's data.</param>
    /// <param name="parameters">The parameter storage, in the layout of <paramref name="layout"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="base64"/> is not valid base64 of whole float32 values.</exception>
    public static void Trained(NetworkLayout layout, ReadOnlySpan<byte> base64, Span<float> parameters)
    {
        ArgumentNullException.ThrowIfNull(layout);
        int count = Base64.GetMaxDecodedFromUtf8Length(base64.Length) / sizeof(float);
        float[] canonical = ArrayPool<float>.Shared.Rent(count);
        try
        {
            Span<byte> bytes = MemoryMarshal.AsBytes(canonical.AsSpan(0, count));
            if (Base64.DecodeFromUtf8(base64, bytes, out _, out int written) != OperationStatus.Done || written % sizeof(float) != 0)
            {
                throw new ArgumentException("The compiled-in parameters are not base64 of whole float32 values.", nameof(base64));
            }

            Span<float> values = canonical.AsSpan(0, written / sizeof(float));
            if (!BitConverter.IsLittleEndian)
            {
                Span<int> words = MemoryMarshal.Cast<float, int>(values);
                BinaryPrimitives.ReverseEndianness(words, words);
            }

            parameters.Clear();
            layout.FromCanonical(values, parameters);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(canonical);
        }
    }
}
