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
