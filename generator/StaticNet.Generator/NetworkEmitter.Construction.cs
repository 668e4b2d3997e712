using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using StaticNet.Generator.Model;

namespace StaticNet.Generator;

/// <summary>The constants, the parameter layout and the layer table, the parameter field and the constructors, the architecture and <c>Load</c>.</summary>
internal static partial class NetworkEmitter
{
    private static void EmitConstants(SourceWriter writer, NetworkSpec network, List<Layer> layers)
    {
        Layer last = layers[layers.Count - 1];
        int parameterCount = last.End;
        // The same rule as StaticNet.Kernels.ParameterStorage: a widest vector of slack, rounded up.
        int storage = (parameterCount + 31) / 16 * 16;
        int maxHidden = layers.Where(l => !l.IsLast).Select(l => l.Units).DefaultIfEmpty(0).Max();

        writer.Line($$"""
            /// <summary>The number of input features of one sample.</summary>
            public const int InputSize = {{N(network.Inputs)}};

            /// <summary>The number of outputs of one sample.</summary>
            public const int OutputSize = {{N(last.Units)}};

            /// <summary>The number of weights and biases.</summary>
            public const int ParameterCount = {{N(parameterCount)}};

            // Parameter storage, in floats: per layer the weights, then the biases. Each layer's weights are
            // laid out for its kernels. A layer of 8 units or more, and every layer of a network small enough
            // for straight-line code, keeps them input-major in column panels of 32 units: panel j holds W[i, o]
            // for units 32j to 32j + 31 (fewer in the last panel) as rows of one input each, so a panel streams
            // through memory in order while its units stay in registers. A narrower layer keeps them unit-major,
            // W[o, i] at o * Inputs + i, PyTorch's own layout, so each unit is a dot product along the inputs.
            // The storage is padded with zeros: at least 16 floats, to a multiple of 16, so optimizer steps run
            // whole vectors and a vector loaded at any parameter stays inside the array.
            //
            //   layer  shape                          weights                               biases
            """);
        foreach (Layer layer in layers)
        {
            string shape = $"Dense({N(layer.Units)}, {layer.Activation})";
            string weights = layer.UnitMajor
                ? $"unit-major [{N(layer.Units)} x {N(layer.Inputs)}] at {N(layer.WeightOffset)}"
                : $"panels of [{N(layer.Inputs)} x 32] at {N(layer.WeightOffset)}";
            writer.Line($"//   {N(layer.Index),-5}  {shape,-29}  {weights,-36}  {(layer.UseBias ? $"[{N(layer.Units)}] at {N(layer.BiasOffset)}" : "none")}");
        }

        writer.Line($"private const int ParameterStorageLength = {N(storage)};");
        foreach (Layer layer in layers)
        {
            writer.Line($"private const int {layer.Name}Weights = {N(layer.WeightOffset)};");
            writer.Line($"private const int {layer.Name}Bias = {N(layer.BiasOffset)};");
        }

        writer.Line($$"""

            // Hidden activations of one sample live on the stack: two buffers, used alternately by consecutive layers.
            private const int MaxHiddenUnits = {{N(maxHidden)}};
            """);
        string table = string.Join(",\n", layers.Select(l =>
            $"    new({N(l.Inputs)}, {N(l.Units)}, {Activation(l.Activation)}, {l.Name}Weights, {l.Name}Bias, {Layout(l)}, skipsZeros: {(l.SkipsZeros ? "true" : "false")})" +
            TrainingSettings(l)));
        var settings = new List<string>();
        if (!network.Training)
        {
            settings.Add("Trainable = false");
        }

        if (network.InputDropout > 0)
        {
            settings.Add($"InputDropout = {Float(network.InputDropout)}");
        }
        writer.Line($$"""

            private static readonly global::StaticNet.NetworkShape s_shape = new({{N(network.Inputs)}}, [{{string.Join(", ", layers.Select(l => layers.All(k => k.UseBias) ? $"({N(l.Units)}, {Activation(l.Activation)})" : $"({N(l.Units)}, {Activation(l.Activation)}, {(l.UseBias ? "true" : "false")})"))}}]);

            // The layer table the runtime's passes read. A layer skips zeros when its inputs are at least {{N(ZeroSkippingInputs)}}
            // features wide, such as an image's pixels, or follow a ReLU and its weights outgrow the L1 cache: its
            // single-sample product then reads the weight rows of only the inputs that are not zero.
            private static readonly {{Kernels}}.NetworkLayout s_layout = new(
            [
            {{table}},
            ]){{(settings.Count == 0 ? "" : $" {{ {string.Join(", ", settings)} }}")}};

            """);
    }

    private static void EmitConstruction(SourceWriter writer, NetworkSpec network, List<Layer> layers)
    {
        string type = Identifier(network.TypeName);
        string? trained = network.Trained is { } weights ? Xml(weights.Source) : null;
        if (network.Construction.HasPrimaryConstructor)
        {
            // Every constructor must call the primary one, whose arguments only the user knows, so
            // the initial parameters are set where any constructor runs: in the field initializer.
            string initial = trained is not null
                ? "WithTrainedParameters(new(ParameterStorageLength))"
                : network.Training ? "Initialize(new(ParameterStorageLength), global::System.Random.Shared.Next())" : "new(ParameterStorageLength)";
            writer.Line($$"""
                private readonly {{Kernels}}.AlignedArray _parameters = {{initial}};

                """);
        }
        else
        {
            writer.Line($"private readonly {Kernels}.AlignedArray _parameters = new(ParameterStorageLength);");
            writer.Line();
            writer.Line(trained is not null
                ? $$"""
                    /// <summary>Creates the network holding the trained parameters of '{{trained}}', which the build compiled into the assembly.</summary>
                    public {{type}}() => WithTrainedParameters(_parameters);
                    """
                : network.Training
                ? $$"""
                    /// <summary>Creates the network with Glorot-uniform weights and zero biases, drawn from a random seed.</summary>
                    public {{type}}() : this(global::System.Random.Shared.Next())
                    {
                    }
                    """
                : $$"""
                    /// <summary>Creates the network with every parameter zero, to load a trained model into (<c>ModelFile.LoadInto</c>, <c>LoadOnnxInto</c>).</summary>
                    public {{type}}()
                    {
                    }
                    """);
            writer.Line();
            if (network.Training)
            {
                writer.Line($$"""
                    /// <summary>
                    /// Creates the network with Glorot-uniform weights (Keras' default) and zero biases,
                    /// reproducible from <paramref name="seed"/>.
                    /// </summary>
                    /// <param name="seed">The seed of the initial weights.</param>
                    public {{type}}(int seed) => Initialize(_parameters, seed);

                    """);
            }
        }

        if (trained is not null)
        {
            EmitTrainedMembers(writer, network.Trained!, trained);
        }

        if (network.Training)
        {
            EmitInitialization(writer, layers);
        }

        writer.Line($$"""

            /// <summary>The architecture of this network.</summary>
            public static global::StaticNet.NetworkShape Shape => s_shape;

            global::StaticNet.NetworkShape {{INetwork}}.Shape => s_shape;

            /// <inheritdoc />
            public {{Span}} Parameters => _parameters.Slice(0, ParameterCount);

            {{Span}} {{IGenerated}}.ParameterStorage => _parameters.Span;

            /// <summary>A table of the layers with their output shapes and parameter counts, as Keras' <c>model.summary()</c>.</summary>
            public static string Summary() => s_shape.Summary("{{network.TypeName}}");

            """);
        if (network.Construction.CanLoad)
        {
            writer.Line($$"""
                /// <summary>Loads a network saved with <c>Save</c>, checking that the file holds this architecture.</summary>
                /// <param name="path">The safetensors file.</param>
                /// <exception cref="global::StaticNet.ModelFileException">The file is damaged or holds another architecture.</exception>
                public static {{type}} Load(string path) => global::StaticNet.ModelFile.Load<{{type}}>(path);

                """);
        }
    }

    /// <summary>The layer's settings that only training reads, as an object initializer; empty for none.</summary>
    private static string TrainingSettings(Layer layer)
    {
        var settings = new List<string>();
        if (!layer.UseBias)
        {
            settings.Add("UseBias = false");
        }

        if (layer.Dropout > 0)
        {
            settings.Add($"Dropout = {Float(layer.Dropout)}");
        }

        if (layer.L1 > 0)
        {
            settings.Add($"L1 = {Float(layer.L1)}");
        }

        if (layer.L2 > 0)
        {
            settings.Add($"L2 = {Float(layer.L2)}");
        }

        return settings.Count == 0 ? "" : $" {{ {string.Join(", ", settings)} }}";
    }

    /// <summary>The seeded initialisation a network that trains starts from: each layer's initializer, Glorot uniform unless declared.</summary>
    private static void EmitInitialization(SourceWriter writer, List<Layer> layers)
    {
        string weights = layers.All(l => l.Initializer == InitializerKind.GlorotUniform)
            ? "Glorot-uniform weights (Keras' default)"
            : "weights drawn as each layer declares (" + string.Join(", ", layers.Select(l => l.Initializer)) + ")";
        writer.Line($$"""
            /// <summary>
            /// Replaces every parameter with {{weights}} and zero biases drawn from
            /// <paramref name="seed"/>: the parameters a network created with that seed starts with.
            /// </summary>
            /// <param name="seed">The seed of the weights.</param>
            public void InitializeParameters(int seed) => Initialize(_parameters, seed);

            """);
        using (writer.Block($"private static {Kernels}.AlignedArray Initialize({Kernels}.AlignedArray parameters, int seed)"))
        {
            writer.Line("parameters.Span.Clear();");
            writer.Line("global::StaticNet.SeededRandom random = new(seed);");
            foreach (Layer layer in layers)
            {
                writer.Line(layer.Initializer == InitializerKind.GlorotUniform
                    ? $"{Kernels}.Initializers.GlorotUniform(parameters.Slice({layer.Name}Weights, {N(layer.Inputs * layer.Units)}), {N(layer.Inputs)}, {N(layer.Units)}, random);"
                    : $"{Kernels}.Initializers.Draw(global::StaticNet.Initializer.{layer.Initializer}, parameters.Slice({layer.Name}Weights, {N(layer.Inputs * layer.Units)}), {N(layer.Inputs)}, {N(layer.Units)}, random);");
            }

            writer.Line("return parameters;");
        }

    }

    private static void EmitTrainedMembers(SourceWriter writer, TrainedWeightsSpec weights, string source)
    {
        string entries = string.Join("\n", weights.Metadata.Select(m => $"    [{Literal(m.Key)}] = {Literal(m.Value)},"));
        writer.Line($$"""
            /// <summary>
            /// Replaces every parameter with the trained ones of '{{source}}' that the build compiled into the
            /// assembly: those a network created with <c>new()</c> starts with.
            /// </summary>
            public void LoadTrainedParameters() => WithTrainedParameters(_parameters);

            /// <summary>The string metadata saved in '{{source}}' with its parameters, such as <c>architecture</c>.</summary>
            public static global::System.Collections.Generic.IReadOnlyDictionary<string, string> TrainedMetadata => s_trainedMetadata;

            private static readonly global::System.Collections.ObjectModel.ReadOnlyDictionary<string, string> s_trainedMetadata = new(new global::System.Collections.Generic.Dictionary<string, string>
            {
            {{entries}}
            });

            private static {{Kernels}}.AlignedArray WithTrainedParameters({{Kernels}}.AlignedArray parameters)
            {
                {{Kernels}}.Initializers.Trained(s_layout, TrainedParameterData, parameters.Span);
                return parameters;
            }

            """);
    }

    /// <summary>The file holding a network's compiled-in parameters, apart from its code so that the code stays readable.</summary>
    public static string EmitTrainedData(NetworkSpec network)
    {
        TrainedWeightsSpec weights = network.Trained!;
        return InType(network, null, "", writer => writer.Line($$"""
            // The trained parameters of '{{weights.Source.Replace('\n', ' ')}}' in PyTorch's layout, as little-endian float32 in base64.
            // A UTF-8 literal lands in the assembly's data section: nothing runs to build it, and it is decoded once
            // into each new network.
            private static global::System.ReadOnlySpan<byte> TrainedParameterData => "{{weights.Base64}}"u8;
            """));
    }

    private static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
