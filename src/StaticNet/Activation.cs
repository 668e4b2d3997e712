namespace StaticNet;

/// <summary>
/// The activation applied to a layer's output. Each one is defined exactly as the PyTorch
/// function of the same name.
/// </summary>
public enum Activation
{
    /// <summary>The identity: <c>f(z) = z</c>.</summary>
    Linear = 0,

    /// <summary><c>f(z) = max(z, 0)</c>; the derivative at 0 is taken as 0, as in PyTorch.</summary>
    ReLU = 1,

    /// <summary><c>f(z) = z</c> for <c>z &gt; 0</c>, else <c>0.01 z</c> (PyTorch's default slope).</summary>
    LeakyReLU = 2,

    /// <summary>The logistic function <c>1 / (1 + e^-z)</c>.</summary>
    Sigmoid = 3,

    /// <summary>The hyperbolic tangent.</summary>
    Tanh = 4,

    /// <summary>
    /// <c>e^(z_j) / sum_k e^(z_k)</c> over the layer's outputs. Only allowed on the last layer.
    /// </summary>
    Softmax = 5,

    /// <summary><c>f(z) = z</c> for <c>z &gt; 0</c>, else <c>e^z - 1</c> (alpha 1).</summary>
    ELU = 6,

    /// <summary><c>f(z) = z · sigmoid(z)</c>, also known as swish.</summary>
    SiLU = 7,

    /// <summary>
    /// The tanh approximation of GELU, PyTorch's <c>gelu(z, approximate='tanh')</c>:
    /// <c>0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3)))</c>.
    /// </summary>
    GELU = 8,

    /// <summary><c>log(1 + e^z)</c>, returning <c>z</c> itself above 20 as PyTorch does.</summary>
    Softplus = 9,
}
