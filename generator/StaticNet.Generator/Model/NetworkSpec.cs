namespace StaticNet.Generator.Model;

// The model between parsing and emitting. It must stay value-equatable and hold no ISymbol,
// SyntaxNode, Compilation or Location: the incremental pipeline compares it with the previous
// run's to decide whether to emit again, and holding compiler objects would both defeat that
// comparison and keep whole compilations alive.

/// <summary>Everything the emitter needs to write one network.</summary>
/// <param name="Namespace">The containing namespace, or null for the global namespace.</param>
/// <param name="TypeName">The class's name.</param>
/// <param name="Keyword">"class", or "record" for a record class.</param>
/// <param name="IsAbstract">Whether the class is abstract, so it cannot be created by loading a file.</param>
/// <param name="ContainingTypes">Declarations of the enclosing types, outermost first, e.g. "partial class Outer".</param>
/// <param name="Inputs">The number of input features.</param>
/// <param name="Layers">The dense layers in application order.</param>
internal sealed record NetworkSpec(
    string? Namespace,
    string TypeName,
    string Keyword,
    bool IsAbstract,
    EquatableArray<string> ContainingTypes,
    int Inputs,
    EquatableArray<LayerSpec> Layers)
{
    /// <summary>The file name of the generated source, unique per type.</summary>
    public string HintName
    {
        get
        {
            string prefix = Namespace is null ? "" : Namespace + ".";
            foreach (string containing in ContainingTypes)
            {
                prefix += containing.Substring(containing.LastIndexOf(' ') + 1) + ".";
            }

            return prefix + TypeName + ".g.cs";
        }
    }
}

/// <summary>One dense layer as declared.</summary>
/// <param name="Units">The number of outputs.</param>
/// <param name="Activation">The activation.</param>
internal readonly record struct LayerSpec(int Units, ActivationKind Activation);

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
