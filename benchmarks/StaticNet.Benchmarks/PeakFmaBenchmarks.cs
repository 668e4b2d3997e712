using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace StaticNet.Benchmarks;

/// <summary>
/// This machine's FP32 ceiling: fused multiply-adds on 12 independent accumulators (enough to
/// cover FMA latency on every current x64 core), with nothing else in the loop. Each benchmark
/// counts one operation per FLOP, so its time is nanoseconds per FLOP and 1 / time is GFLOP/s.
/// </summary>
public class PeakFmaBenchmarks
{
    private const int Iterations = 2_000_000;
    private const int Accumulators = 12;
    private const int Flops256 = Iterations * Accumulators * 8 * 2;
    private const int Flops512 = Iterations * Accumulators * 16 * 2;

    /// <summary>Vector256 FMAs on the calling core.</summary>
    [Benchmark(OperationsPerInvoke = Flops256)]
    public float Vector256OneCore() => Fma256();

    /// <summary>Vector512 FMAs on the calling core.</summary>
    [Benchmark(OperationsPerInvoke = Flops512)]
    public float Vector512OneCore() => Fma512();

    /// <summary>Vector256 FMAs on two cores at once.</summary>
    [Benchmark(OperationsPerInvoke = 2 * Flops256)]
    public float Vector256TwoCores() => OnTwoCores(Fma256);

    /// <summary>Vector512 FMAs on two cores at once.</summary>
    [Benchmark(OperationsPerInvoke = 2 * Flops512)]
    public float Vector512TwoCores() => OnTwoCores(Fma512);

    // Not Parallel.Invoke: its wait may run the second kernel inline on the calling thread, which
    // measured one core twice. A pool thread is idle after warm-up and starts at once.
    private static float OnTwoCores(Func<float> kernel)
    {
        Task<float> other = Task.Run(kernel);
        float mine = kernel();
        return mine + other.Result;
    }

    // acc = acc * 0.999 + 0.001 converges to 1: no overflow, no denormals, and every FMA depends
    // on the previous one of its accumulator, so the loop cannot be folded away. The two kernels
    // are twins by necessity: .NET 10 has no public interface over Vector256 and Vector512
    // (ISimdVector is internal), and a wrapper abstraction would be longer than the twin.
    private static float Fma256()
    {
        Vector256<float> m = Vector256.Create(0.999f), c = Vector256.Create(0.001f);
        Vector256<float> a0 = m, a1 = m, a2 = m, a3 = m, a4 = m, a5 = m, a6 = m, a7 = m, a8 = m, a9 = m, a10 = m, a11 = m;
        for (int i = 0; i < Iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, c);
            a1 = Vector256.FusedMultiplyAdd(a1, m, c);
            a2 = Vector256.FusedMultiplyAdd(a2, m, c);
            a3 = Vector256.FusedMultiplyAdd(a3, m, c);
            a4 = Vector256.FusedMultiplyAdd(a4, m, c);
            a5 = Vector256.FusedMultiplyAdd(a5, m, c);
            a6 = Vector256.FusedMultiplyAdd(a6, m, c);
            a7 = Vector256.FusedMultiplyAdd(a7, m, c);
            a8 = Vector256.FusedMultiplyAdd(a8, m, c);
            a9 = Vector256.FusedMultiplyAdd(a9, m, c);
            a10 = Vector256.FusedMultiplyAdd(a10, m, c);
            a11 = Vector256.FusedMultiplyAdd(a11, m, c);
        }

        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    private static float Fma512()
    {
        Vector512<float> m = Vector512.Create(0.999f), c = Vector512.Create(0.001f);
        Vector512<float> a0 = m, a1 = m, a2 = m, a3 = m, a4 = m, a5 = m, a6 = m, a7 = m, a8 = m, a9 = m, a10 = m, a11 = m;
        for (int i = 0; i < Iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c);
            a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c);
            a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c);
            a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c);
            a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c);
            a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c);
            a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }

        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
