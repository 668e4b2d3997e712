using System;

namespace StaticNet;

/// <summary>
/// Declares inverted dropout between the layers of a <see cref="NetworkAttribute">network</see>, where it stands among
/// the <see cref="DenseAttribute"/>s: after a layer it drops that layer's activations, before the first it drops the
/// inputs. In training steps each value is kept with probability 1 - <see cref="Rate"/> and scaled by 1 / (1 - rate),
/// as Keras' and PyTorch's <c>Dropout</c>; prediction and evaluation use every value unscaled. The masks follow from
/// the training run's seed, so a run repeated with the same <see cref="FitOptions.Seed"/> trains the same network.
/// </summary>
/// <param name="rate">The share of values dropped, in [0, 1).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute(double rate) : Attribute
{
    /// <summary>The share of values dropped.</summary>
    public double Rate { get; } = rate;
}
