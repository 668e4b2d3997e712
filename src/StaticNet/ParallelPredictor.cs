using System;
using System.Runtime.InteropServices;
using StaticNet.Kernels;

namespace StaticNet;

/// <summary>
/// Predicts large batches on several cores: the rows are split into one consecutive slice per
/// thread, and each slice goes through the network's own <see cref="INetwork.PredictBatch"/>,
/// which is thread-safe. The threads are started once, when the predictor is made, and woken for
/// each call, so a call allocates nothing and starts no thread. One call at a time: a predictor is
/// not meant to be shared by concurrent callers; make one per caller.
/// </summary>
public sealed unsafe class ParallelPredictor : IDisposable
{
    // Below this many rows per thread, waking another core costs more than it saves.
    private const int MinRowsPerThread = 16;

    private readonly INetwork _network;
    private readonly string _networkName;
    private readonly WorkerThreads _workers;
    private readonly object _gate = new();
    private float* _inputs;
    private float* _outputs;
    private int _rows;
    private int _parts;

    /// <summary>Starts the threads that will share each batch of <paramref name="network"/>.</summary>
    /// <param name="network">The network to predict with.</param>
    /// <param name="threads">How many threads share a batch, the calling one included; by default one per core.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    public ParallelPredictor(INetwork network, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        _network = network;
        // Read once: the runtime caches a type's name weakly, so reading it in every call allocated it anew after each collection.
        _networkName = network.GetType().Name;
        Threads = threads == 0 ? Environment.ProcessorCount : threads;
        _workers = new WorkerThreads(Threads, PredictPart);
    }

    /// <summary>How many threads share a batch.</summary>
    public int Threads { get; }

    /// <summary>Computes the outputs of many samples stored row-major, as <see cref="INetwork.PredictBatch"/>, on several cores.</summary>
    /// <param name="inputs">Whole rows of the network's input width.</param>
    /// <param name="outputs">Receives as many rows of its output width.</param>
    /// <exception cref="ArgumentException">The spans do not hold the same number of whole rows.</exception>
    public void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        NetworkShape shape = _network.Shape;
        int rows = Guard.Rows(inputs.Length, shape.Inputs, outputs.Length, shape.Outputs, _networkName);
        int parts = Math.Clamp(rows / MinRowsPerThread, 1, Threads);
        if (parts == 1)
        {
            _network.PredictBatch(inputs, outputs);
            return;
        }

        // The workers read the caller's memory through pointers, which spans cannot be turned
        // into without pinning; the spans stay pinned until every part is done.
        lock (_gate)
        {
            fixed (float* input = &MemoryMarshal.GetReference(inputs))
            fixed (float* output = &MemoryMarshal.GetReference(outputs))
            {
                _inputs = input;
                _outputs = output;
                _rows = rows;
                _parts = parts;
                try
                {
                    _workers.Run(parts);
                }
                finally
                {
                    _inputs = _outputs = null;
                }
            }
        }
    }

    /// <summary>The bytes allocated so far by the threads that ran parts, as last read by each.</summary>
    internal long WorkerAllocatedBytes => _workers.AllocatedBytes;

    /// <summary>Stops the threads.</summary>
    public void Dispose() => _workers.Dispose();

    private void PredictPart(int part)
    {
        NetworkShape shape = _network.Shape;
        int start = (int)((long)_rows * part / _parts);
        int rows = (int)((long)_rows * (part + 1) / _parts) - start;
        _network.PredictBatch(
            new ReadOnlySpan<float>(_inputs + ((long)start * shape.Inputs), rows * shape.Inputs),
            new Span<float>(_outputs + ((long)start * shape.Outputs), rows * shape.Outputs));
    }
}
