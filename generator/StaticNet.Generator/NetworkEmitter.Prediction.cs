using System;
using System.Collections.Generic;
using System.Linq;
using StaticNet.Generator.Model;

namespace StaticNet.Generator;

/// <summary><c>Predict</c> and <c>PredictBatch</c>: calls of the runtime's passes over the layer table, and the straight-line code of tiny networks, whose layers each fit one vector register.</summary>
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
                    int lanes = {{Vec}}.Count;
                    {{Span}} columns = stackalloc float[InputSize * {{Vec}}.Count];
                    for (; r + lanes <= rows; r += lanes)
                    {
                        {{Kernels}}.Layouts.Transpose(inputs.Slice(r * InputSize, lanes * InputSize), columns, lanes, InputSize);
                        InferInLanes(ref {{Marshal}}.GetReference(columns), ref {{Unsafe}}.Add(ref y, r * OutputSize));
                    }


            """ : "";
        string registerBatch = inRegisters ? $$"""
                if ({{condition}})
                {
                    ref float x = ref {{Marshal}}.GetReference(inputs);
                    ref float y = ref {{Marshal}}.GetReference(outputs);
                    int r = 0;
            {{lanes}}        for (; r < rows; r++)
                    {
                        InferInRegisters(ref {{Unsafe}}.Add(ref x, r * InputSize), ref {{Unsafe}}.Add(ref y, r * OutputSize));
                    }

                    return;
                }

            """ + "\n" : "";
        var predict = new List<string>();
        if (layers.Count > 1)
        {
            predict.Add($"{Span} even = {Kernels}.AlignedArray.Within(stackalloc float[{Kernels}.AlignedArray.Padded(MaxHiddenUnits)], MaxHiddenUnits);");
        }

        if (layers.Count > 2)
        {
            predict.Add($"{Span} odd = {Kernels}.AlignedArray.Within(stackalloc float[{Kernels}.AlignedArray.Padded(MaxHiddenUnits)], MaxHiddenUnits);");
        }

        predict.Add($"{SpanOfInt} listed = stackalloc int[{N(layers.Where(l => l.SkipsZeros).Select(l => l.Inputs).DefaultIfEmpty(0).Max())}];");
        string input = "input";
        foreach (Layer layer in layers)
        {
            string output = layer.IsLast ? "output" : (layer.Index % 2 == 0 ? "even" : "odd") + $".Slice(0, {N(layer.Units)})";
            predict.Add($"{layer.Name}Predict({input}, {output}, listed, 0, {N(Slices(layer))});");
            input = output;
        }

        writer.Line($$"""
            /// <inheritdoc />
            public void Predict({{ReadOnlySpan}} input, {{Span}} output)
            {
                {{Kernels}}.Guard.Width(input.Length, InputSize, "input", "{{name}}");
                {{Kernels}}.Guard.Width(output.Length, OutputSize, "output", "{{name}}");
            {{registerPredict}}{{string.Join("\n", predict.Select(l => "    " + l))}}
            }

            /// <inheritdoc />
            public void PredictBatch({{ReadOnlySpan}} inputs, {{Span}} outputs)
            {
                int rows = {{Kernels}}.Guard.Rows(inputs.Length, InputSize, outputs.Length, OutputSize, "{{name}}");
            {{registerBatch}}    s_layout.PredictBatch(_parameters.Span, inputs, outputs, rows);
            }

            """);
        EmitTypedValues(writer, network, layers);
        // Each layer stays a method of its own: inlined into Predict, the layers shared one inlining budget, which ran out
        // before the kernels of the later layers, so those were called with their sizes and activation unknown. And each
        // is compiled optimized at its first call rather than tiered: its first, unoptimized tier inlines nothing, and
        // FMNIST's samples took 160 µs each, not 12, until the optimized code replaced it some 1,000 samples later.
        foreach (Layer layer in layers)
        {
            writer.Line($$"""
                /// <summary>{{layer.Name}}, Dense({{N(layer.Units)}}, {{layer.Activation}}) on {{N(layer.Inputs)}} inputs, for one sample, slices first to end: the runtime's kernel with this layer's sizes as constants, which the JIT folds in.</summary>
                {{OwnOptimizedMethod}}
                private void {{layer.Name}}Predict({{ReadOnlySpan}} x, {{Span}} a, {{SpanOfInt}} listed, int first, int end) =>
                    {{Kernels}}.SampleProducts.Dense(_parameters.Span, {{layer.Name}}Weights, {{layer.Name}}Bias, {{N(layer.Inputs)}}, {{N(layer.Units)}}, {{Activation(layer.Activation)}}, {{Layout(layer)}}, skipsZeros: {{(layer.SkipsZeros ? "true" : "false")}}, x, a, listed, first, end);

                """);
        }

        writer.Line("/// <inheritdoc />");
        using (writer.Block($"void {IGenerated}.PredictSlices(int layer, {ReadOnlySpan} x, {Span} a, {SpanOfInt} listed, int first, int end)"))
        {
            using (writer.Block("switch (layer)"))
            {
                foreach (Layer layer in layers)
                {
                    writer.Line($"case {N(layer.Index)}: {layer.Name}Predict(x, a, listed, first, end); return;");
                }

                writer.Line($"default: throw new global::System.ArgumentOutOfRangeException(nameof(layer), layer, \"{name} has layers 0 to {N(layers.Count - 1)}.\");");
            }
        }

        writer.Line();
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
                    writer.Line(layer.UseBias ? $"{Vec} {unit} = new({Unsafe}.Add(ref p, {layer.Name}Bias + {N(o)}));" : $"{Vec} {unit} = {Vec}.Zero;");
                    int chains = Chains(layer.Inputs);
                    EmitOtherChains(writer, unit, chains);

                    for (int i = 0; i < layer.Inputs; i++)
                    {
                        string sum = ChainName(unit, i % chains);
                        writer.Line($"{sum} = {Vector}.MultiplyAddEstimate({inputs[i]}, new {Vec}({Unsafe}.Add(ref p, {layer.Name}Weights + {N((i * layer.Units) + o)})), {sum});");
                    }

                    EmitJoinChains(writer, unit, chains);

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

    /// <summary>The accumulator <paramref name="chain"/> of the sum named <paramref name="sum"/>: the sum itself for the first.</summary>
    private static string ChainName(string sum, int chain) => chain == 0 ? sum : $"{sum}c{N(chain)}";

    /// <summary>Declares a sum's accumulators past the first, each starting at zero.</summary>
    private static void EmitOtherChains(SourceWriter writer, string sum, int chains)
    {
        for (int c = 1; c < chains; c++)
        {
            writer.Line($"{Vec} {ChainName(sum, c)} = {Vec}.Zero;");
        }
    }

    /// <summary>Adds a sum's other accumulators into it, in pairs, where it has four.</summary>
    private static void EmitJoinChains(SourceWriter writer, string sum, int chains)
    {
        if (chains > 1)
        {
            writer.Line($"{sum} = ({sum} + {ChainName(sum, 1)}) + ({ChainName(sum, 2)} + {ChainName(sum, 3)});");
        }
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
                writer.Line(layer.UseBias ? $"{Vec} z{i} = {Vector}.LoadUnsafe(ref p, {layer.Name}Bias);" : $"{Vec} z{i} = {Vec}.Zero;");
                int chains = Chains(layer.Inputs);
                EmitOtherChains(writer, $"z{i}", chains);

                for (int k = 0; k < layer.Inputs; k++)
                {
                    string value = layer.Index == 0 ? $"{Unsafe}.Add(ref x, {N(k)})" : $"{input}[{N(k)}]";
                    string sum = ChainName($"z{i}", k % chains);
                    writer.Line($"{sum} = {Vector}.MultiplyAddEstimate(new {Vec}({value}), {Vector}.LoadUnsafe(ref p, {layer.Name}Weights + {N(k * layer.Units)}), {sum});");
                }

                EmitJoinChains(writer, $"z{i}", chains);

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
}
