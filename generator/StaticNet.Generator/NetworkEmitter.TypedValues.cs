using System.Collections.Generic;
using System.Linq;
using StaticNet.Generator.Model;

namespace StaticNet.Generator;

/// <summary>The fixed-size <c>Input</c> and <c>Output</c> types and the <c>Predict</c> that takes them.</summary>
internal static partial class NetworkEmitter
{
    private static void EmitTypedValues(SourceWriter writer, NetworkSpec network, List<Layer> layers)
    {
        int outputs = layers[layers.Count - 1].Units;
        if (network.Inputs > GeneratedMembers.TypedValuesLimit || outputs > GeneratedMembers.TypedValuesLimit)
        {
            return;
        }

        EmitFixedSizeType(writer, network, "Input", "InputSize", "One sample's features", network.Inputs <= GeneratedMembers.PositionalConstructorLimit);
        EmitFixedSizeType(writer, network, "Output", "OutputSize", "One sample's outputs", positional: false);
        writer.Line($$"""
            /// <summary>Computes the outputs of one sample given as a fixed-size <see cref="Input"/>. Allocates nothing and is thread-safe.</summary>
            public Output Predict(in Input input)
            {
                Output output = default;
                Predict(input, output);
                return output;
            }

            """);
    }

    private static void EmitFixedSizeType(SourceWriter writer, NetworkSpec network, string name, string size, string what, bool positional)
    {
        writer.Line($"/// <summary>{what}: exactly <see cref=\"{size}\"/> values, so a sample of the wrong size does not compile.</summary>");
        writer.Line($"[global::System.Runtime.CompilerServices.InlineArray({size})]");
        using (writer.Block($"public struct {name}"))
        {
            writer.Line("private float _element0;");
            writer.Line();
            if (positional)
            {
                var parameters = Enumerable.Range(0, network.Inputs).Select(i => $"float x{N(i)}");
                writer.Line($"/// <summary>Creates a sample from its {N(network.Inputs)} values, in order.</summary>");
                using (writer.Block($"public {name}({string.Join(", ", parameters)})"))
                {
                    for (int i = 0; i < network.Inputs; i++)
                    {
                        writer.Line($"this[{N(i)}] = x{N(i)};");
                    }
                }

                writer.Line();
            }

            writer.Line($$"""
                /// <summary>Copies a sample from a span of exactly <see cref="{{size}}"/> values.</summary>
                /// <exception cref="global::System.ArgumentException">The span has another length.</exception>
                public static {{name}} From({{ReadOnlySpan}} values)
                {
                    {{Kernels}}.Guard.Width(values.Length, {{size}}, "values", "{{network.TypeName}}.{{name}}");
                    {{name}} sample = default;
                    values.CopyTo(sample);
                    return sample;
                }
                """);
        }

        writer.Line();
    }
}
