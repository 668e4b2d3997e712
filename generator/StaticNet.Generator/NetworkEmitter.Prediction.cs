using System;
using System.Collections.Generic;
using System.Linq;
using StaticNet.Generator.Model;

namespace StaticNet.Generator;

/// <summary><c>Predict</c>, <c>PredictBatch</c> and the inference passes behind them: per layer a single-sample and a batched product, the parts <c>SplitPredictor</c> shares among threads, and the straight-line code of tiny networks.</summary>
internal static partial class NetworkEmitter
{
    private static void EmitPrediction(SourceWriter writer, NetworkSpec network, List<Layer> layers)
    {
        string name = network.TypeName;
        bool inRegisters = layers[0].InRegisters;
        string condition = $"{Vec}.Count >= {N(layers.Max(l => l.Units))}";
        string registerPredict = inRegisters ? $$"""
                // Every layer fits one vector register: straight-line code, no loops, no scratch.
                if ({{condition}})
                {
                    InferInRegisters(ref {{Marshal}}.GetReference(input), ref {{Marshal}}.GetReference(output));
                    return;
                }

            """ + "\n" : "";
        bool inLanes = inRegisters && layers.Sum(l => l.Inputs * l.Units) <= LanesMultiplyAdds;
        string lanes = inLanes ? $$"""
                    // A vector's worth of samples at a time, one per lane; the rest one by one.
                    nint lanes = {{Vec}}.Count;
                    {{Span}} columns = stackalloc float[InputSize * {{Vec}}.Count];
                    ref float c = ref {{Marshal}}.GetReference(columns);
                    for (; r + lanes <= rows; r += lanes)
                    {
                        for (nint q = 0; q < lanes; q++)
                        {
                            for (nint i = 0; i < InputSize; i++)
                            {
                                {{Unsafe}}.Add(ref c, (i * lanes) + q) = {{Unsafe}}.Add(ref x, ((r + q) * InputSize) + i);
                            }
                        }

                        InferInLanes(ref c, ref {{Unsafe}}.Add(ref y, r * OutputSize));
                    }


            """ : "";
        string registerBatch = inRegisters ? $$"""
                if ({{condition}})
                {
                    ref float x = ref {{Marshal}}.GetReference(inputs);
                    ref float y = ref {{Marshal}}.GetReference(outputs);
                    nint r = 0;
            {{lanes}}        for (; r < rows; r++)
                    {
                        InferInRegisters(ref {{Unsafe}}.Add(ref x, r * InputSize), ref {{Unsafe}}.Add(ref y, r * OutputSize));
                    }

                    return;
                }

            """ + "\n" : "";
        int gatheredInputs = layers.Where(l => l.SkipsZeros).Select(l => l.Inputs).DefaultIfEmpty(0).Max();
        string nonZero = gatheredInputs == 0 ? "" : $"    {SpanOfInt} nonZero = stackalloc int[{N(gatheredInputs)}];\n";
        var predictLayers = new List<string>();
        string input = "input";
        foreach (Layer layer in layers)
        {
            string output = layer.IsLast ? "output" : (layer.Index % 2 == 0 ? "even" : "odd") + $".Slice(0, {N(layer.Units)})";
            predictLayers.Add(PredictLayer(layer, input, output, "0", N(layer.Slices)));
            input = output;
        }

        writer.Line($$"""
            /// <inheritdoc />
            public void Predict({{ReadOnlySpan}} input, {{Span}} output)
            {
                {{Kernels}}.Guard.Width(input.Length, InputSize, "input", "{{name}}");
                {{Kernels}}.Guard.Width(output.Length, OutputSize, "output", "{{name}}");
            {{registerPredict}}    {{Span}} even = {{Kernels}}.AlignedArray.Within(stackalloc float[{{Kernels}}.AlignedArray.Padded(MaxHiddenUnits)], MaxHiddenUnits);
                {{Span}} odd = {{Kernels}}.AlignedArray.Within(stackalloc float[{{Kernels}}.AlignedArray.Padded(MaxHiddenUnits)], MaxHiddenUnits);
            {{nonZero}}{{string.Join("\n", predictLayers.Select(l => "    " + l.Replace("\n", "\n    ")))}}
            }

            /// <inheritdoc />
            public void PredictBatch({{ReadOnlySpan}} inputs, {{Span}} outputs)
            {
                int rows = {{Kernels}}.Guard.Rows(inputs.Length, InputSize, outputs.Length, OutputSize, "{{name}}");
            {{registerBatch}}    {{Span}} even = {{Kernels}}.AlignedArray.Within(stackalloc float[{{Kernels}}.AlignedArray.Padded(ChunkRows * MaxHiddenUnits)], ChunkRows * MaxHiddenUnits);
                {{Span}} odd = {{Kernels}}.AlignedArray.Within(stackalloc float[{{Kernels}}.AlignedArray.Padded(ChunkRows * MaxHiddenUnits)], ChunkRows * MaxHiddenUnits);
                for (int start = 0; start < rows; start += ChunkRows)
                {
                    int count = global::System.Math.Min(ChunkRows, rows - start);
                    Infer(inputs.Slice(start * InputSize, count * InputSize), outputs.Slice(start * OutputSize, count * OutputSize), count, even, odd);
                }
            }

            """);
        EmitTypedValues(writer, network, layers);
        writer.Line("/// <summary>The inference forward pass: ReLU is applied as the products store, other activations in place after them; hidden rows alternate between the two buffers.</summary>");
        using (writer.Block($"private void Infer({ReadOnlySpan} x, {Span} y, int rows, {Span} even, {Span} odd)"))
        {
            input = "x";
            foreach (Layer layer in layers)
            {
                string output = layer.IsLast ? "y" : $"h{N(layer.Index)}";
                if (!layer.IsLast)
                {
                    writer.Line($"{Span} {output} = {(layer.Index % 2 == 0 ? "even" : "odd")}.Slice(0, rows * {N(layer.Units)});");
                }

                bool rectified = !layer.UnitMajor && layer.Activation == ActivationKind.ReLU;
                writer.Line($"{layer.Name}Forward({input}, {output}, rows, 0, {N(layer.Slices)}{ForwardRectify(layer, rectified)});");
                if (layer.Activation != ActivationKind.Linear && !rectified)
                {
                    writer.Line($"{Kernels}.ActivationKernels.Forward({Activation(layer.Activation)}, {output}, {output}, {N(layer.Units)});");
                }

                input = output;
            }
        }

        writer.Line();
        EmitInferPart(writer, name, layers);
        if (inRegisters)
        {
            EmitInferInRegisters(writer, layers);
        }

        if (inLanes)
        {
            EmitInferInLanes(writer, layers);
        }
    }

    private static void EmitInferInLanes(SourceWriter writer, List<Layer> layers)
    {
        writer.Line("""
            /// <summary>
            /// As many samples as a vector has lanes, lane q holding sample q: every unit is one vector, and each
            /// weight is broadcast once for all the samples. The inputs arrive transposed, input i of every sample
            /// at columns[i * lanes]; the outputs go to consecutive rows of y.
            /// </summary>
            """);
        using (writer.Block("private void InferInLanes(ref float columns, ref float y)"))
        {
            writer.Line("ref float p = ref _parameters.Start;");
            writer.Line($"nint lanes = {Vec}.Count;");
            var inputs = Enumerable.Range(0, layers[0].Inputs).Select(i => $"{Vector}.LoadUnsafe(ref columns, (nuint)({N(i)} * lanes))").ToList();
            foreach (Layer layer in layers)
            {
                writer.Line($"// {layer.Name}, Dense({N(layer.Units)}, {layer.Activation}).");
                var outputs = new List<string>();
                for (int o = 0; o < layer.Units; o++)
                {
                    string unit = $"l{N(layer.Index)}u{N(o)}";
                    writer.Line($"{Vec} {unit} = new({Unsafe}.Add(ref p, {layer.Name}Bias + {N(o)}));");
                    for (int i = 0; i < layer.Inputs; i++)
                    {
                        writer.Line($"{unit} = {Vector}.MultiplyAddEstimate({inputs[i]}, new {Vec}({Unsafe}.Add(ref p, {layer.Name}Weights + {N((i * layer.Units) + o)})), {unit});");
                    }

                    writer.Line($"{unit} = {Kernels}.ActivationKernels.Apply({Activation(layer.Activation)}, {unit});");
                    outputs.Add(unit);
                }

                inputs = outputs;
            }

            using (writer.Block("for (nint q = 0; q < lanes; q++)"))
            {
                for (int o = 0; o < inputs.Count; o++)
                {
                    writer.Line($"{Unsafe}.Add(ref y, (q * OutputSize) + {N(o)}) = {inputs[o]}[(int)q];");
                }
            }
        }

        writer.Line();
    }

    /// <summary>
    /// Writes SliceWidth and the single-sample forward pass of one layer in parts, so that several cores
    /// can share a sample: part p of n takes the p-th of n runs of whole slices (panels, or blocks of
    /// units in a unit-major layer) and applies the activation to its own units. Softmax couples all
    /// units, so part 0 computes a Softmax layer whole.
    /// </summary>
    private static void EmitInferPart(SourceWriter writer, string name, List<Layer> layers)
    {
        writer.Line("/// <inheritdoc />");
        using (writer.Block($"int {IGenerated}.SliceWidth(int layer) => layer switch"))
        {
            foreach (Layer layer in layers)
            {
                writer.Line($"{N(layer.Index)} => {N(layer.SliceWidth)},");
            }

            writer.Line($"_ => throw new global::System.ArgumentOutOfRangeException(nameof(layer), layer, \"{name} has layers 0 to {N(layers.Count - 1)}.\"),");
        }

        writer.Line(";");
        writer.Line();
        writer.Line("/// <inheritdoc />");
        using (writer.Block($"void {IGenerated}.InferPart(int layer, int part, int parts, {ReadOnlySpan} x, {Span} z)"))
        {
            writer.Line($"{Kernels}.Guard.Part(part, parts);");
            using (writer.Block("switch (layer)"))
            {
                foreach (Layer layer in layers)
                {
                    writer.Line($"case {N(layer.Index)}:");
                    using (writer.Block(""))
                    {
                        writer.Line($"""
                            {Kernels}.Guard.Width(x.Length, {N(layer.Inputs)}, "x", "{name}");
                            {Kernels}.Guard.Width(z.Length, {N(layer.Units)}, "z", "{name}");
                            """);
                        if (layer.SkipsZeros)
                        {
                            writer.Line($"{SpanOfInt} nonZero = stackalloc int[{N(layer.Inputs)}];");
                        }

                        string slices = N(layer.Slices);
                        if (layer.Activation == ActivationKind.Softmax)
                        {
                            using (writer.Block("if (part == 0)"))
                            {
                                writer.Line(PredictLayer(layer, "x", "z", "0", slices));
                            }
                        }
                        else
                        {
                            writer.Line(PredictLayer(layer, "x", "z", $"(nint)part * {slices} / parts", $"((nint)part + 1) * {slices} / parts"));
                        }

                        writer.Line("return;");
                    }
                }

                writer.Line($$"""
                    default:
                        throw new global::System.ArgumentOutOfRangeException(nameof(layer), layer, "{{name}} has layers 0 to {{N(layers.Count - 1)}}.");
                    """);
            }
        }

        writer.Line();
    }

    /// <summary>
    /// The statements that compute one sample's activations of a layer for the slices from
    /// <paramref name="first"/> to <paramref name="end"/>: a call of the layer's single-sample product,
    /// which applies element-wise activations itself, then Softmax, which spans the whole layer.
    /// </summary>
    private static string PredictLayer(Layer layer, string input, string output, string first, string end)
    {
        string call = $"{layer.Name}Predict({input}, {output}, {first}, {end}{(layer.SkipsZeros ? ", nonZero" : "")});";
        return layer.Activation == ActivationKind.Softmax
            ? $"{call}\n{Kernels}.ActivationKernels.Forward({Activation(layer.Activation)}, {output}, {output}, {N(layer.Units)});"
            : call;
    }

    private static void EmitInferInRegisters(SourceWriter writer, List<Layer> layers)
    {
        writer.Line("""
            /// <summary>
            /// One sample with each layer held in one vector: lane o is unit o, and lanes past the layer's units
            /// hold whatever the loads brought in, which nothing reads. Loads past a layer's last weight stay
            /// inside the parameter array, whose padding is at least one vector.
            /// </summary>
            """);
        writer.Line(AggressiveInlining);
        using (writer.Block("private void InferInRegisters(ref float x, ref float y)"))
        {
            writer.Line("ref float p = ref _parameters.Start;");
            string input = "x";
            foreach (Layer layer in layers)
            {
                string i = N(layer.Index);
                writer.Line($"// {layer.Name}, Dense({N(layer.Units)}, {layer.Activation}).");
                writer.Line($"{Vec} z{i} = {Vector}.LoadUnsafe(ref p, {layer.Name}Bias);");
                for (int k = 0; k < layer.Inputs; k++)
                {
                    string value = layer.Index == 0 ? $"{Unsafe}.Add(ref x, {N(k)})" : $"{input}[{N(k)}]";
                    writer.Line($"z{i} = {Vector}.MultiplyAddEstimate(new {Vec}({value}), {Vector}.LoadUnsafe(ref p, {layer.Name}Weights + {N(k * layer.Units)}), z{i});");
                }

                writer.Line($"{Vec} a{i} = {Kernels}.ActivationKernels.Apply({Activation(layer.Activation)}, z{i});");
                input = $"a{i}";
            }

            Layer last = layers[layers.Count - 1];
            for (int o = 0; o < last.Units; o++)
            {
                writer.Line($"{Unsafe}.Add(ref y, {N(o)}) = {input}[{N(o)}];");
            }
        }

        writer.Line();
    }

    /// <summary>
    /// Writes the single-sample product of one layer, a GEMV rather than the batched GEMM: each panel's units
    /// stay in registers over the inputs, the element-wise activation is applied before they are stored, and
    /// where the layer skips zeros only the rows of the inputs that are not zero are read (in a wide layer, only
    /// when enough inputs are zero).
    /// </summary>
    private static void EmitPredictLayer(SourceWriter writer, Layer layer, string title, string slices)
    {
        string activation = Activation(layer.Activation == ActivationKind.Softmax ? ActivationKind.Linear : layer.Activation);
        string applied = layer.Activation is ActivationKind.Linear or ActivationKind.Softmax ? "" : $"{layer.Activation}(";
        string formula = applied.Length == 0 ? "b[o] + Σ_i x[i] · W[i, o]" : $"{applied}b[o] + Σ_i x[i] · W[i, o])";
        string skipping = !layer.SkipsZeros ? ""
            : layer.Inputs < ZeroSkippingInputs ? ", reading the weight rows of only the inputs that are not zero"
            : $", reading the weight rows of only the inputs that are not zero when more than 1 in {N(DenseShare)} are zero, and all in order otherwise";
        string parameter = layer.SkipsZeros ? $", {SpanOfInt} nonZero" : "";
        writer.Line($"/// <summary>{title}, one sample: a[o] = {formula} for the {slices} from first to end (exclusive){skipping}.</summary>");
        using (writer.Block($"private void {layer.Name}Predict({ReadOnlySpan} x, {Span} a, nint first, nint end{parameter})"))
        {
            if (layer.UnitMajor)
            {
                (string from, string to) = layer.UnitRange;
                writer.Line($"{layer.Name}Forward(x, a, 1, first, end);");
                if (applied.Length > 0)
                {
                    writer.Line($"{Span} units = a.Slice((int)({from}), (int)({to}) - (int)({from}));");
                    writer.Line($"{Kernels}.ActivationKernels.Forward({activation}, units, units, units.Length);");
                }
            }
            else
            {
                EmitPanelProducts(writer, layer, activation);
            }
        }

        writer.Line();
    }

    /// <summary>The body of an input-major layer's single-sample product: one kernel call per panel.</summary>
    private static void EmitPanelProducts(SourceWriter writer, Layer layer, string activation)
    {
        writer.Line($$"""
            ref float w = ref {{Unsafe}}.Add(ref _parameters.Start, {{layer.Name}}Weights);
            ref float b = ref {{Unsafe}}.Add(ref _parameters.Start, {{layer.Name}}Bias);
            ref float x0 = ref {{Marshal}}.GetReference(x);
            ref float a0 = ref {{Marshal}}.GetReference(a);
            """);
        void Products(bool gather) => EmitPanels(writer, layer, (panel, width, column) =>
            $"{Kernels}.SampleProducts.MultiplyAccumulateOne(ref x0, ref {(gather ? "k0" : $"{Unsafe}.NullRef<int>()")}, {(gather ? "count" : N(layer.Inputs))}, {(gather ? "true" : "false")}, " +
            $"ref {Unsafe}.Add(ref w, {panel}), {width}, {width}, ref {Unsafe}.Add(ref b, {column}), ref {Unsafe}.Add(ref a0, {column}), {activation});");

        if (!layer.SkipsZeros)
        {
            Products(gather: false);
            return;
        }

        writer.Line($"nint count = {Kernels}.NonZero.Indices(x, nonZero);");
        writer.Line($"ref int k0 = ref {Marshal}.GetReference(nonZero);");
        if (layer.Inputs < ZeroSkippingInputs)
        {
            Products(gather: true);
            return;
        }

        // Reading the rows through the list costs a load and an address an input, which skipping a few rows does
        // not repay: on inputs with no zeros, FMNIST's sample took 5.9 µs with its first layer's rows read through
        // the list and 4.8 µs with them read in order.
        using (writer.Block($"if (count < {N(layer.Inputs - (layer.Inputs / DenseShare))})"))
        {
            Products(gather: true);
        }

        using (writer.Block("else"))
        {
            Products(gather: false);
        }
    }
}
