using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.Extensions.Logging;

namespace StaticNet.Extensions.Logging;

/// <summary>
/// Logs training through an <see cref="ILogger"/>: a line when training begins, one per epoch with every
/// figure as a structured property (<c>Epoch</c>, <c>Epochs</c>, <c>Duration</c>, then <c>loss</c>,
/// <c>accuracy</c>, <c>val_loss</c>, … by their History names), and one when it ends. Add it to
/// <see cref="FitOptions.Callbacks"/>, usually with <see cref="FitOptions.Verbose"/> set to
/// <see cref="Verbosity.Silent"/> in a service, whose console belongs to its logging.
/// </summary>
/// <param name="logger">Where the entries go.</param>
public sealed partial class TrainingLogger(ILogger logger) : FitCallback
{
    private readonly ILogger _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    private string _epochFormat = "";

    /// <summary>The level of the per-epoch entries; <see cref="LogLevel.Information"/> by default.</summary>
    public LogLevel EpochLevel { get; init; } = LogLevel.Information;

    /// <summary>The event of the per-epoch entries.</summary>
    public static EventId EpochEvent { get; } = new(2, "EpochEnded");

    /// <inheritdoc />
    public override void OnTrainBegin(FitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var format = new StringBuilder("Epoch {Epoch}/{Epochs} in {Duration}:");
        foreach (string figure in context.Figures)
        {
            format.Append(' ').Append(figure).Append(" {").Append(figure).Append('}');
        }

        _epochFormat = format.ToString();
        TrainingBegan(_logger, context.Network.Shape.ToString(), context.Optimizer.GetType().Name, context.Epochs);
    }

    /// <inheritdoc />
    public override void OnEpochEnd(FitContext context, EpochSummary epoch)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(epoch);
        if (_logger.IsEnabled(EpochLevel))
        {
            _logger.Log(EpochLevel, EpochEvent, new EpochEntry(_epochFormat, epoch, context.Epochs), null, static (entry, _) => entry.ToString());
        }
    }

    /// <inheritdoc />
    public override void OnTrainEnd(FitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        IReadOnlyList<EpochSummary> epochs = context.History.Epochs;
        TimeSpan duration = epochs.Aggregate(TimeSpan.Zero, (total, epoch) => total + epoch.Duration);
        TrainingEnded(_logger, epochs.Count, duration, context.StopTraining);
    }

    [LoggerMessage(EventId = 1, EventName = "TrainingBegan", Level = LogLevel.Information,
        Message = "Training {Architecture} with {Optimizer} up to epoch {Epochs}")]
    private static partial void TrainingBegan(ILogger logger, string architecture, string optimizer, int epochs);

    [LoggerMessage(EventId = 3, EventName = "TrainingEnded", Level = LogLevel.Information,
        Message = "Training ended after {EpochsRun} epochs in {Duration}; stopped early: {StoppedEarly}")]
    private static partial void TrainingEnded(ILogger logger, int epochsRun, TimeSpan duration, bool stoppedEarly);

    /// <summary>An epoch's entry: its properties for structured logging, and its message.</summary>
    private sealed class EpochEntry(string format, EpochSummary epoch, int epochs) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private const int Fixed = 3;
        private readonly KeyValuePair<string, double>[] _figures = [.. epoch.Values];

        public int Count => Fixed + _figures.Length + 1;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("Epoch", epoch.Epoch),
            1 => new("Epochs", epochs),
            2 => new("Duration", epoch.Duration),
            _ when index < Count - 1 => new(_figures[index - Fixed].Key, _figures[index - Fixed].Value),
            _ when index == Count - 1 => new("{OriginalFormat}", format),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (int i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString()
        {
            var message = new StringBuilder();
            message.Append(CultureInfo.InvariantCulture, $"Epoch {epoch.Epoch}/{epochs} in {epoch.Duration.TotalSeconds:0.00} s:");
            foreach ((string name, double value) in _figures)
            {
                message.Append(CultureInfo.InvariantCulture, $" {name} {value:G6}");
            }

            return message.ToString();
        }
    }
}
