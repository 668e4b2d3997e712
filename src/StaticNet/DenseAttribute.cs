using System;

namespace StaticNet;

/// <summary>
/// Declares a fully connected layer of a <see cref="NetworkAttribute">network</see>. Layers are
/// applied in the order their attributes appear in source.
/// </summary>
/// <param name="units">The number of outputs of the layer.</param>
/// <param name="activation">The activation applied to the layer's outputs.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute(int units, Activation activation = Activation.Linear) : Attribute
{
    /// <summary>The number of outputs of the layer.</summary>
    public int Units { get; } = units;

    /// <summary>The activation applied to the layer's outputs.</summary>
    public Activation Activation { get; } = activation;

    /// <summary>
    /// Whether the layer adds a bias to each unit; true (the default) unless set, as Keras' <c>use_bias</c> and PyTorch's
    /// <c>nn.Linear(bias=…)</c>. Without, the layer has no bias parameters at all: not in <c>ParameterCount</c>, nor in
    /// model files (no <c>layers.{i}.bias</c>), nor in ONNX exports (a Gemm of two inputs).
    /// </summary>
    public bool UseBias { get; set; } = true;

    /// <summary>How the layer's weights are drawn from the seed; Glorot uniform (Keras' default) unless set.</summary>
    public Initializer Initializer { get; set; }

    /// <summary>
    /// The L1 penalty on the layer's weights (not its biases), Keras' <c>kernel_regularizer=L1(…)</c>: training adds
    /// <c>L1 · Σ|w|</c> to the loss it reports and follows its gradient. Finite and not negative; 0 for none.
    /// </summary>
    public double L1 { get; set; }

    /// <summary>
    /// The L2 penalty on the layer's weights (not its biases), Keras' <c>kernel_regularizer=L2(…)</c>: training adds
    /// <c>L2 · Σw²</c> to the loss it reports and follows its gradient. Finite and not negative; 0 for none.
    /// </summary>
    public double L2 { get; set; }
}
