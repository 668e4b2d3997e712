using StaticNet;
using StaticNet.Training;
using Xunit;
using StaticNet.Kernels;

namespace StaticNet.Tests;

public class ParallelTrainingTests
{
    public static IEnumerable<object[]> Splits() =>
    [
        ["TinyNet", 2, 16],
        ["SoftmaxNet", 3, 10],   // 10 rows over 3 threads: parts of 3, 3 and 4 rows
        ["FmnistNet", 2, 8],
        ["SeedNet", 4, 3],       // fewer rows than threads: one row per part
        ["WideNet", 3, 11],      // tail panels and a unit-major layer of 7 units shared by 3 threads
        ["FmnistNet", 2, 70],    // enough rows for each part to pack its panels' columns of dz into strips
        ["WideNet", 3, 65],
    ];

    public static IEnumerable<object[]> Networks => TestNetworks.Names();

    [Theory]
    [MemberData(nameof(Splits))]
    public void A_step_split_over_threads_equals_the_single_threaded_step(string name, int threads, int rows)
    {
        var random = new Random(8);
        INetwork single = TestNetworks.Create(name, seed: 2), parallel = TestNetworks.Create(name, seed: 2);
        float[] features = RandomData.Uniform(random, rows * single.Shape.Inputs);
        float[] targets = RandomData.Targets(random, "categorical_crossentropy", rows, single.Shape.Outputs);
        Loss loss = single.Shape.OutputActivation == Activation.Softmax ? Loss.CategoricalCrossEntropy : Loss.MeanSquaredError;
        // SGD keeps the update proportional to the gradient; Adam would amplify the last-bit
        // differences of near-zero gradients (its step is about lr·g/(|g| + ε)).
        using var one = new TrainingSession(single, loss, new Sgd(0.1f), rows, threads: 1);
        using var many = new TrainingSession(parallel, loss, new Sgd(0.1f), rows, threads);

        for (int step = 0; step < 3; step++)
        {
            double expected = one.Step(features, targets);
            double actual = many.Step(features, targets);
            Assert.Equal(expected, actual, 5);
            AssertClose(one.Outputs(rows), many.Outputs(rows), "outputs");
        }

        Assert.Equal(one.Buffers.OutputGradientIsPreActivation, many.Buffers.OutputGradientIsPreActivation);

        // Only the loss differs: each part's mean is weighted by its share of the batch, which rounds
        // differently from the mean over the whole batch.
        AssertClose(single.Parameters, parallel.Parameters, "parameters");
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Parameter_gradients_computed_in_parts_are_those_of_the_whole_backward_pass(string name)
    {
        var random = new Random(3);
        IGeneratedNetwork network = TestNetworks.Create(name, seed: 7);
        NetworkShape shape = network.Shape;
        const int Rows = 6;
        float[] features = RandomData.Uniform(random, Rows * shape.Inputs);
        var buffers = new TrainingBuffers(shape, Rows);
        network.Forward(features, Rows, buffers);
        RandomData.Uniform(random, Rows * shape.Outputs).CopyTo(buffers.OutputGradient(Rows));
        network.Backward(features, Rows, buffers);
        float[] expected = buffers.Gradients.ToArray();

        foreach (int parts in new[] { 2, 3, 5 })
        {
            buffers.Gradients.Fill(float.NaN);
            for (int part = parts - 1; part >= 0; part--)
            {
                network.ComputeGradients(features, Rows, buffers, part, parts);
            }

            Assert.Equal(expected.AsSpan(0, shape.ParameterCount).ToArray(), buffers.Gradients[..shape.ParameterCount].ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void The_forward_passes_parts_leave_every_upper_layers_weights_in_the_canonical_layout(string name)
    {
        IGeneratedNetwork network = TestNetworks.Create(name, seed: 5);
        NetworkShape shape = network.Shape;
        float[] canonical = new float[shape.ParameterCount];
        network.CopyParametersTo(canonical);
        const int Rows = 3;
        float[] features = RandomData.Uniform(new Random(4), Rows * shape.Inputs);

        foreach (int parts in new[] { 1, 2, 3 })
        {
            var buffers = new TrainingBuffers(shape, Rows);
            for (int layer = 1; layer < shape.Layers.Count; layer++)
            {
                buffers.CanonicalWeights(layer).Fill(float.NaN);
            }

            for (int layer = 0; layer < shape.Layers.Count; layer++)
            {
                for (int part = 0; part < parts; part++)
                {
                    network.ForwardLayer(layer, features, Rows, buffers, part, parts);
                }
            }

            int offset = 0;
            for (int layer = 0; layer < shape.Layers.Count; layer++)
            {
                DenseLayer dense = shape.Layers[layer];
                if (layer > 0)
                {
                    float[] expected = canonical.AsSpan(offset, dense.Inputs * dense.Units).ToArray();
                    float[] copied = buffers.CanonicalWeights(layer).ToArray();

                    // Layers under 8 units may keep unit-major weights, which are read where they are, with no copy.
                    Assert.True(copied.SequenceEqual(expected) || (dense.Units < 8 && copied.All(float.IsNaN)), $"layer {layer} in {parts} parts");
                }

                offset += dense.ParameterCount;
            }
        }
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"{what} {i}: {expected[i]} and {actual[i]}");
        }
    }

    [Fact]
    public void A_parallel_step_whose_loss_is_not_finite_leaves_the_parameters_unchanged()
    {
        var network = new TinyNet(seed: 1);
        network.Parameters[TinyNet.ParameterCount - 1] = float.NaN;
        float[] before = network.Parameters.ToArray();
        using var session = new TrainingSession(network, Loss.MeanSquaredError, new Adam(), 8, threads: 2);

        Assert.Throws<TrainingDivergedException>(() => session.Step(new float[8 * TinyNet.InputSize], new float[8 * TinyNet.OutputSize]));
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void Fit_on_several_threads_learns_and_is_reproducible()
    {
        float[] Train()
        {
            var network = new XorNet(seed: 5);
            float[,] x = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
            float[,] y = { { 0 }, { 1 }, { 1 }, { 0 } };
            network.Fit(x, y, new FitOptions { Loss = Loss.BinaryCrossEntropy, Optimizer = new Adam(0.05f), Epochs = 400, BatchSize = 4, Seed = 1, Threads = 2, Verbose = Verbosity.Silent });
            Assert.Equal(1.0, network.Evaluate(x, y, Loss.BinaryCrossEntropy, Metric.Accuracy).Accuracy);
            return network.Parameters.ToArray();
        }

        Assert.Equal(Train(), Train());
    }

    [Fact]
    public void Default_threads_use_every_core_only_when_the_batch_is_large_enough()
    {
        Assert.Equal(1, TrainingSession.DefaultThreads(SeedNet.Shape, 32));
        Assert.Equal(Math.Min(Environment.ProcessorCount, 28), TrainingSession.DefaultThreads(FmnistNet.Shape, 128));
        Assert.Throws<ArgumentOutOfRangeException>(() => new XorNet(seed: 1).Fit(new float[4, 2], new float[4, 1], new FitOptions { Threads = 0 }));
    }
}

public class ParallelAllocationTests
{
    [Fact]
    public void A_parallel_training_step_allocates_nothing_on_any_of_its_threads()
    {
        var random = new Random(3);
        var network = new FmnistNet(seed: 1);
        float[] features = RandomData.Uniform(random, 32 * FmnistNet.InputSize);
        float[] targets = RandomData.Targets(random, "categorical_crossentropy", 32, FmnistNet.OutputSize);
        using var session = new TrainingSession(network, Loss.CategoricalCrossEntropy, new Adam(), 32, threads: 2);

        // Each thread reads its own allocation counter after its part, so other tests running in
        // the same process cannot add to the figure.
        long fewest = Allocations.SteadyStateBytes(() => session.Step(features, targets), () => session.WorkerAllocatedBytes, callsPerWindow: 20);

        Assert.Equal(0, fewest);
    }
}
