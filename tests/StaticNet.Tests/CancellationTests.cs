using StaticNet.Training;
using Xunit;

namespace StaticNet.Tests;

/// <summary>Fit and a cancellation token: it stops within one batch, keeps the last complete step, and hands back the epochs it finished.</summary>
public class CancellationTests
{
    private const int Rows = 40;
    private const int BatchSize = 4;

    [Theory]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(17)]
    public void A_token_cancelled_during_a_batch_stops_Fit_before_the_next_one_with_that_step_kept(int cancelAt)
    {
        var random = new Random(5);
        float[] x = RandomData.Uniform(random, Rows * 2);
        float[] y = RandomData.Uniform(random, Rows);
        var network = new SeedNet(seed: 3);
        using var source = new CancellationTokenSource();
        var loss = new CancellingLoss(source, cancelAt);

        var error = Assert.Throws<TrainingCanceledException>(() => network.Fit(new Dataset(x, 2, y, 1), Options(loss), source.Token));

        int batches = Rows / BatchSize;
        Assert.Equal(cancelAt, loss.Steps);
        Assert.Equal(source.Token, error.CancellationToken);
        Assert.Equal(((cancelAt - 1) / batches) + 1, error.Epoch);
        Assert.Equal(((cancelAt - 1) % batches) + 1, error.CompletedBatches);
        Assert.Equal((cancelAt - 1) / batches, error.History!.Epochs.Count);
        Assert.Equal(AfterSteps(x, y, cancelAt), network.Parameters.ToArray());
    }

    [Fact]
    public void A_token_cancelled_before_Fit_leaves_the_network_untouched()
    {
        var network = new SeedNet(seed: 3);
        float[] before = network.Parameters.ToArray();
        var loss = new CancellingLoss(null, 0);

        var error = Assert.Throws<TrainingCanceledException>(() => network.Fit(
            new Dataset(new float[Rows * 2], 2, new float[Rows], 1), Options(loss), new CancellationToken(canceled: true)));

        Assert.Equal(0, loss.Steps);
        Assert.Equal(0, error.CompletedBatches);
        Assert.Empty(error.History!.Epochs);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void An_uncancelled_token_trains_as_without_one()
    {
        var random = new Random(6);
        float[] x = RandomData.Uniform(random, Rows * 2);
        float[] y = RandomData.Uniform(random, Rows);
        SeedNet with = new(seed: 3), without = new(seed: 3);
        using var source = new CancellationTokenSource();

        with.Fit(new Dataset(x, 2, y, 1), Options(Loss.MeanSquaredError), source.Token);
        without.Fit(new Dataset(x, 2, y, 1), Options(Loss.MeanSquaredError));

        Assert.Equal(without.Parameters.ToArray(), with.Parameters.ToArray());
    }

    private static FitOptions Options(Loss loss) => new()
    {
        Loss = loss,
        Optimizer = new Adam(0.01f),
        Epochs = 3,
        BatchSize = BatchSize,
        Shuffle = false,
        Threads = 1,
        Verbose = Verbosity.Silent,
    };

    /// <summary>The parameters after <paramref name="steps"/> steps over the batches in order, taken one by one.</summary>
    private static float[] AfterSteps(float[] x, float[] y, int steps)
    {
        var network = new SeedNet(seed: 3);
        using var session = new TrainingSession(network, Loss.MeanSquaredError, new Adam(0.01f), BatchSize);
        int batches = Rows / BatchSize;
        for (int step = 0; step < steps; step++)
        {
            int batch = step % batches;
            session.Step(x.AsSpan(batch * BatchSize * 2, BatchSize * 2), y.AsSpan(batch * BatchSize, BatchSize));
        }

        return network.Parameters.ToArray();
    }

    /// <summary>Mean squared error that counts the training steps and cancels its source during the given one.</summary>
    private sealed class CancellingLoss(CancellationTokenSource? source, int cancelAt) : Loss
    {
        public int Steps { get; private set; }

        public override string Name => "mse";

        public override double Compute(
            ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int outputsPerRow, Activation outputActivation, Span<float> gradient, out bool gradientIsPreActivation)
        {
            if (!gradient.IsEmpty && ++Steps == cancelAt)
            {
                source?.Cancel();
            }

            return MeanSquaredError.Compute(outputs, targets, outputsPerRow, outputActivation, gradient, out gradientIsPreActivation);
        }
    }
}
