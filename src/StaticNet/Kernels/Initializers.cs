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
