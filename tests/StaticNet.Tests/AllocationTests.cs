using StaticNet;
using Xunit;

namespace StaticNet.Tests;

public class AllocationTests
{
    public static IEnumerable<object[]> Networks => TestNetworks.Names();

    [Theory]
    [MemberData(nameof(Networks))]
    public void Predict_allocates_nothing(string name)
    {
        INetwork network = TestNetworks.Create(name, seed: 1);
        float[] input = new float[network.Shape.Inputs];
        float[] output = new float[network.Shape.Outputs];

        Assert.Equal(0, Allocations.SteadyStateBytes(() => network.Predict(input, output)));
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void PredictBatch_allocates_nothing(string name)
    {
        INetwork network = TestNetworks.Create(name, seed: 1);
        float[] inputs = new float[network.Shape.Inputs * 40];
        float[] outputs = new float[network.Shape.Outputs * 40];

        Assert.Equal(0, Allocations.SteadyStateBytes(() => network.PredictBatch(inputs, outputs)));
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_training_step_allocates_nothing(string name)
    {
        INetwork network = TestNetworks.Create(name, seed: 1);
        var random = new Random(1);
        const int Rows = 16;
        float[] features = RandomData.Uniform(random, Rows * network.Shape.Inputs);
        float[] targets = RandomData.Targets(random, "categorical_crossentropy", Rows, network.Shape.Outputs);
        var session = new TrainingSession(network, Loss.MeanSquaredError, new Adam(), Rows);

        Assert.Equal(0, Allocations.SteadyStateBytes(() => session.Step(features, targets)));
    }

    [Fact]
    public void Sgd_steps_with_a_fused_loss_allocate_nothing()
    {
        var network = new SoftmaxNet(seed: 1);
        var random = new Random(2);
        float[] features = RandomData.Uniform(random, 8 * SoftmaxNet.InputSize);
        float[] targets = RandomData.Targets(random, "categorical_crossentropy", 8, SoftmaxNet.OutputSize);
        var session = new TrainingSession(network, Loss.CategoricalCrossEntropy, new Sgd(0.01f, momentum: 0.9f), 8);

        Assert.Equal(0, Allocations.SteadyStateBytes(() => session.Step(features, targets)));
    }

    [Fact]
    public void Every_prediction_and_training_path_allocates_nothing_after_a_garbage_collection()
    {
        var network = new FmnistNet(seed: 1);
        var random = new Random(3);
        const int Rows = 64;
        float[] input = RandomData.Uniform(random, FmnistNet.InputSize);
        float[] output = new float[FmnistNet.OutputSize];
        float[] inputs = RandomData.Uniform(random, Rows * FmnistNet.InputSize);
        float[] outputs = new float[Rows * FmnistNet.OutputSize];
        float[] targets = RandomData.Targets(random, "categorical_crossentropy", Rows, FmnistNet.OutputSize);
        using var parallel = new ParallelPredictor(network, threads: 2);
        using var split = new SplitPredictor(network, threads: 2);
        HalfPrecisionPredictor half = network.ToHalfPrecision();
        using var session = new TrainingSession(new FmnistNet(seed: 2), Loss.CategoricalCrossEntropy, new Adam(), Rows, threads: 2);

        Assert.Equal(0, Allocations.BytesAfterCollections(() => network.Predict(input, output)));
        Assert.Equal(0, Allocations.BytesAfterCollections(() => network.PredictBatch(inputs, outputs)));
        Assert.Equal(0, Allocations.BytesAfterCollections(() => parallel.PredictBatch(inputs, outputs), () => GC.GetAllocatedBytesForCurrentThread() + parallel.WorkerAllocatedBytes));
        Assert.Equal(0, Allocations.BytesAfterCollections(() => split.Predict(input, output), () => GC.GetAllocatedBytesForCurrentThread() + split.HelperAllocatedBytes));
        Assert.Equal(0, Allocations.BytesAfterCollections(() => half.Predict(input, output)));
        Assert.Equal(0, Allocations.BytesAfterCollections(() => half.PredictBatch(inputs, outputs)));

        // Enough rows for each thread's batch to pack the first layer's weights into a pooled buffer.
        float[] many = RandomData.Uniform(random, 600 * FmnistNet.InputSize);
        float[] manyOutputs = new float[600 * FmnistNet.OutputSize];
        Assert.Equal(0, Allocations.BytesAfterCollections(() => network.PredictBatch(many, manyOutputs)));
        Assert.Equal(0, Allocations.BytesAfterCollections(() => parallel.PredictBatch(many, manyOutputs), () => GC.GetAllocatedBytesForCurrentThread() + parallel.WorkerAllocatedBytes));
        Assert.Equal(0, Allocations.BytesAfterCollections(() => session.Step(inputs, targets), () => GC.GetAllocatedBytesForCurrentThread() + session.WorkerAllocatedBytes));
    }

    [Fact]
    public void The_probe_sees_an_allocation_in_every_call()
    {
        Assert.NotEqual(0, Allocations.SteadyStateBytes(() => GC.KeepAlive(new float[4])));
    }
}
