namespace StaticNet;

/// <summary>
/// How a layer's weights are drawn when a network is created with a seed, as Keras' initialisers define them
/// (<c>keras.initializers</c>); biases start at zero. The normal ones are Keras' truncated normals: values beyond
/// two standard deviations are drawn again, and the standard deviation is raised by 1 / 0.8796 so that the
/// truncated distribution keeps the intended variance.
/// </summary>
public enum Initializer
{
    /// <summary>Keras' default: <c>U(-l, l)</c> with <c>l = sqrt(6 / (fanIn + fanOut))</c>.</summary>
    GlorotUniform,

    /// <summary>Truncated normal of variance <c>2 / (fanIn + fanOut)</c>.</summary>
    GlorotNormal,

    /// <summary><c>U(-l, l)</c> with <c>l = sqrt(6 / fanIn)</c>, for ReLU layers.</summary>
    HeUniform,

    /// <summary>Truncated normal of variance <c>2 / fanIn</c>, for ReLU layers.</summary>
    HeNormal,

    /// <summary><c>U(-l, l)</c> with <c>l = sqrt(3 / fanIn)</c>.</summary>
    LeCunUniform,

    /// <summary>Truncated normal of variance <c>1 / fanIn</c>, for SELU-style self-normalising layers.</summary>
    LeCunNormal,
}
