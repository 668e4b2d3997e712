using System;
using System.Numerics;
using StaticNet.Kernels;

namespace StaticNet.Training;

/// <summary>
/// Keras' gradient clipping (<see cref="Optimizer.ClipValue"/>, <see cref="Optimizer.ClipNorm"/>,
/// <see cref="Optimizer.GlobalClipNorm"/>) over a network's gradients in the storage layout. A tensor is a layer's
/// weights or its biases, each one run of the storage; norms do not depend on the order within it. A parallel step
/// clips in three moves: each part sums the squares of its runs of each tensor, the caller turns the sums into a
/// factor per tensor, and each part scales its runs before it updates them.
/// </summary>
internal static class GradientClipping
{
    /// <summary>The number of tensors: a layer's weights and its biases.</summary>
    public static int Tensors(NetworkLayout layout) => 2 * layout.Layers.Length;

    /// <summary>Clips every gradient on the calling thread.</summary>
    public static void ClipWhole(Optimizer optimizer, NetworkLayout layout, Span<float> gradients)
    {
        Span<double> squares = stackalloc double[Tensors(layout)];
        Span<float> factors = stackalloc float[Tensors(layout)];
        squares.Clear();
        SumSquares(optimizer, layout, gradients, 0, 1, squares);
        Factors(optimizer, squares, 1, factors);
        Apply(optimizer, layout, gradients, factors, 0, 1);
    }

    /// <summary>Adds the squares of the gradients of part <paramref name="part"/>'s runs of each tensor to <paramref name="squares"/>; nothing for clipping by value.</summary>
    public static void SumSquares(Optimizer optimizer, NetworkLayout layout, ReadOnlySpan<float> gradients, int part, int parts, Span<double> squares)
    {
        if (optimizer.ClipValue is not null)
        {
            return;
        }

        ReadOnlySpan<LayerLayout> layers = layout.Layers;
        for (int i = 0; i < layers.Length; i++)
        {
            (int weights, int weightCount, int bias, int biasCount) = layers[i].PartRuns(part, parts);
            squares[2 * i] += SumOfSquares(gradients.Slice(weights, weightCount));
            squares[(2 * i) + 1] += SumOfSquares(gradients.Slice(bias, biasCount));
        }
    }

    /// <summary>
    /// Turns the parts' sums of squares (<paramref name="parts"/> rows of one sum per tensor) into each tensor's factor,
    /// <c>c / max(‖g‖, c)</c>: of its own norm for <see cref="Optimizer.ClipNorm"/>, of the global norm for
    /// <see cref="Optimizer.GlobalClipNorm"/>.
    /// </summary>
    public static void Factors(Optimizer optimizer, ReadOnlySpan<double> squares, int parts, Span<float> factors)
    {
        int tensors = factors.Length;
        if (optimizer.ClipNorm is float clipNorm)
        {
            for (int t = 0; t < tensors; t++)
            {
                double sum = 0;
                for (int part = 0; part < parts; part++)
                {
                    sum += squares[(part * tensors) + t];
                }

                factors[t] = (float)(clipNorm / Math.Max(Math.Sqrt(sum), clipNorm));
            }
        }
        else if (optimizer.GlobalClipNorm is float globalClipNorm)
        {
            double sum = 0;
            foreach (double square in squares[..(parts * tensors)])
            {
                sum += square;
            }

            factors.Fill((float)(globalClipNorm / Math.Max(Math.Sqrt(sum), globalClipNorm)));
        }
    }

    /// <summary>Clips the gradients of part <paramref name="part"/>'s runs of every tensor: by value, or by the tensors' factors.</summary>
    public static void Apply(Optimizer optimizer, NetworkLayout layout, Span<float> gradients, ReadOnlySpan<float> factors, int part, int parts)
    {
        ReadOnlySpan<LayerLayout> layers = layout.Layers;
        for (int i = 0; i < layers.Length; i++)
        {
            (int weights, int weightCount, int bias, int biasCount) = layers[i].PartRuns(part, parts);
            if (optimizer.ClipValue is float limit)
            {
                Clamp(gradients.Slice(weights, weightCount), limit);
                Clamp(gradients.Slice(bias, biasCount), limit);
            }
            else
            {
                Scale(gradients.Slice(weights, weightCount), factors[2 * i]);
                Scale(gradients.Slice(bias, biasCount), factors[(2 * i) + 1]);
            }
        }
    }

    private static double SumOfSquares(ReadOnlySpan<float> values)
    {
        Vector<float> sum = Vector<float>.Zero;
        int i = 0;
        for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var v = new Vector<float>(values[i..]);
            sum += v * v;
        }

        double total = Vector.Sum(sum);
        for (; i < values.Length; i++)
        {
            total += (double)values[i] * values[i];
        }

        return total;
    }

    private static void Scale(Span<float> values, float factor)
    {
        if (factor != 1)
        {
            VectorSum.Scale(values, factor);
        }
    }

    private static void Clamp(Span<float> values, float limit)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Clamp(values[i], -limit, limit);
        }
    }
}
