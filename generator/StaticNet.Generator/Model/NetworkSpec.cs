namespace StaticNet.Generator.Model;

// The model between parsing and emitting. It must stay value-equatable and hold no ISymbol,
// SyntaxNode, Compilation or Location: the incremental pipeline compares it with the previous
// run's to decide whether to emit again, and holding compiler objects would both defeat that
// comparison and keep whole compilations alive.

/// <summary>Everything the emitter needs to write one network.</summary>
/// <param name="HintName">The file name of the generated source: unique within the compilation, ignoring case.</param>
/// <param name="Namespace">The parts of the containing namespace, outermost first; empty for the global namespace.</param>
/// <param name="ContainingTypes">The enclosing types, outermost first.</param>
/// <param name="TypeName">The class's name, as the compiler reads it (without an escaping <c>@</c>).</param>
/// <param name="Keyword">"class", or "record" for a record class.</param>
/// <param name="Construction">How instances are created, which decides the constructors and <c>Load</c> the emitter writes.</param>
/// <param name="Inputs">The number of input features.</param>
/// <param name="Layers">The dense layers in application order.</param>
/// <param name="WeightsPath">The trained model file the declaration names, or <see langword="null"/>.</param>
/// <param name="Training">Whether the network trains; without, only what inference needs is generated.</param>
/// <param name="Trained">That file's parameters once checked against the layers; <see langword="null"/> without one, or when it does not fit.</param>
/// <param name="InputDropout">The rate of the [Dropout] declared before the first layer, dropping inputs in training; 0 for none.</param>
internal sealed record NetworkSpec(
    string HintName,
    EquatableArray<string> Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string TypeName,
    string Keyword,
    ConstructionSpec Construction,
    int Inputs,
    EquatableArray<LayerSpec> Layers,
    string? WeightsPath = null,
    bool Training = true,
    TrainedWeightsSpec? Trained = null,
    float InputDropout = 0);

/// <summary>A type that encloses the network.</summary>
/// <param name="Keyword">"class", "struct", "record", "record struct" or "interface".</param>
/// <param name="Name">The type's name, as the compiler reads it.</param>
internal readonly record struct ContainingTypeSpec(string Keyword, string Name);

/// <summary>How a network's instances come to be.</summary>
/// <param name="HasPrimaryConstructor">
/// The class declares a primary constructor, which every other constructor must call; the generated part
/// then declares no constructor and draws the initial weights in a field initializer.
/// </param>
/// <param name="CanLoad">
/// <c>new()</c> creates a usable instance (not abstract, a parameterless constructor, no required members),
/// so the generated part can offer <c>Load</c>.
/// </param>
internal readonly record struct ConstructionSpec(bool HasPrimaryConstructor, bool CanLoad);

/// <summary>One dense layer as declared.</summary>
/// <param name="Units">The number of outputs.</param>
/// <param name="Activation">The activation.</param>
/// <param name="Dropout">The rate of the [Dropout] declared after the layer, dropping its activations in training; 0 for none.</param>
/// <param name="Initializer">How the weights are drawn from the seed, as StaticNet.Initializer.</param>
/// <param name="L1">The L1 penalty on the weights; 0 for none.</param>
/// <param name="L2">The L2 penalty on the weights; 0 for none.</param>
/// <param name="UseBias">Whether the layer has biases.</param>
internal readonly record struct LayerSpec(
    int Units, ActivationKind Activation, float Dropout = 0, InitializerKind Initializer = InitializerKind.GlorotUniform, float L1 = 0, float L2 = 0, bool UseBias = true);

/// <summary>Mirror of StaticNet.Activation; the generator cannot reference the runtime assembly.</summary>
internal enum ActivationKind
{
    Linear = 0,
    ReLU = 1,
    LeakyReLU = 2,
    Sigmoid = 3,
    Tanh = 4,
    Softmax = 5,
    ELU = 6,
    SiLU = 7,
    GELU = 8,
    Softplus = 9,
}

/// <summary>Mirror of StaticNet.Initializer.</summary>
internal enum InitializerKind
{
    GlorotUniform = 0,
    GlorotNormal = 1,
    HeUniform = 2,
    HeNormal = 3,
    LeCunUniform = 4,
    LeCunNormal = 5,
}
