using StaticNet;
using Xunit;

namespace StaticNet.Tests;

public class ParallelPredictorTests
{
    [Theory]
    [InlineData("FmnistNet", 2, 301)]
    [InlineData("TinyNet", 3, 1000)]
    [InlineData("SeedNet", 2, 1024)]
    [InlineData("SoftmaxNet", 4, 5)]     // too few rows to split: runs on the calling thread
    public void Parallel_prediction_matches_PredictBatch_row_for_row(string name, int threads, int rows)
    {
        INetwork network = TestNetworks.Create(name, seed: 6);
        float[] inputs = RandomData.Uniform(new Random(2), rows * network.Shape.Inputs);
        float[] expected = new float[rows * network.Shape.Outputs];
        float[] actual = new float[rows * network.Shape.Outputs];
        network.PredictBatch(inputs, expected);

        using var predictor = new ParallelPredictor(network, threads);
        predictor.PredictBatch(inputs, actual);

        // A row may fall into a block of rows in one call and be computed alone in the other,
        // which sums in another order.
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"output {i}: {expected[i]} and {actual[i]}");
        }
    }

    [Fact]
    public void Parallel_prediction_allocates_nothing_on_any_of_its_threads()
    {
        var network = new TinyNet(seed: 1);
        float[] inputs = new float[512 * TinyNet.InputSize];
        float[] outputs = new float[512 * TinyNet.OutputSize];
        using var predictor = new ParallelPredictor(network, threads: 2);

        long fewest = Allocations.SteadyStateBytes(() => predictor.PredictBatch(inputs, outputs), () => predictor.WorkerAllocatedBytes, callsPerWindow: 50);

        Assert.Equal(0, fewest);
    }

    [Fact]
    public void Rows_that_do_not_match_are_rejected()
    {
        using var predictor = new ParallelPredictor(new SeedNet(seed: 1), threads: 2);
        Assert.Throws<ArgumentException>(() => predictor.PredictBatch(new float[64], new float[31]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParallelPredictor(new SeedNet(seed: 1), threads: -1));
    }
}
