using System.Collections.Generic;
using StaticNet.Generator.Model;

namespace StaticNet.Generator;

/// <summary>The copies between the kernels' parameter layout and PyTorch's.</summary>
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

            """);
        foreach (bool toCanonical in new[] { true, false })
        {
            writer.Line("/// <inheritdoc />");
            using (writer.Block($"void {IGenerated}.{(toCanonical ? "CopyToCanonicalLayout" : "CopyFromCanonicalLayout")}({ReadOnlySpan} source, {Span} destination)"))
            {
                writer.Line($"{Kernels}.Guard.StorageLength(source.Length, ParameterCount, nameof(source));");
                writer.Line($"{Kernels}.Guard.StorageLength(destination.Length, ParameterCount, nameof(destination));");
                foreach (Layer layer in layers)
                {
                    // Weights sit at the same offset in both layouts; unit-major ones are already canonical.
                    string size = N(layer.Inputs * layer.Units);
                    string weights = $"source.Slice({layer.Name}Weights, {size}), destination.Slice({layer.Name}Weights, {size})";
                    writer.Line(layer.UnitMajor
                        ? $"source.Slice({layer.Name}Weights, {size}).CopyTo(destination.Slice({layer.Name}Weights, {size}));"
                        : $"{Kernels}.Layouts.{(toCanonical ? "PanelsToCanonical" : "CanonicalToPanels")}({weights}, {N(layer.Inputs)}, {N(layer.Units)}, {N(PanelWidth)});");
                    writer.Line($"source.Slice({layer.Name}Bias, {N(layer.Units)}).CopyTo(destination.Slice({layer.Name}Bias, {N(layer.Units)}));");
                }
            }

            writer.Line();
        }
    }
}
