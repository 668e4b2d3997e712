using StaticNet;

namespace StaticNet.Benchmarks;

/// <summary>SEED: the Keras example.</summary>
[Network(Inputs = 2)]
[Dense(5, Activation.ReLU)]
[Dense(1, Activation.Sigmoid)]
public partial class SeedNet;

/// <summary>TINY: a small control or scoring network.</summary>
[Network(Inputs = 16)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(4, Activation.Linear)]
public partial class TinyNet;

/// <summary>FMNIST: the Fashion-MNIST multilayer perceptron.</summary>
[Network(Inputs = 784)]
[Dense(256, Activation.ReLU)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class FmnistNet;

/// <summary>FMNIST with a 0.2 dropout after each hidden layer, as the Fashion-MNIST sample trains it.</summary>
[Network(Inputs = 784)]
[Dense(256, Activation.ReLU)]
[Dropout(0.2)]
[Dense(128, Activation.ReLU)]
[Dropout(0.2)]
[Dense(10, Activation.Softmax)]
public partial class FmnistDropoutNet;

/// <summary>
/// WIDE: a wider perceptron whose 2.7 MB of float weights overflow a 1 or 2 MB L2 cache while its
/// 1.3 MB of half-precision weights come closer to fitting.
/// </summary>
[Network(Inputs = 784)]
[Dense(512, Activation.ReLU)]
[Dense(512, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class WideNet;

/// <summary>
/// SMALL: a perceptron whose 197 KB of float weights fit a 512 KB L2 cache as well as its half-precision ones,
/// so that setting half weights against float ones shows what widening them costs where neither streams from L3.
/// </summary>
[Network(Inputs = 256)]
[Dense(128, Activation.ReLU)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class SmallNet;

/// <summary>A logistic regression over 100 features: one straight-line layer with a long sum.</summary>
[Network(Inputs = 100)]
[Dense(1, Activation.Sigmoid)]
public partial class LogisticHundredNet;

/// <summary>A small classifier over 64 features whose layers each fit an 8-float vector register.</summary>
[Network(Inputs = 64)]
[Dense(8, Activation.ReLU)]
[Dense(4, Activation.Linear)]
public partial class StraightLineNet;
