using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using StaticNet.Kernels;
using StaticNet.Training;

namespace StaticNet;

/// <summary>
/// Trains one network one batch at a time: forward pass, loss, backward pass, optimizer step.
/// It allocates its buffers once, so each <see cref="Step"/> allocates nothing. With more than
/// one thread, every thread owns a share of each layer's units, cut along the kernels' weight panels,
/// and a step runs in stages that all threads share: layer by layer, each thread computes its own
/// units for every row of the batch; each thread takes the loss of its own consecutive rows and
/// passes them back to every layer's gradient; each thread computes the parameter gradients of its
/// own units over all rows, so no thread's gradients need summing with another's, and then, in the
/// same stage, updates those units' parameters (the few vectors of parameters that hold two threads'
/// units are updated by the calling thread once both are done). A thread thus streams, writes and
/// updates the same share of the weights, gradients and optimizer state at every stage but one (the pass
/// back through the layers reads the forward pass's copy of all the weights above the first layer), so
/// that share stays in its core's caches.
/// <see cref="NetworkTraining.Fit(INetwork, Dataset, FitOptions)"/> is built on it; use it directly
/// for a custom training loop, and dispose it to stop its worker threads.
/// </summary>
public sealed class TrainingSession : IDisposable
{
    // Below about this many multiply-adds per thread (rows × parameters) a step is too short for
    // waking another core to pay off.
    private const long WorkPerThread = 1 << 20;

    private readonly string _networkName;
    private readonly TrainingBuffers _buffers;
    private readonly TrainingBuffers[] _parts;
    private readonly double[] _partLosses;
    private readonly AlignedArray _features;
    private readonly AlignedArray _targets;
    private readonly WorkerThreads? _workers;
    private readonly int[] _weightOffsets;
    private int _rows;
    private int _partCount;
    private int _layer;
    private int _storageLength;
    private Phase _phase;

    /// <summary>Prepares to train <paramref name="network"/> with batches of up to <paramref name="maxBatchSize"/> samples.</summary>
    /// <param name="network">The network to train.</param>
    /// <param name="loss">The loss to minimise.</param>
    /// <param name="optimizer">The update rule.</param>
    /// <param name="maxBatchSize">The largest batch <see cref="Step"/> will be given.</param>
    /// <param name="threads">How many threads share each step; 1 trains on the calling thread alone.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBatchSize"/> or <paramref name="threads"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="optimizer"/> already holds state for another network.</exception>
    public TrainingSession(INetwork network, Loss loss, Optimizer optimizer, int maxBatchSize, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);

        // Binding now refuses an optimizer of another network before any step, and gives its state a size.
        optimizer.Bind(network);

        Network = network;
        Loss = loss;
        Optimizer = optimizer;
        Threads = Math.Min(threads, maxBatchSize);
        _networkName = network.GetType().Name;
        NetworkShape shape = network.Shape;

        // One set of buffers for the whole batch; each thread passes its rows through a view of it.
        _buffers = new TrainingBuffers(shape, maxBatchSize);
        _parts = new TrainingBuffers[Threads];
        for (int part = 0; part < Threads; part++)
        {
            _parts[part] = Threads == 1 ? _buffers : _buffers.View();
        }

        _partLosses = new double[Threads];
        _weightOffsets = new int[shape.Layers.Count];
        for (int layer = 1; layer < shape.Layers.Count; layer++)
        {
            _weightOffsets[layer] = _weightOffsets[layer - 1] + shape.Layers[layer - 1].ParameterCount;
        }

        // Workers read the batch from memory the session owns, since spans cannot be handed to
        // them; Fit gathers each batch straight into it.
        _features = new AlignedArray(maxBatchSize * shape.Inputs);
        _targets = new AlignedArray(maxBatchSize * shape.Outputs);
        if (Threads > 1)
        {
            _workers = new WorkerThreads(Threads, RunPhase);
        }
    }

    private enum Phase
    {
        Forward,
        Backpropagate,
        ComputeGradientsAndUpdate,
    }

    /// <summary>The network being trained.</summary>
    public INetwork Network { get; }

    /// <summary>The loss minimised.</summary>
    public Loss Loss { get; }

    /// <summary>The update rule.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>How many threads share each step.</summary>
    public int Threads { get; }

    /// <summary>The scratch of the forward and backward passes; its gradients are the batch's once a step is done.</summary>
    public TrainingBuffers Buffers => _buffers;

    /// <summary>
    /// The number of threads worth using for batches of <paramref name="batchSize"/> rows: one per
    /// core, but only as many as keep about a million multiply-adds of work each.
    /// </summary>
    public static int DefaultThreads(NetworkShape shape, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long work = (long)batchSize * shape.ParameterCount;
        return (int)Math.Clamp(work / WorkPerThread, 1, Math.Min(Environment.ProcessorCount, batchSize));
    }

    /// <summary>
    /// Trains on one batch and returns its mean loss, measured before the update. The loss of the next
    /// step shows whether this update made the parameters NaN or infinite, but not always (a saturating
    /// activation such as Tanh turns an infinite weight into a finite output), and nothing checks the
    /// last update of a loop: call <see cref="ThrowIfParametersNotFinite"/> at the end of each epoch, as
    /// Fit does.
    /// </summary>
    /// <param name="features">The batch's features, row-major.</param>
    /// <param name="targets">The batch's targets, row-major, as many rows.</param>
    /// <exception cref="ArgumentException">
    /// The spans do not hold the same number of whole rows of the network's widths, a value is NaN or infinite,
    /// or a target is outside the loss's domain; the message names the row and column. The parameters are left unchanged.
    /// </exception>
    /// <exception cref="TrainingDivergedException">The loss is NaN or infinite; the parameters are left unchanged.</exception>
    public double Step(ReadOnlySpan<float> features, ReadOnlySpan<float> targets)
    {
        NetworkShape shape = Network.Shape;
        Guard.Rows(features.Length, shape.Inputs, targets.Length, shape.Outputs, _networkName);
        NonFinite.ThrowIfAny(features, shape.Inputs, nameof(features));
        NonFinite.ThrowIfAny(targets, shape.Outputs, nameof(targets));
        Loss.CheckTargets(targets, shape.Outputs, nameof(targets));
        if (!TryStep(features, targets, out double loss))
        {
            throw new TrainingDivergedException(loss, Loss.Name, $"at step {Optimizer.Steps + 1}");
        }

        return loss;
    }

    /// <summary>Throws when a parameter of the network is NaN or infinite, as after an update that diverged.</summary>
    /// <exception cref="TrainingDivergedException">A parameter is NaN or infinite; the message names it and the step count.</exception>
    public void ThrowIfParametersNotFinite()
    {
        int index = NonFinite.IndexOf(Network.Parameters);
        if (index >= 0)
        {
            throw new TrainingDivergedException(
                $"Training diverged: after step {Optimizer.Steps}, parameter {index} of {_networkName} (in the kernel layout) is {Network.Parameters[index]}; " +
                "try a smaller learning rate or scaled inputs.");
        }
    }

    /// <summary>The outputs the last step computed (before its update), <paramref name="rows"/> rows.</summary>
    public ReadOnlySpan<float> Outputs(int rows) => _buffers.Outputs(rows);

    /// <summary>The bytes allocated so far by the threads that run parallel steps, as last read by each; 0 on one thread.</summary>
    internal long WorkerAllocatedBytes => _workers?.AllocatedBytes ?? 0;

    /// <summary>Stops the worker threads.</summary>
    public void Dispose() => _workers?.Dispose();

    /// <summary>Memory the session owns where a caller may gather a batch's features, so no step needs to copy them.</summary>
    internal Span<float> StagingFeatures(int rows) => _features.Slice(0, rows * Network.Shape.Inputs);

    /// <summary>Memory the session owns where a caller may gather a batch's targets.</summary>
    internal Span<float> StagingTargets(int rows) => _targets.Slice(0, rows * Network.Shape.Outputs);

    /// <summary>Like <see cref="Step"/>, but returns false instead of throwing when the loss is not finite.</summary>
    internal bool TryStep(ReadOnlySpan<float> features, ReadOnlySpan<float> targets, out double loss)
    {
        NetworkShape shape = Network.Shape;
        int rows = Guard.Rows(features.Length, shape.Inputs, targets.Length, shape.Outputs, _networkName);
        if (_workers is null || rows < 2)
        {
            Network.Forward(features, rows, _buffers);
            loss = ComputeLoss(targets, rows, rows, _buffers);
            if (!double.IsFinite(loss))
            {
                return false;
            }

            Network.Backward(features, rows, _buffers);
        }
        else
        {
            if (rows > _features.Length / shape.Inputs)
            {
                throw new ArgumentOutOfRangeException(nameof(features), rows, $"The session takes batches of up to {_features.Length / shape.Inputs} rows.");
            }

            CopyUnlessStaged(features, _features);
            CopyUnlessStaged(targets, _targets);
            _rows = rows;
            _partCount = Math.Min(Threads, rows);
            for (int layer = 0; layer < shape.Layers.Count; layer++)
            {
                _layer = layer;
                RunAll(Phase.Forward);
            }

            RunAll(Phase.Backpropagate);

            // The parts' views each recorded it; the session's own buffers show it too.
            _buffers.OutputGradientIsPreActivation = _parts[0].OutputGradientIsPreActivation;
            loss = 0;
            for (int part = 0; part < _partCount; part++)
            {
                loss += _partLosses[part];
            }

            if (!double.IsFinite(loss))
            {
                return false;
            }

            // Each thread updates the parameters whose gradients it has just computed, with no hand-over between.
            _storageLength = Optimizer.BeginStep(Network);
            RunAll(Phase.ComputeGradientsAndUpdate);
            UpdateSharedVectors();
            return true;
        }

        Optimizer.Step(Network, _buffers.Gradients);
        return true;
    }

    /// <summary>
    /// Computes the loss of <paramref name="rows"/> rows whose outputs the forward pass left, part of a
    /// batch of <paramref name="batchRows"/>, leaving the gradient of the whole batch's mean loss for the
    /// backward pass, and returns this part's share of that mean.
    /// </summary>
    private double ComputeLoss(ReadOnlySpan<float> targets, int rows, int batchRows, TrainingBuffers buffers)
    {
        NetworkShape shape = Network.Shape;
        Span<float> gradient = buffers.OutputGradient(rows);
        double loss = Loss.Compute(buffers.Outputs(rows), targets, shape.Outputs, shape.OutputActivation, gradient, out bool fused);
        buffers.OutputGradientIsPreActivation = fused;
        if (rows != batchRows)
        {
            // The loss is a mean over the part; weighted by the part's share it becomes the batch's.
            float share = (float)rows / batchRows;
            VectorSum.Scale(gradient, share);
            loss *= share;
        }

        return loss;
    }

    private void RunAll(Phase phase)
    {
        _phase = phase;
        _workers!.Run(_partCount);
    }

    private void RunPhase(int part)
    {
        switch (_phase)
        {
            case Phase.Forward:
                Network.ForwardLayer(_layer, _features.Slice(0, _rows * Network.Shape.Inputs), _rows, _buffers, part, _partCount);
                break;
            case Phase.Backpropagate:
                Backpropagate(part);
                break;
            default:
                Network.ComputeGradients(_features.Slice(0, _rows * Network.Shape.Inputs), _rows, _buffers, part, _partCount);
                Update(part);
                break;
        }
    }

    /// <summary>
    /// Updates the parameters of this part's slices of every layer, whose gradients the same thread has just
    /// computed: the whole widest vectors inside each of its runs. A vector that straddles the end of a run
    /// also holds parameters of the next run, whose gradients another thread may still be computing; those
    /// vectors are left to <see cref="UpdateSharedVectors"/>, once every part is done.
    /// </summary>
    private void Update(int part)
    {
        for (int layer = 0; layer < Network.Shape.Layers.Count; layer++)
        {
            foreach (bool biases in (ReadOnlySpan<bool>)[false, true])
            {
                (int start, int end) = Run(layer, part, biases);
                // A run that starts inside a vector leaves that vector to UpdateSharedVectors.
                int vector = StorageIndex(start);
                start = start == vector ? vector : vector + ParameterStorage.Alignment;
                end = StorageIndex(end);
                if (end > start)
                {
                    Optimizer.ApplyRange(Network, _buffers.Gradients, start, end - start);
                }
            }
        }
    }

    /// <summary>
    /// Updates, on the calling thread, each vector that holds parameters of two runs (see <see cref="Update"/>).
    /// Runs are visited in storage order, so a vector that holds several run ends is updated once.
    /// </summary>
    private void UpdateSharedVectors()
    {
        int count = Network.Shape.ParameterCount;
        int last = -1;
        for (int layer = 0; layer < Network.Shape.Layers.Count; layer++)
        {
            foreach (bool biases in (ReadOnlySpan<bool>)[false, true])
            {
                for (int part = 0; part < _partCount; part++)
                {
                    (int start, int end) = Run(layer, part, biases);
                    foreach (int boundary in (ReadOnlySpan<int>)[start, end])
                    {
                        int vector = StorageIndex(boundary);
                        if (boundary != vector && boundary != count && vector != last)
                        {
                            Optimizer.ApplyRange(Network, _buffers.Gradients, vector, ParameterStorage.Alignment);
                            last = vector;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The parameters [start, end) of part <paramref name="part"/>'s units in one layer's weights or biases.</summary>
    private (int Start, int End) Run(int layer, int part, bool biases)
    {
        DenseLayer dense = Network.Shape.Layers[layer];
        int width = Network.SliceWidth(layer);
        int slices = (dense.Units + width - 1) / width;
        int first = Math.Min(part * slices / _partCount * width, dense.Units);
        int end = Math.Min((part + 1) * slices / _partCount * width, dense.Units);
        int weights = _weightOffsets[layer];
        return biases
            ? (weights + (dense.Inputs * dense.Units) + first, weights + (dense.Inputs * dense.Units) + end)
            : (weights + (first * dense.Inputs), weights + (end * dense.Inputs));
    }

    /// <summary>
    /// <paramref name="index"/> moved down to a whole widest vector; the end of the parameters is the end of
    /// the storage, whose padding the last run takes.
    /// </summary>
    private int StorageIndex(int index) =>
        index >= Network.Shape.ParameterCount ? _storageLength : index / ParameterStorage.Alignment * ParameterStorage.Alignment;

    private void Backpropagate(int part)
    {
        NetworkShape shape = Network.Shape;
        int start = (int)((long)_rows * part / _partCount);
        int rows = (int)((long)_rows * (part + 1) / _partCount) - start;
        ReadOnlySpan<float> features = _features.Slice(start * shape.Inputs, rows * shape.Inputs);
        TrainingBuffers buffers = _parts[part];
        buffers.FirstRow = start;
        double loss = ComputeLoss(_targets.Slice(start * shape.Outputs, rows * shape.Outputs), rows, _rows, buffers);
        _partLosses[part] = loss;
        if (double.IsFinite(loss))
        {
            Network.Backpropagate(features, rows, buffers);
        }
    }

    private static void CopyUnlessStaged(ReadOnlySpan<float> source, AlignedArray staging)
    {
        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(source), ref staging.Start))
        {
            source.CopyTo(staging.Span);
        }
    }
}
