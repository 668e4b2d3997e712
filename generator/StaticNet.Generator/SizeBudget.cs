namespace StaticNet.Generator;

/// <summary>
/// The largest network the generator specialises. Single-sample prediction keeps two hidden
/// rows on the stack, so the widest layer bounds stack use (2 × 16,384 floats = 128 KiB); the
/// parameter count keeps every offset and buffer length well inside an int.
/// </summary>
internal static class SizeBudget
{
    public const int MaxLayers = 64;
    public const int MaxInputs = 1 << 20;
    public const int MaxUnits = 1 << 14;
    public const long MaxParameters = 100_000_000;

    /// <summary>
    /// The largest weights file compiled into an assembly: 64 MiB. The compiler holds its text copy and the
    /// generated literal in memory, and a build after a code edit took 1.3–1.5 s longer for a 941 KB model
    /// (benchmarks/build-cost.sh).
    /// </summary>
    public const long MaxWeightsBytes = 64L << 20;
}
