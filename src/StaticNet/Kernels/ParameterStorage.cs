using System.ComponentModel;

namespace StaticNet.Kernels;

/// <summary>
/// The rule for the length of parameter-sized buffers. Generated networks and the runtime both
/// round the parameter count up to a multiple of the widest vector (16 floats, 64 bytes), so
/// optimizer kernels run whole vectors with no scalar tail; the padding stays zero.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ParameterStorage
{
    /// <summary>The number of floats in one vector of the widest supported kind.</summary>
    public const int Alignment = 16;

    /// <summary>Returns the storage length for <paramref name="parameterCount"/> parameters.</summary>
    public static int Length(int parameterCount) => (parameterCount + Alignment - 1) / Alignment * Alignment;
}
