using System;

namespace StaticNet.Training;

/// <summary>
/// A copy of a network's parameters and of its optimizer's state and step count, so that Fit can put
/// both back as they were when an epoch began if training diverges in it. Made once per Fit; each
/// capture and restore is a copy, with nothing allocated.
/// </summary>
internal sealed class TrainingSnapshot
{
    private readonly INetwork _network;
    private readonly Optimizer _optimizer;
    private readonly float[] _parameters;
    private readonly float[] _state;
    private long _steps;

    /// <summary>Allocates room for the copy; <paramref name="optimizer"/> must already be bound to <paramref name="network"/>.</summary>
    public TrainingSnapshot(INetwork network, Optimizer optimizer)
    {
        _network = network;
        _optimizer = optimizer;
        _parameters = new float[network.Parameters.Length];
        _state = new float[optimizer.State.Length];
    }

    /// <summary>Copies the parameters, the optimizer's state and its step count.</summary>
    public void Capture()
    {
        _network.Parameters.CopyTo(_parameters);
        _optimizer.State.CopyTo(_state);
        _steps = _optimizer.Steps;
    }

    /// <summary>Puts back what <see cref="Capture"/> copied last.</summary>
    public void Restore()
    {
        _parameters.CopyTo(_network.Parameters);
        _optimizer.Restore(_state, _steps);
    }
}
