using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;
using StaticNet.Kernels;

namespace StaticNet;

/// <summary>
/// Predicts one sample at a time with each large layer's units shared among several cores: the
/// lowest latency for networks whose weights outgrow one core's cache. Each thread streams only its
/// share of the weights, and each helper thread takes the same share on every call, so as long as the
/// operating system keeps it on one core, that share stays in that core's cache from call to call.
/// </summary>
/// <remarks>
/// <para>
/// Helper threads are started once, when the predictor is made. Between calls they spin for
/// <see cref="SpinTime"/>, so that a call arriving within it starts on every core at once; after
/// that they sleep and are woken by the next call. The calling thread never waits for a helper
/// that has not started its share: it computes that share itself, so a sleeping or descheduled
/// helper costs latency, never correctness.
/// </para>
/// <para>
/// Layers too small to be worth a hand-over between cores, and Softmax layers, run on the calling
/// thread alone; a network with no layer worth splitting is simply predicted on the calling thread.
/// A call allocates nothing. One call at a time: concurrent callers are serialized.
/// </para>
/// <para>
/// Dispose the predictor when done with it: its helper threads keep it, and the network, alive until then.
/// </para>
/// </remarks>
public sealed unsafe class SplitPredictor : IDisposable
{
    // A hand-over between cores costs a few hundred nanoseconds; a share smaller than this many
    // multiply-adds (about that long on one core) would gain less than it costs.
    private const long MinMultiplyAddsPerPart = 16 * 1024;

    // Polls (of tens of nanoseconds each) before a wait for another thread's share starts yielding.
    private const int PatientSpins = 1000;

    // Each part's state sits on its own 128-byte stretch, so cores polling different parts do not
    // pull each other's cache lines (adjacent-line prefetch fetches lines in pairs).
    private const int StateStride = 16;

    private readonly INetwork _network;
    private readonly string _networkName;
    private readonly int[] _parts;
    private readonly AlignedArray[] _outputs;
    private readonly long[] _states;
    private readonly Thread[] _helpers;
    private readonly ManualResetEventSlim[] _wake;
    private readonly int[] _sleeping;
    private readonly long[] _helperAllocatedBytes;
    private readonly long _spinTicks;
    private readonly object _gate = new();
    private long _call;
    private float* _input;
    private volatile bool _disposed;
    private Exception? _failure;

    /// <summary>Prepares to split each sample of <paramref name="network"/> among <paramref name="threads"/> threads.</summary>
    /// <param name="network">The network to predict with.</param>
    /// <param name="threads">How many threads share a sample, the calling one included; by default, and at most, one per core.</param>
    /// <param name="spinTime">How long helpers keep polling for the next call before they sleep; by default one millisecond.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> or <paramref name="spinTime"/> is negative.</exception>
    public SplitPredictor(INetwork network, int threads = 0, TimeSpan? spinTime = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        SpinTime = spinTime ?? TimeSpan.FromMilliseconds(1);
        ArgumentOutOfRangeException.ThrowIfLessThan(SpinTime, TimeSpan.Zero, nameof(spinTime));
        _network = network;
        _networkName = network.GetType().Name;
        // Kept far from overflow when added to a timestamp, so that a huge spin time means "always spin".
        _spinTicks = (long)Math.Min(SpinTime.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 4);

        // Threads wait for each other by spinning, which only pays while each has a core of its own.
        int available = threads == 0 ? Environment.ProcessorCount : Math.Min(threads, Environment.ProcessorCount);
        NetworkShape shape = network.Shape;
        _parts = new int[shape.Layers.Count];
        _outputs = new AlignedArray[shape.Layers.Count];
        int used = 1;
        for (int layer = 0; layer < _parts.Length; layer++)
        {
            DenseLayer dense = shape.Layers[layer];
            long multiplyAdds = (long)dense.Inputs * dense.Units;
            int width = network.SliceWidth(layer);
            int slices = (dense.Units + width - 1) / width;
            _parts[layer] = dense.Activation == Activation.Softmax
                ? 1
                : (int)Math.Clamp(multiplyAdds / MinMultiplyAddsPerPart, 1, Math.Min(available, slices));
            used = Math.Max(used, _parts[layer]);
            _outputs[layer] = new AlignedArray(dense.Units);
        }

        Threads = used;
        _states = new long[((_parts.Length * Threads) + 1) * StateStride];
        _helpers = new Thread[Threads];
        _wake = new ManualResetEventSlim[Threads];
        _sleeping = new int[Threads * StateStride];
        _helperAllocatedBytes = new long[Threads * StateStride];
        for (int helper = 1; helper < Threads; helper++)
        {
            _wake[helper] = new ManualResetEventSlim(false, spinCount: 0);
            int index = helper;
            _helpers[helper] = new Thread(() => HelperLoop(index)) { IsBackground = true, Name = $"StaticNet split {helper}" };
            _helpers[helper].Start();
        }
    }

    /// <summary>How many threads share a sample, the calling one included: 1 when no layer is large enough to split.</summary>
    public int Threads { get; }

    /// <summary>How long helpers keep polling for the next call before they sleep.</summary>
    public TimeSpan SpinTime { get; }

    /// <summary>Computes the outputs of one sample, as <see cref="INetwork.Predict"/>, with its large layers shared among the threads.</summary>
    /// <param name="input">The sample's features; exactly <see cref="NetworkShape.Inputs"/> values.</param>
    /// <param name="output">Receives exactly <see cref="NetworkShape.Outputs"/> values.</param>
    /// <exception cref="ArgumentException">A span's length does not match the network.</exception>
    /// <exception cref="ObjectDisposedException">The predictor has been disposed.</exception>
    public void Predict(ReadOnlySpan<float> input, Span<float> output)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Threads == 1)
        {
            _network.Predict(input, output);
            return;
        }

        NetworkShape shape = _network.Shape;
        Guard.Width(input.Length, shape.Inputs, "input", _networkName);
        Guard.Width(output.Length, shape.Outputs, "output", _networkName);
        lock (_gate)
        {
            // Helpers read the caller's input through a pointer, which a span cannot be turned into
            // without pinning; it stays pinned until every part is done.
            fixed (float* pinned = &MemoryMarshal.GetReference(input))
            {
                _input = pinned;
                try
                {
                    RunCall();
                }
                finally
                {
                    _input = null;
                }
            }

            if (Interlocked.Exchange(ref _failure, null) is Exception failure)
            {
                ExceptionDispatchInfo.Capture(failure).Throw();
            }

            _outputs[^1].Span.CopyTo(output);
        }
    }

    private void RunCall()
    {
        // The increment is a full fence: a helper that saw the old call before it went to sleep
        // has published that it sleeps, and is woken; one that sees the new call sees the input.
        long call = Interlocked.Increment(ref _call);
        for (int helper = 1; helper < Threads; helper++)
        {
            if (Volatile.Read(ref _sleeping[helper * StateStride]) == 1)
            {
                _wake[helper].Set();
            }
        }

        for (int layer = 0; layer < _parts.Length; layer++)
        {
            RunPart(layer, 0, call);
            for (int part = 1; part < _parts[layer]; part++)
            {
                if (TryClaim(layer, part, call))
                {
                    RunPart(layer, part, call);
                }
                else
                {
                    WaitDone(layer, part, call);
                }
            }
        }
    }

    /// <summary>The bytes the helper threads had allocated when each last finished a call, summed; for tests.</summary>
    internal long HelperAllocatedBytes
    {
        get
        {
            long total = 0;
            for (int helper = 1; helper < Threads; helper++)
            {
                total += Volatile.Read(ref _helperAllocatedBytes[helper * StateStride]);
            }

            return total;
        }
    }

    /// <summary>Stops the helper threads.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        for (int helper = 1; helper < Threads; helper++)
        {
            _wake[helper].Set();
            _helpers[helper].Join();
            _wake[helper].Dispose();
        }
    }

    private void HelperLoop(int helper)
    {
        long seen = 0;
        while (WaitForCall(helper, seen) is long call and > 0)
        {
            seen = call;
            for (int layer = 0; layer < _parts.Length; layer++)
            {
                if (helper >= _parts[layer])
                {
                    continue;
                }

                if (layer > 0)
                {
                    for (int part = 0; part < _parts[layer - 1]; part++)
                    {
                        WaitDone(layer - 1, part, call);
                    }
                }

                if (TryClaim(layer, helper, call))
                {
                    RunPart(layer, helper, call);
                }
            }

            _helperAllocatedBytes[helper * StateStride] = GC.GetAllocatedBytesForCurrentThread();
        }
    }

    /// <summary>Polls for a call after <paramref name="seen"/>, then sleeps; returns it, or 0 once disposed.</summary>
    private long WaitForCall(int helper, long seen)
    {
        ref int sleeping = ref _sleeping[helper * StateStride];
        long deadline = Stopwatch.GetTimestamp() + _spinTicks;
        while (!_disposed)
        {
            long call = Volatile.Read(ref _call);
            if (call != seen)
            {
                return call;
            }

            if (Stopwatch.GetTimestamp() < deadline)
            {
                Thread.SpinWait(1);
                continue;
            }

            _wake[helper].Reset();
            Interlocked.Exchange(ref sleeping, 1);
            if (Volatile.Read(ref _call) == seen && !_disposed)
            {
                _wake[helper].Wait();
            }

            Volatile.Write(ref sleeping, 0);
            deadline = Stopwatch.GetTimestamp() + _spinTicks;
        }

        return 0;
    }

    // A part's state for call c: below 2c, not yet taken; 2c, taken; 2c + 1, done. States only grow,
    // so a helper still finishing an earlier call never takes a part of a later one.
    // Slot 0 is left unused: it would share a cache line with the array's length, which every
    // bounds check reads.
    private ref long State(int layer, int part) => ref _states[((layer * Threads) + part + 1) * StateStride];

    private bool TryClaim(int layer, int part, long call)
    {
        ref long state = ref State(layer, part);
        long current = Volatile.Read(ref state);
        return current < 2 * call && Interlocked.CompareExchange(ref state, 2 * call, current) == current;
    }

    private void WaitDone(int layer, int part, long call)
    {
        // Spins for about as long as a share of work takes, then yields: the thread being waited for
        // may have lost its core, and spinning would only keep it from getting one back.
        ref long state = ref State(layer, part);
        var spinner = default(SpinWait);
        for (int spins = 0; Volatile.Read(ref state) < (2 * call) + 1; spins++)
        {
            if (spins < PatientSpins)
            {
                Thread.SpinWait(1);
            }
            else
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    private void RunPart(int layer, int part, long call)
    {
        try
        {
            ReadOnlySpan<float> x = layer == 0 ? new ReadOnlySpan<float>(_input, _network.Shape.Inputs) : _outputs[layer - 1].Span;
            _network.InferPart(layer, part, _parts[layer], x, _outputs[layer].Span);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
        }
        finally
        {
            Volatile.Write(ref State(layer, part), (2 * call) + 1);
        }
    }
}
