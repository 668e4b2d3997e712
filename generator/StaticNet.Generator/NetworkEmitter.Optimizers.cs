using System;

namespace StaticNet.Generator;

/// <summary>The fused Adam and SGD steps over a range of the parameters.</summary>
internal static partial class NetworkEmitter
{
    private static void EmitOptimizers(SourceWriter writer)
    {
        writer.Line("/// <inheritdoc />");
        using (writer.Block($"void {IGenerated}.ApplyAdam({ReadOnlySpan} gradients, {Span} firstMoment, {Span} secondMoment, in global::StaticNet.Training.AdamCoefficients c, int start, int length)"))
        {
            writer.Line($$"""
                {{Kernels}}.Guard.StorageRange(start, length, ParameterStorageLength);
                {{Kernels}}.Guard.StorageLength(gradients.Length, ParameterStorageLength, nameof(gradients));
                {{Kernels}}.Guard.StorageLength(firstMoment.Length, ParameterStorageLength, nameof(firstMoment));
                {{Kernels}}.Guard.StorageLength(secondMoment.Length, ParameterStorageLength, nameof(secondMoment));
                ref float p = ref _parameters.Start;
                ref float g = ref {{Marshal}}.GetReference(gradients);
                ref float m = ref {{Marshal}}.GetReference(firstMoment);
                ref float v = ref {{Marshal}}.GetReference(secondMoment);

                // One division a parameter: the bias correction of sqrt(v) is a multiplication by its inverse.
                // The moments of parameters whose gradients have stopped decay through the subnormal numbers;
                // on the development machine (Zen 5) 256-bit vectors took 2 to 4 times as long over those, and
                // 512-bit ones no longer than over any others.
                float inverseCorrection2 = 1f / c.SecondBiasCorrectionSqrt;
                """);
            EmitWidestVectors(writer, vec => $$"""
                {{vec.Type}} beta1 = {{vec.Create("c.Beta1")}}, rest1 = {{vec.Create("1f - c.Beta1")}};
                {{vec.Type}} beta2 = {{vec.Create("c.Beta2")}}, rest2 = {{vec.Create("1f - c.Beta2")}};
                {{vec.Type}} epsilon = {{vec.Create("c.Epsilon")}}, stepSize = {{vec.Create("c.StepSize")}}, correction2 = {{vec.Create("inverseCorrection2")}};
                {{vec.Type}} gradientDecay = {{vec.Create("c.GradientDecay")}}, parameterDecay = {{vec.Create("c.ParameterDecay")}};
                for (nuint k = (nuint)start; k < (nuint)(start + length); k += (nuint){{vec.Type}}.Count)
                {
                    {{vec.Type}} pk = {{vec.Static}}.LoadUnsafe(ref p, k);
                    {{vec.Type}} gk = {{vec.Static}}.MultiplyAddEstimate(gradientDecay, pk, {{vec.Static}}.LoadUnsafe(ref g, k));
                    {{vec.Type}} mk = beta1 * {{vec.Static}}.LoadUnsafe(ref m, k) + rest1 * gk;
                    {{vec.Type}} vk = beta2 * {{vec.Static}}.LoadUnsafe(ref v, k) + rest2 * gk * gk;
                    {{vec.Type}} denominator = {{vec.Static}}.MultiplyAddEstimate({{vec.SquareRoot("vk")}}, correction2, epsilon);
                    {{vec.Static}}.StoreUnsafe(pk * parameterDecay - stepSize * mk / denominator, ref p, k);
                    {{vec.Static}}.StoreUnsafe(mk, ref m, k);
                    {{vec.Static}}.StoreUnsafe(vk, ref v, k);
                }
                """);
        }

        writer.Line();
        writer.Line("/// <inheritdoc />");
        using (writer.Block($"void {IGenerated}.ApplySgd({ReadOnlySpan} gradients, {Span} velocity, in global::StaticNet.Training.SgdCoefficients c, int start, int length)"))
        {
            writer.Line($$"""
                {{Kernels}}.Guard.StorageRange(start, length, ParameterStorageLength);
                {{Kernels}}.Guard.StorageLength(gradients.Length, ParameterStorageLength, nameof(gradients));
                {{Kernels}}.Guard.StorageLength(velocity.Length, ParameterStorageLength, nameof(velocity));
                ref float p = ref _parameters.Start;
                ref float g = ref {{Marshal}}.GetReference(gradients);
                ref float b = ref {{Marshal}}.GetReference(velocity);
                """);
            EmitWidestVectors(writer, vec => $$"""
                {{vec.Type}} learningRate = {{vec.Create("c.LearningRate")}}, momentum = {{vec.Create("c.Momentum")}}, decay = {{vec.Create("c.WeightDecay")}};
                {{vec.Type}} gradientWeight = {{vec.Create("c.GradientWeight")}}, velocityWeight = {{vec.Create("c.VelocityWeight")}};
                for (nuint k = (nuint)start; k < (nuint)(start + length); k += (nuint){{vec.Type}}.Count)
                {
                    {{vec.Type}} pk = {{vec.Static}}.LoadUnsafe(ref p, k);
                    {{vec.Type}} gk = {{vec.Static}}.MultiplyAddEstimate(decay, pk, {{vec.Static}}.LoadUnsafe(ref g, k));
                    {{vec.Type}} bk = {{vec.Static}}.MultiplyAddEstimate(momentum, {{vec.Static}}.LoadUnsafe(ref b, k), gk);
                    {{vec.Static}}.StoreUnsafe(pk - learningRate * (gradientWeight * gk + velocityWeight * bk), ref p, k);
                    {{vec.Static}}.StoreUnsafe(bk, ref b, k);
                }
                """);
        }

        writer.Line();
    }

    /// <summary>
    /// An optimizer's loop over whole vectors, written by <paramref name="loop"/> for a vector kind: in 512-bit
    /// vectors where they are fast, and in portable ones elsewhere. Ranges are whole 512-bit vectors, which
    /// every narrower kind divides.
    /// </summary>
    private static void EmitWidestVectors(SourceWriter writer, Func<VectorKind, string> loop)
    {
        using (writer.Block("if (global::System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)"))
        {
            writer.Line(loop(new VectorKind(Vec512, Vector512, "Sqrt")));
        }

        using (writer.Block("else"))
        {
            writer.Line(loop(new VectorKind(Vec, Vector, "SquareRoot")));
        }
    }

    /// <summary>A kind of vector the emitted code uses: its type, the static class of its operations, and the name that class gives the square root.</summary>
    private sealed record VectorKind(string Type, string Static, string SquareRootName)
    {
        /// <summary>A vector with every lane <paramref name="value"/>.</summary>
        public string Create(string value) => $"{Static}.Create({value})";

        /// <summary>The square root of every lane of <paramref name="vector"/>.</summary>
        public string SquareRoot(string vector) => $"{Static}.{SquareRootName}({vector})";
    }
}
