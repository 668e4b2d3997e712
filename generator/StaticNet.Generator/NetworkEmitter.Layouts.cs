using System.Collections.Generic;
using StaticNet.Generator.Model;

namespace StaticNet.Generator;

/// <summary>The parameters in PyTorch's layout, and the layer table by which the runtime reads the kernels' layout.</summary>
internal static partial class NetworkEmitter
{
    private static void EmitLayouts(SourceWriter writer, NetworkSpec network, List<Layer> layers)
    {
        writer.Line($$"""
            /// <inheritdoc />
            public void CopyParametersTo({{Span}} destination) => (({{IGenerated}})this).CopyToCanonicalLayout(Parameters, destination);

            /// <inheritdoc />
            public void CopyParametersFrom({{ReadOnlySpan}} source)
            {
                {{Kernels}}.Guard.Width(source.Length, ParameterCount, "source", "{{network.TypeName}}");
                (({{IGenerated}})this).CopyFromCanonicalLayout(source, Parameters);
            }

            {{Kernels}}.NetworkLayout {{IGenerated}}.Layout => s_layout;

            """);
    }
}
