using System.ComponentModel;

namespace StaticNet.Kernels;

/// <summary>
/// The rule for the length of parameter-sized buffers, which generated networks and the runtime
/// share: at least one widest vector (16 floats, 64 bytes) beyond the parameters, rounded up to a
/// whole number of such vectors. Optimizer kernels then run whole vectors with no scalar tail, and
/// a full vector loaded at any parameter stays inside the buffer, which the register kernels of
/// tiny layers rely on. The padding stays zero.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ParameterStorage
{
    /// <summary>The number of floats in one vector of the widest supported kind.</summary>
    public const int Alignment = 16;

    /// <summary>Returns the storage length for <paramref name="parameterCount"/> parameters.</summary>
    public static int Length(int parameterCount) => (parameterCount + (2 * Alignment) - 1) / Alignment * Alignment;
}
