using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using StaticNet.Generator.Model;

namespace StaticNet.Generator;

/// <summary>
/// Writes the source of one network from its <see cref="NetworkSpec"/> alone: the constants, the layout of
/// the parameters and the table of the layers that the runtime's passes read, the typed values and the
/// public members, and for tiny networks straight-line code with every size a constant. This file lays the
/// layers out and holds what every part shares; the parts, one file each: construction, prediction,
/// typed values and layouts.
/// </summary>
internal static partial class NetworkEmitter
{
    private const string Span = "global::System.Span<float>";
    private const string SpanOfInt = "global::System.Span<int>";
    private const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";
    private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    private const string Vec = "global::System.Numerics.Vector<float>";
    private const string Vector = "global::System.Numerics.Vector";
    private const string Kernels = "global::StaticNet.Kernels";
    private const string INetwork = "global::StaticNet.INetwork";
    private const string IGenerated = "global::StaticNet.Kernels.IGeneratedNetwork";
    private const string AggressiveInlining =
        "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]";
    private const string OwnOptimizedMethod =
        "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining | global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";

    /// <summary>Units per weight panel of an input-major layer, as StaticNet.Kernels.LayerProducts.PanelWidth.</summary>
    private const int PanelWidth = 32;

    /// <summary>Units per slice of a unit-major layer, as StaticNet.Kernels.LayerLayout.UnitBlock.</summary>
    private const int UnitBlock = 4;

    /// <summary>Straight-line networks with at most this many multiply-adds per sample also predict batches a sample per lane.</summary>
    private const int LanesMultiplyAdds = 128;

    /// <summary>
    /// A first layer with at least this many inputs skips the zero ones in single-sample products. Narrower
    /// inputs are usually dense features, whose listing would cost more than it saves (TINY's 16 dense
    /// inputs: 9 ns of its 115, measured with the listing's portable path).
    /// </summary>
    private const int ZeroSkippingInputs = 256;

    /// <summary>
    /// A layer after a ReLU skips its zero inputs only with more weights than this: 32 KB, the L1 data cache of
    /// the processors StaticNet targets. TINY's second layer (64 × 64, 16 KB) took 158–170 ns a sample with its
    /// rows read in order and 194–224 ns through the list of its inputs that are not zero (half of them).
    /// </summary>
    private const int CachedWeights = 8192;

    /// <summary>Layers narrower than this keep unit-major weights, so their units are dot products along the inputs.</summary>
    private const int NarrowUnits = 8;

    /// <summary>
    /// A straight-line layer with at least this many inputs sums them in <see cref="Chains"/> accumulators, input k in
    /// accumulator k mod 4: in one, each multiply-add waits for the one before, four cycles on the processors StaticNet
    /// targets, and a logistic regression over 100 features took 107.5 ns a sample against 59.1 in four
    /// (StraightLineBenchmarks).
    /// </summary>
    private const int ChainedInputs = 8;

    /// <summary>The accumulators of a straight-line layer, the same in the single-sample and lane-per-sample code, so that both sum in one order.</summary>
    private static int Chains(int inputs) => inputs >= ChainedInputs ? 4 : 1;

    public static string Emit(NetworkSpec network)
    {
        var layers = Describe(network);
        string summary = string.Join(" → ", new[] { N(network.Inputs) }.Concat(network.Layers.Select(l => $"{N(l.Units)} {l.Activation}")));
        return InType(network, $"/// <remarks>StaticNet network {summary}: code generated for exactly this shape.</remarks>", $" : {IGenerated}", writer =>
        {
            EmitConstants(writer, network, layers);
            EmitConstruction(writer, network, layers);
            EmitPrediction(writer, network, layers);
            EmitLayouts(writer, network, layers);
        });
    }

    /// <summary>A file declaring one more part of the network's class, inside its namespace and containing types.</summary>
    private static string InType(NetworkSpec network, string? documentation, string bases, Action<SourceWriter> members)
    {
        var writer = new SourceWriter();
        writer.Line("// <auto-generated/>");
        writer.Line("#nullable enable");
        writer.Line();

        var scopes = new List<SourceWriter.Scope>();
        if (network.Namespace.Count > 0)
        {
            scopes.Add(writer.Block($"namespace {string.Join(".", network.Namespace.Select(Identifier))}"));
        }

        foreach (ContainingTypeSpec containing in network.ContainingTypes)
        {
            scopes.Add(writer.Block($"partial {containing.Keyword} {Identifier(containing.Name)}"));
        }

        if (documentation is not null)
        {
            writer.Line(documentation);
        }

        using (writer.Block($"partial {network.Keyword} {Identifier(network.TypeName)}{bases}"))
        {
            members(writer);
        }

        for (int i = scopes.Count - 1; i >= 0; i--)
        {
            scopes[i].Dispose();
        }

        return writer.ToString();
    }

    private static List<Layer> Describe(NetworkSpec network)
    {
        var shapes = new List<(int Inputs, LayerSpec Spec)>(network.Layers.Count);
        int inputs = network.Inputs;
        foreach (LayerSpec spec in network.Layers)
        {
            shapes.Add((inputs, spec));
            inputs = spec.Units;
        }

        // Straight-line networks read every layer as rows of its units, so all stay input-major.
        bool inRegisters = shapes.All(l => l.Spec.Units <= 16 && l.Spec.Activation != ActivationKind.Softmax) && shapes.Sum(l => l.Inputs) <= 128;
        var layers = new List<Layer>(shapes.Count);
        int offset = 0;
        for (int i = 0; i < shapes.Count; i++)
        {
            (int layerInputs, LayerSpec spec) = shapes[i];
            bool unitMajor = !inRegisters && spec.Units < NarrowUnits;

            // Zeros are common after a ReLU and in wide inputs such as images' backgrounds, and rare after any
            // other activation; where they are rare, listing them costs more than skipping them saves. Weights that
            // fit the L1 cache are read faster in order than through the list, even with half the inputs zero.
            bool skipsZeros = !unitMajor && (i == 0
                ? layerInputs >= ZeroSkippingInputs
                : shapes[i - 1].Spec.Activation == ActivationKind.ReLU && layerInputs * spec.Units > CachedWeights);
            // A layer without biases has no room for them: its weights are followed by the next layer's, and its bias offset is -1.
            layers.Add(new Layer(
                i, layerInputs, spec.Units, spec.Activation, offset, spec.UseBias ? offset + (layerInputs * spec.Units) : -1, i == shapes.Count - 1, unitMajor, inRegisters, skipsZeros,
                spec.Dropout, spec.Initializer, spec.L1, spec.L2));
            offset += (layerInputs + (spec.UseBias ? 1 : 0)) * spec.Units;
        }

        return layers;
    }

    private static string Activation(ActivationKind activation) => $"global::StaticNet.Activation.{activation}";

    /// <summary>The layer's slices, the runs of units work done in parts never cuts: panels, or blocks of a unit-major layer.</summary>
    private static int Slices(Layer layer) => (layer.Units + (layer.UnitMajor ? UnitBlock : PanelWidth) - 1) / (layer.UnitMajor ? UnitBlock : PanelWidth);

    private static string Layout(Layer layer) => $"{Kernels}.WeightLayout.{(layer.UnitMajor ? "UnitMajor" : "Panels")}";

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A float as a C# literal that reads back as the same value.</summary>
    private static string Float(float value) => value.ToString("R", CultureInfo.InvariantCulture) + "f";

    /// <summary>A name as C# source: a keyword such as <c>event</c> needs its <c>@</c> back to be an identifier.</summary>
    private static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>One layer as the emitter lays it out.</summary>
    /// <param name="UnitMajor">Weights stored [units, inputs]; otherwise input-major column panels.</param>
    /// <param name="InRegisters">The network is small enough for straight-line single-sample code.</param>
    /// <param name="SkipsZeros">The single-sample product lists the inputs that are not zero and reads only their weight rows (in a wide layer, when enough are zero).</param>
    /// <param name="Dropout">The rate of the dropout of the layer's activations in training; 0 for none.</param>
    /// <param name="Initializer">How the weights are drawn from the seed.</param>
    /// <param name="L1">The L1 penalty on the weights in training; 0 for none.</param>
    /// <param name="L2">The L2 penalty on the weights in training; 0 for none.</param>
    private sealed record Layer(
        int Index, int Inputs, int Units, ActivationKind Activation, int WeightOffset, int BiasOffset, bool IsLast, bool UnitMajor, bool InRegisters, bool SkipsZeros,
        float Dropout, InitializerKind Initializer, float L1, float L2)
    {
        public string Name => "Layer" + Index.ToString(CultureInfo.InvariantCulture);

        public bool UseBias => BiasOffset >= 0;

        /// <summary>Where the layer's parameters end: after its biases, or after its weights when it has none.</summary>
        public int End => WeightOffset + (Inputs * Units) + (UseBias ? Units : 0);
    }
}
