namespace StaticNet.Tests;

internal static class Allocations
{
    /// <summary>
    /// The fewest bytes any window of <paramref name="callsPerWindow"/> calls allocated, over up to 20
    /// windows, by the counter given (this thread's, by default). The first calls allocate (optimizer
    /// state, runtime type loading, on-stack replacement while the JIT tiers up), so one clean window
    /// proves the steady state allocates nothing, while anything allocated per call makes every window
    /// non-zero.
    /// </summary>
    public static long SteadyStateBytes(Action call, Func<long>? allocatedBytes = null, int callsPerWindow = 100)
    {
        allocatedBytes ??= GC.GetAllocatedBytesForCurrentThread;

        // Calls for a quarter of a second first: tiered compilation promotes a method only after a delay, and
        // on a slow path (the scalar kernels without AVX2) twenty windows can pass before the workers' code is optimised.
        var warming = System.Diagnostics.Stopwatch.StartNew();
        while (warming.ElapsedMilliseconds < 250)
        {
            call();
        }

        long fewest = long.MaxValue;
        for (int window = 0; window < 20 && fewest != 0; window++)
        {
            long before = allocatedBytes();
            for (int i = 0; i < callsPerWindow; i++)
            {
                call();
            }

            fewest = Math.Min(fewest, allocatedBytes() - before);
        }

        return fewest;
    }

    /// <summary>
    /// The fewest bytes a single call allocated, of five calls each made right after a full garbage collection: a
    /// collection frees what the runtime caches weakly (a type's name, for one), so a call that reads such a thing
    /// allocates again after every collection, even where <see cref="SteadyStateBytes"/>, whose windows rarely hold
    /// one, finds a clean window. The fewest, because state made once, the first time a thread waits long enough to
    /// block (a wait handle's lock), can fall in any one of the calls.
    /// </summary>
    public static long BytesAfterCollections(Action call, Func<long>? allocatedBytes = null)
    {
        allocatedBytes ??= GC.GetAllocatedBytesForCurrentThread;
        SteadyStateBytes(call, allocatedBytes);
        long fewest = long.MaxValue;
        for (int round = 0; round < 5; round++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            long before = allocatedBytes();
            call();
            fewest = Math.Min(fewest, allocatedBytes() - before);
        }

        return fewest;
    }
}
