using Microsoft.Extensions.Logging;
using StaticNet.Extensions.Logging;
using Xunit;

namespace StaticNet.Tests;

/// <summary>Training logged through Microsoft.Extensions.Logging, with each epoch's figures as structured properties.</summary>
public class TrainingLoggerTests
{
    [Fact]
    public void Each_epoch_is_an_entry_whose_properties_are_its_figures()
    {
        var logger = new RecordingLogger();
        var random = new Random(51);
        var data = new Dataset(RandomData.Uniform(random, 40 * 2), 2, RandomData.Uniform(random, 40), 1);

        History history = new SeedNet(seed: 3).Fit(data, new FitOptions
        {
            Epochs = 3,
            Metrics = [Metric.MeanAbsoluteError],
            ValidationSplit = 0.25,
            Verbose = Verbosity.Silent,
            Callbacks = [new TrainingLogger(logger)],
        });

        Assert.Equal(["TrainingBegan", "EpochEnded", "EpochEnded", "EpochEnded", "TrainingEnded"], logger.Entries.Select(e => e.Event.Name));
        Assert.Equal("Training 2-5(ReLU)-1(Sigmoid) with Adam up to epoch 3", logger.Entries[0].Message);
        for (int epoch = 1; epoch <= 3; epoch++)
        {
            Dictionary<string, object?> properties = logger.Entries[epoch].Properties;
            Assert.Equal(epoch, properties["Epoch"]);
            Assert.Equal(3, properties["Epochs"]);
            foreach ((string name, double value) in history.Epochs[epoch - 1].Values)
            {
                Assert.Equal(value, properties[name]);
            }

            Assert.StartsWith("Epoch {Epoch}/{Epochs} in {Duration}: mae {mae} loss {loss} val_mae {val_mae}", (string)properties["{OriginalFormat}"]!);
            Assert.StartsWith($"Epoch {epoch}/3 in ", logger.Entries[epoch].Message);
            Assert.Contains($" loss {history.Epochs[epoch - 1].Loss:G6}", logger.Entries[epoch].Message);
        }

        Assert.Equal(false, logger.Entries[4].Properties["StoppedEarly"]);
        Assert.Equal(3, logger.Entries[4].Properties["EpochsRun"]);
    }

    [Fact]
    public void A_level_the_logger_does_not_take_is_not_built()
    {
        var logger = new RecordingLogger { Minimum = LogLevel.Warning };

        new SeedNet(seed: 3).Fit(new Dataset(new float[16], 2, new float[8], 1), new FitOptions
        {
            Epochs = 2,
            Verbose = Verbosity.Silent,
            Callbacks = [new TrainingLogger(logger) { EpochLevel = LogLevel.Debug }],
        });

        Assert.Empty(logger.Entries);
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<(EventId Event, string Message, Dictionary<string, object?> Properties)> Entries { get; } = [];

        public LogLevel Minimum { get; init; } = LogLevel.Trace;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= Minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                var properties = ((IEnumerable<KeyValuePair<string, object?>>)state!).ToDictionary(p => p.Key, p => p.Value);
                Entries.Add((eventId, formatter(state, exception), properties));
            }
        }
    }
}
