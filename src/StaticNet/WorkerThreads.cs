using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace StaticNet;

/// <summary>
/// Threads started once and woken for every call, so splitting a training step or a batch
/// costs two signals per worker rather than a thread start or a task allocation. Part 0 of each
/// call runs on the calling thread.
/// </summary>
internal sealed class WorkerThreads : IDisposable
{
    // How long the caller polls for the other parts before it blocks: a millisecond.
    private static readonly long PollTicks = Stopwatch.Frequency / 1000;

    private readonly Thread[] _threads;
    private readonly ManualResetEventSlim[] _start;
    private readonly CountdownEvent _done = new(1);
    private readonly Action<int> _work;
    private readonly long[] _allocatedBytes;
    private volatile bool _stopping;
    private Exception? _failure;

    /// <summary>Starts <paramref name="parts"/> - 1 background threads that run <paramref name="work"/> for their part.</summary>
    public WorkerThreads(int parts, Action<int> work)
    {
        _work = work;
        _threads = new Thread[parts];
        _start = new ManualResetEventSlim[parts];
        _allocatedBytes = new long[parts];
        for (int part = 1; part < parts; part++)
        {
            _start[part] = new ManualResetEventSlim(false, spinCount: 2000);
            int index = part;
            _threads[part] = new Thread(() => Loop(index)) { IsBackground = true, Name = $"StaticNet worker {part}" };
            _threads[part].Start();
        }
    }

    /// <summary>Runs parts 0 to <paramref name="parts"/> - 1 and returns when all are done, rethrowing the first failure.</summary>
    public void Run(int parts)
    {
        _done.Reset(parts);
        for (int part = 1; part < parts; part++)
        {
            _start[part].Set();
        }

        RunPart(0);
        AwaitParts();
        if (_failure is Exception failure)
        {
            _failure = null;
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    /// <summary>
    /// Waits for the other parts, polling before it blocks: parts of one call usually end close
    /// together, and waking a blocked thread takes a system call on each side.
    /// </summary>
    private void AwaitParts()
    {
        long deadline = Stopwatch.GetTimestamp() + PollTicks;
        while (!_done.IsSet && Stopwatch.GetTimestamp() < deadline)
        {
            Thread.SpinWait(1);
        }

        _done.Wait();
    }

    /// <summary>
    /// The bytes each thread had allocated when it last finished a part, summed: a reading that
    /// lets tests prove a step allocates nothing on any of the threads that ran it.
    /// </summary>
    public long AllocatedBytes
    {
        get
        {
            long total = 0;
            foreach (long bytes in _allocatedBytes)
            {
                total += bytes;
            }

            return total;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping = true;
        for (int part = 1; part < _threads.Length; part++)
        {
            _start[part].Set();
            _threads[part].Join();
            _start[part].Dispose();
        }

        _done.Dispose();
    }

    private void Loop(int part)
    {
        while (true)
        {
            _start[part].Wait();
            _start[part].Reset();
            if (_stopping)
            {
                return;
            }

            RunPart(part);
        }
    }

    private void RunPart(int part)
    {
        try
        {
            _work(part);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
        }
        finally
        {
            _allocatedBytes[part] = GC.GetAllocatedBytesForCurrentThread();
            _done.Signal();
        }
    }
}
