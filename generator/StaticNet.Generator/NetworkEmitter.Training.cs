using System;
using System.Collections.Generic;
using System.Linq;
using StaticNet.Generator.Model;

namespace StaticNet.Generator;

/// <summary>The training passes: the forward pass in parts, back-propagation, and per layer the batched forward, gradient and input-gradient methods, each a call of a runtime product kernel with constant sizes.</summary>
internal static partial class NetworkEmitter
{
    /// <summary>
    /// Writes the body of ForwardLayer: a switch over the layers that computes part <c>part</c> of <c>parts</c>
    /// of one layer's units for every row of the batch, the pre-activations into the buffers' z, then the
    /// activations into their a.
    /// </summary>
    private static void EmitForwardLayerParts(SourceWriter writer, string name, List<Layer> layers)
    {
        writer.Line($"{Kernels}.Guard.Part(part, parts);");
        using (writer.Block("switch (layer)"))
        {
            foreach (Layer layer in layers)
            {
                writer.Line($"case {N(layer.Index)}:");
                using (writer.Block(""))
                {
                    string input = layer.Index == 0 ? "inputs" : $"buffers.Activations({N(layer.Index - 1)}, rows)";
                    writer.Line($"""
                        {Span} z = buffers.PreActivations({N(layer.Index)}, rows);
                        {Span} a = buffers.Activations({N(layer.Index)}, rows);
                        """);
                    if (layer.Activation == ActivationKind.Softmax)
                    {
                        writer.Line($$"""
                            if (part == 0)
                            {
                                {{layer.Name}}Forward({{input}}, z, rows, 0, {{N(layer.Slices)}}{{ForwardRectify(layer, false)}});{{CanonicalCopy(layer, "0", N(layer.Units), "    ")}}
                                {{Kernels}}.ActivationKernels.Forward({{Activation(layer.Activation)}}, z, a, {{N(layer.Units)}});
                            }

                            return;
                            """);
                        continue;
                    }

                    (string from, string to) = layer.UnitRange;
                    writer.Line($$"""
                        nint first = (nint)part * {{N(layer.Slices)}} / parts;
                        nint end = ((nint)part + 1) * {{N(layer.Slices)}} / parts;
                        {{layer.Name}}Forward({{input}}, z, rows, first, end{{ForwardRectify(layer, false)}});
                        int from = (int)({{from}});
                        int count = (int)({{to}}) - from;{{CanonicalCopy(layer, "from", "count", "")}}
                        if (count == {{N(layer.Units)}})
                        {
                            {{Kernels}}.ActivationKernels.Forward({{Activation(layer.Activation)}}, z, a, {{N(layer.Units)}});
                            return;
                        }

                        // Only this part's units of each row.
                        for (int r = 0; r < rows; r++)
                        {
                            int row = (r * {{N(layer.Units)}}) + from;
                            {{Kernels}}.ActivationKernels.Forward({{Activation(layer.Activation)}}, z.Slice(row, count), a.Slice(row, count), count);
                        }

                        return;
                        """);
                }
            }

            writer.Line($$"""
                default:
                    throw new global::System.ArgumentOutOfRangeException(nameof(layer), layer, "{{name}} has layers 0 to {{N(layers.Count - 1)}}.");
                """);
        }
    }

    private static void EmitTraining(SourceWriter writer, NetworkSpec network, List<Layer> layers)
    {
        string check = $"{Kernels}.Guard.Batch(inputs.Length, rows, InputSize, buffers, s_shape, \"{network.TypeName}\");";
        writer.Line("/// <inheritdoc />");
        using (writer.Block($"void {IGenerated}.ForwardLayer(int layer, {ReadOnlySpan} inputs, int rows, {Buffers} buffers, int part, int parts)"))
        {
            writer.Line(check);
            EmitForwardLayerParts(writer, network.TypeName, layers);
        }

        writer.Line();
        writer.Line("/// <inheritdoc />");
        using (writer.Block($"void {IGenerated}.Backpropagate({ReadOnlySpan} inputs, int rows, {Buffers} buffers)"))
        {
            writer.Line(check);
            Layer last = layers[layers.Count - 1];
            writer.Line($"// d{N(last.Index)} is the gradient with respect to layer {N(last.Index)}'s pre-activations once its activation is undone.");
            writer.Line($"{Span} d{N(last.Index)} = buffers.OutputGradient(rows);");
            if (last.Activation != ActivationKind.Linear)
            {
                using (writer.Block("if (!buffers.OutputGradientIsPreActivation)"))
                {
                    writer.Line(ActivationBackward(last, $"d{N(last.Index)}"));
                }
            }

            for (int index = layers.Count - 1; index > 0; index--)
            {
                Layer layer = layers[index];
                Layer previous = layers[index - 1];
                string p = N(index - 1);
                string weights = layer.UnitMajor
                    ? $"_parameters.Slice({layer.Name}Weights, {N(layer.Inputs * layer.Units)})"
                    : $"buffers.CanonicalWeights({N(index)})";
                writer.Line($"{Span} d{p} = buffers.LayerGradient({p}, rows);");
                writer.Line($"{layer.Name}InputGradient({weights}, d{N(index)}, d{p}, rows);");
                if (previous.Activation != ActivationKind.Linear)
                {
                    writer.Line(ActivationBackward(previous, $"d{p}"));
                }
            }
        }

        writer.Line();
        writer.Line("/// <inheritdoc />");
        using (writer.Block($"void {IGenerated}.ComputeGradients({ReadOnlySpan} inputs, int rows, {Buffers} buffers, int part, int parts)"))
        {
            writer.Line(check);
            writer.Line($"{Kernels}.Guard.Part(part, parts);");
            writer.Line($"{Span} gradients = buffers.Gradients;");
            foreach (Layer layer in layers)
            {
                string i = N(layer.Index);
                string input = layer.Index == 0 ? "inputs" : $"buffers.Activations({N(layer.Index - 1)}, rows)";
                string slices = N(layer.Slices);
                writer.Line($"{layer.Name}Gradients({input}, buffers.LayerGradient({i}, rows), gradients, rows, (nint)part * {slices} / parts, ((nint)part + 1) * {slices} / parts);");
            }
        }

        writer.Line();
    }

    /// <summary>
    /// The statement, on a line of its own, by which a part of the forward pass copies the weights of its units
    /// (count of them from unit from, whole panels) to the canonical layout the backward pass reads; empty for
    /// layers whose input gradient reads the weights as they are, or which pass no gradient down. The line is
    /// indented by <paramref name="indent"/> within the block it is put in.
    /// </summary>
    private static string CanonicalCopy(Layer layer, string from, string count, string indent)
    {
        if (layer.Index == 0 || layer.UnitMajor)
        {
            return "";
        }

        string inputs = N(layer.Inputs);
        return $"\n{indent}{Kernels}.Layouts.PanelsToCanonical(_parameters.Slice({layer.Name}Weights + ({from} * {inputs}), {count} * {inputs}), " +
            $"buffers.CanonicalWeights({N(layer.Index)}).Slice({from} * {inputs}, {count} * {inputs}), {inputs}, {count}, {N(PanelWidth)});";
    }

    /// <summary>The rectify argument of a call of a layer's Forward, which only panel layers take.</summary>
    private static string ForwardRectify(Layer layer, bool rectify) => layer.UnitMajor ? "" : rectify ? ", rectify: true" : ", rectify: false";

    private static string ActivationBackward(Layer layer, string gradient) =>
        $"{Kernels}.ActivationKernels.Backward({Activation(layer.Activation)}, buffers.PreActivations({N(layer.Index)}, rows), buffers.Activations({N(layer.Index)}, rows), {gradient}, {N(layer.Units)});";

    private static void EmitLayerKernels(SourceWriter writer, Layer layer)
    {
        string inputs = N(layer.Inputs);
        string units = N(layer.Units);
        string block = N(RowBlock);
        string title = $"{layer.Name}, Dense({units}, {layer.Activation}) on {inputs} inputs";
        const string parameters = "_parameters.Start";
        string slices = layer.UnitMajor ? $"blocks of {block} units" : $"panels of {N(PanelWidth)} units";
        (string from, string to) = layer.UnitRange;
        EmitPredictLayer(writer, layer, title, slices);
        string rectifying = layer.UnitMajor ? "" : "; with rectify, max(z, 0) is stored instead: inference's ReLU, fused into the stores";
        writer.Line($"/// <summary>{title}: z[r, o] = b[o] + Σ_i x[r, i] · W[i, o], for the {slices} from first to end (exclusive){rectifying}.</summary>");
        using (writer.Block($"private void {layer.Name}Forward({ReadOnlySpan} x, {Span} z, int rows, nint first, nint end{(layer.UnitMajor ? "" : ", bool rectify")})"))
        {
            writer.Line($$"""
                ref float w = ref {{Unsafe}}.Add(ref {{parameters}}, {{layer.Name}}Weights);
                ref float b = ref {{Unsafe}}.Add(ref {{parameters}}, {{layer.Name}}Bias);
                ref float x0 = ref {{Marshal}}.GetReference(x);
                ref float z0 = ref {{Marshal}}.GetReference(z);
                """);
            if (layer.UnitMajor)
            {
                writer.Line($$"""
                    for (nint r = 0; r < rows; r++)
                    {
                        ref float xr = ref {{Unsafe}}.Add(ref x0, r * {{inputs}});
                        ref float zr = ref {{Unsafe}}.Add(ref z0, r * {{units}});
                        for (nint o = {{from}}; o < {{to}}; o++)
                        {
                            {{Vec}} acc = {{Vec}}.Zero;
                            float tail = {{Kernels}}.Products.DotAccumulate(ref xr, ref {{Unsafe}}.Add(ref w, o * {{inputs}}), {{inputs}}, ref acc);
                            {{Unsafe}}.Add(ref zr, o) = {{Unsafe}}.Add(ref b, o) + {{Vector}}.Sum(acc) + tail;
                        }
                    }
                    """);
            }
            else
            {
                writer.Line($"{Kernels}.LayerProducts.ForwardPanels(ref x0, ref w, ref b, ref z0, rows, {inputs}, {units}, first, end, rectify);");
            }
        }

        writer.Line();
        writer.Line($"/// <summary>{title}: dW[i, o] = Σ_r x[r, i] · dz[r, o] and db[o] = Σ_r dz[r, o], overwriting the gradients of the {slices} from first to end (exclusive).</summary>");
        using (writer.Block($"private static void {layer.Name}Gradients({ReadOnlySpan} x, {ReadOnlySpan} dz, {Span} gradients, int rows, nint first, nint end)"))
        {
            writer.Line($$"""
                ref float x0 = ref {{Marshal}}.GetReference(x);
                ref float dz0 = ref {{Marshal}}.GetReference(dz);
                ref float dw = ref {{Unsafe}}.Add(ref {{Marshal}}.GetReference(gradients), {{layer.Name}}Weights);
                ref float db = ref {{Unsafe}}.Add(ref {{Marshal}}.GetReference(gradients), {{layer.Name}}Bias);
                """);
            if (layer.UnitMajor)
            {
                writer.Line($"nint stop = {to};");
                EmitRowBlocks(writer, "o", from, "stop", "Row o of dW is dz's column o times the inputs; blocks of units share each row of x loaded.", blocked =>
                    writer.Line(Product(
                        blocked, $"{Unsafe}.Add(ref dz0, o)", units, "1", "rows", "x0", inputs, inputs,
                        "dw", "false", $"{Unsafe}.Add(ref dw, o * {inputs})", inputs)));
                writer.Line();
                writer.Line("float one = 1f;");

                // Block by block, so the sums run in the same order however the blocks are shared out.
                using (writer.Block($"for (nint u = {from}; u < {to}; u += {block})"))
                {
                    writer.Line(Product(
                        1, "one", "0", "0", "rows", $"{Unsafe}.Add(ref dz0, u)", units, $"global::System.Math.Min({block}, {units} - u)", $"{Unsafe}.Add(ref db, u)", "false", $"{Unsafe}.Add(ref db, u)", "0"));
                }
            }
            else
            {
                writer.Line($"{Kernels}.LayerProducts.GradientsPanels(ref x0, ref dz0, ref dw, ref db, rows, {inputs}, {units}, first, end);");
            }
        }

        writer.Line();
        if (layer.Index == 0)
        {
            return;
        }

        // Both layouts are read as [units, inputs]: unit-major weights as they are, panels as the copy the forward
        // pass made, so each row of dx is a product of the forward pass's form, with whole rows of inputs in registers.
        string source = layer.UnitMajor ? "the weights" : "the copy of the weights the forward pass made";
        writer.Line($"/// <summary>{title}: dx[r, i] = Σ_o dz[r, o] · W[i, o], the gradient passed to the layer below, with w [units, inputs] ({source}).</summary>");
        using (writer.Block($"private static void {layer.Name}InputGradient({ReadOnlySpan} weights, {ReadOnlySpan} dz, {Span} dx, int rows)"))
        {
            writer.Line($$"""
                ref float w = ref {{Marshal}}.GetReference(weights);
                ref float dz0 = ref {{Marshal}}.GetReference(dz);
                ref float dx0 = ref {{Marshal}}.GetReference(dx);
                """);
            writer.Line($"{Kernels}.LayerProducts.InputGradient(ref w, ref dz0, ref dx0, rows, {inputs}, {units});");
        }

        writer.Line();
    }

    /// <summary>
    /// Writes loops over <paramref name="index"/> from <paramref name="from"/> up to <paramref name="count"/> that
    /// take blocks of <see cref="WideRowBlock"/> rows, then of <see cref="RowBlock"/>, then the rows left over one
    /// by one; <paramref name="body"/> writes the statements of one iteration, told how many rows it takes.
    /// </summary>
    private static void EmitRowBlocks(SourceWriter writer, string index, string from, string count, string comment, Action<int> body)
    {
        writer.Line($"// {comment}");
        writer.Line($"nint {index} = {from};");
        foreach (int block in new[] { WideRowBlock, RowBlock })
        {
            using (writer.Block($"for (; {index} + {N(block)} <= {count}; {index} += {N(block)})"))
            {
                body(block);
            }

            writer.Line();
        }

        using (writer.Block($"for (; {index} < {count}; {index}++)"))
        {
            body(1);
        }
    }

    /// <summary>
    /// A call of the product kernel for <paramref name="block"/> rows: MultiplyAccumulateWideRows,
    /// MultiplyAccumulateRows, or MultiplyAccumulate for one row (which takes neither stride between rows).
    /// Arguments are C# expressions; s, m, start and output are passed by reference.
    /// </summary>
    private static string Product(
        int block, string s, string sStride, string sRowStride, string terms, string m, string mStride, string units,
        string start, string hasStart, string output, string outputStride) =>
        block == 1
            ? $"{Kernels}.Products.MultiplyAccumulate(ref {s}, {sStride}, {terms}, ref {m}, {mStride}, {units}, ref {start}, {hasStart}, ref {output}, false);"
            : block == WideRowBlock
                ? $"{Kernels}.Products.MultiplyAccumulateWideRows(ref {s}, {sStride}, {sRowStride}, {terms}, ref {m}, {mStride}, {units}, ref {start}, {hasStart}, ref {output}, {outputStride}, false, false);"
                : $"{Kernels}.Products.MultiplyAccumulateRows(ref {s}, {sStride}, {sRowStride}, {terms}, ref {m}, {mStride}, {units}, ref {start}, {hasStart}, ref {output}, {outputStride}, false);";

    /// <summary>
    /// Writes one statement per column panel of an input-major layer, from panel first to end (variables of the
    /// emitted code): a loop over the full panels and, when the units are not a multiple of the panel width, one
    /// statement for the narrower last panel. <paramref name="statement"/> receives the panel's offset in the
    /// weights, its width, and its first unit.
    /// </summary>
    private static void EmitPanels(SourceWriter writer, Layer layer, Func<string, string, string, string> statement)
    {
        string panelSize = N(layer.Inputs * PanelWidth);
        if (layer.FullPanels > 0)
        {
            using (writer.Block($"for (nint j = first; j < global::System.Math.Min(end, {N(layer.FullPanels)}); j++)"))
            {
                writer.Line(statement($"j * {panelSize}", N(PanelWidth), $"j * {N(PanelWidth)}"));
            }
        }

        // The tail panel, if any, is the last.
        if (layer.TailWidth > 0)
        {
            using (writer.Block($"if (end > {N(layer.FullPanels)})"))
            {
                writer.Line(statement(N(layer.FullPanels * layer.Inputs * PanelWidth), N(layer.TailWidth), N(layer.FullPanels * PanelWidth)));
            }
        }
    }
}
