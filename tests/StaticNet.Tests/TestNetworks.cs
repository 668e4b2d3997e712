using StaticNet;
using StaticNet.Kernels;

namespace StaticNet.Tests;

// One network per activation, 7-37-13-3: 37 units take the four-vector kernel with an
// overlapping last block, 13 the one-vector kernel with an overlap, 3 the scalar kernel, and
// the input gradients run dot products of 3, 13 and 37 (tails included) on 8-wide vectors.

[Network(Inputs = 7)]
[Dense(37, Activation.Linear)]
[Dense(13, Activation.Linear)]
[Dense(3, Activation.Linear)]
public partial class LinearNet;

[Network(Inputs = 7)]
[Dense(37, Activation.ReLU)]
[Dense(13, Activation.ReLU)]
[Dense(3, Activation.ReLU)]
public partial class ReLUNet;

[Network(Inputs = 7)]
[Dense(37, Activation.LeakyReLU)]
[Dense(13, Activation.LeakyReLU)]
[Dense(3, Activation.LeakyReLU)]
public partial class LeakyReLUNet;

[Network(Inputs = 7)]
[Dense(37, Activation.Sigmoid)]
[Dense(13, Activation.Sigmoid)]
[Dense(3, Activation.Sigmoid)]
public partial class SigmoidNet;

[Network(Inputs = 7)]
[Dense(37, Activation.Tanh)]
[Dense(13, Activation.Tanh)]
[Dense(3, Activation.Tanh)]
public partial class TanhNet;

[Network(Inputs = 7)]
[Dense(37, Activation.ELU)]
[Dense(13, Activation.ELU)]
[Dense(3, Activation.ELU)]
public partial class ELUNet;

[Network(Inputs = 7)]
[Dense(37, Activation.SiLU)]
[Dense(13, Activation.SiLU)]
[Dense(3, Activation.SiLU)]
public partial class SiLUNet;

[Network(Inputs = 7)]
[Dense(37, Activation.GELU)]
[Dense(13, Activation.GELU)]
[Dense(3, Activation.GELU)]
public partial class GELUNet;

[Network(Inputs = 7)]
[Dense(37, Activation.Softplus)]
[Dense(13, Activation.Softplus)]
[Dense(3, Activation.Softplus)]
public partial class SoftplusNet;

[Network(Inputs = 7)]
[Dense(37, Activation.Tanh)]
[Dense(13, Activation.ReLU)]
[Dense(5, Activation.Softmax)]
public partial class SoftmaxNet;

/// <summary>The Keras example's network.</summary>
[Network(Inputs = 2)]
[Dense(5, Activation.ReLU)]
[Dense(1, Activation.Sigmoid)]
public partial class SeedNet;

/// <summary>Widths that are exact multiples of the vector width.</summary>
[Network(Inputs = 16)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(4, Activation.Linear)]
public partial class TinyNet;

/// <summary>The Fashion-MNIST network.</summary>
[Network(Inputs = 784)]
[Dense(256, Activation.ReLU)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class FmnistNet;

/// <summary>
/// Wide enough for a split prediction to share two layers between threads, with panels that leave
/// a tail (70 = 2 · 32 + 6, 500 = 15 · 32 + 20) and a unit-major last layer.
/// </summary>
[Network(Inputs = 600)]
[Dense(70, Activation.Tanh)]
[Dense(500, Activation.SiLU)]
[Dense(7, Activation.Sigmoid)]
public partial class WideNet;

/// <summary>A single layer: no hidden buffers at all.</summary>
[Network(Inputs = 9)]
[Dense(1, Activation.Sigmoid)]
public partial class LogisticNet;

/// <summary>
/// Every layer at most 8 units wide, so single-sample prediction takes the straight-line kernel
/// that holds each layer in one vector, through every element-wise activation but ReLU and
/// Sigmoid (which SeedNet covers).
/// </summary>
[Network(Inputs = 6)]
[Dense(8, Activation.GELU)]
[Dense(7, Activation.ELU)]
[Dense(8, Activation.SiLU)]
[Dense(5, Activation.Softplus)]
[Dense(6, Activation.LeakyReLU)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.Linear)]
public partial class RegisterNet;

/// <summary>
/// Small enough (59 multiply-adds) that batches are predicted a sample per vector lane, through
/// the element-wise activations SeedNet and XorNet do not cover.
/// </summary>
[Network(Inputs = 3)]
[Dense(4, Activation.GELU)]
[Dense(4, Activation.ELU)]
[Dense(3, Activation.SiLU)]
[Dense(3, Activation.Softplus)]
[Dense(2, Activation.LeakyReLU)]
[Dense(2, Activation.Linear)]
public partial class LanesNet;

/// <summary>The shape of a hand-written <see cref="INetwork"/> in the tests: one linear unit on two inputs.</summary>
[Network(Inputs = 2)]
[Dense(1)]
public partial class OneUnitNet;

/// <summary>Small enough to learn XOR.</summary>
[Network(Inputs = 2)]
[Dense(8, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNet;

/// <summary>
/// Layers without biases on every path: a first layer that skips zero inputs, a panel layer with a narrower last
/// panel, and a unit-major Softmax layer, between a layer with biases.
/// </summary>
[Network(Inputs = 300)]
[Dense(40, Activation.ReLU, UseBias = false)]
[Dense(33, Activation.Tanh)]
[Dense(5, Activation.Softmax, UseBias = false)]
public partial class NoBiasNet;

/// <summary>Small enough for straight-line and lane-per-sample code, with a layer without biases.</summary>
[Network(Inputs = 4)]
[Dense(6, Activation.Tanh, UseBias = false)]
[Dense(3, Activation.Linear)]
public partial class NoBiasRegisterNet;

internal static class TestNetworks
{
    /// <summary>Every network above, freshly created from <paramref name="seed"/>.</summary>
    public static IEnumerable<IGeneratedNetwork> All(int seed) =>
    [
        new LinearNet(seed), new ReLUNet(seed), new LeakyReLUNet(seed), new SigmoidNet(seed), new TanhNet(seed),
        new ELUNet(seed), new SiLUNet(seed), new GELUNet(seed), new SoftplusNet(seed), new SoftmaxNet(seed),
        new SeedNet(seed), new TinyNet(seed), new FmnistNet(seed), new WideNet(seed), new LogisticNet(seed), new XorNet(seed), new RegisterNet(seed), new LanesNet(seed),
        new NoBiasNet(seed), new NoBiasRegisterNet(seed),
    ];

    public static IEnumerable<object[]> Names() => All(0).Select(n => new object[] { n.GetType().Name });

    public static IGeneratedNetwork Create(string name, int seed) => All(seed).Single(n => n.GetType().Name == name);
}
