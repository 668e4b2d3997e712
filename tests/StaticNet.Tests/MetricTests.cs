using Xunit;

namespace StaticNet.Tests;

/// <summary>
/// The built-in metrics against scikit-learn's definitions, on fixed inputs whose expected values
/// Data/sklearn/metric_values.py computed once (scikit-learn 1.2.1) and which are written here; each fed in one
/// batch and in uneven batches, with and without sample weights.
/// </summary>
public class MetricTests
{
    private static readonly float[] BinaryScores = [0.91f, 0.12f, 0.55f, 0.47f, 0.81f, 0.33f, 0.62f, 0.05f, 0.74f, 0.41f, 0.29f, 0.68f];
    private static readonly float[] BinaryLabels = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0];
    private static readonly float[] BinaryWeights = [1.0f, 2.0f, 0.5f, 1.5f, 1.0f, 3.0f, 0.25f, 1.0f, 2.0f, 0.75f, 1.25f, 1.0f];

    private static readonly float[] ClassScores =
    [
        0.10f, 0.60f, 0.20f, 0.10f,
        0.70f, 0.10f, 0.15f, 0.05f,
        0.25f, 0.30f, 0.40f, 0.05f,
        0.05f, 0.15f, 0.20f, 0.60f,
        0.30f, 0.35f, 0.05f, 0.29f,
        0.50f, 0.20f, 0.20f, 0.10f,
        0.15f, 0.10f, 0.70f, 0.05f,
        0.20f, 0.25f, 0.15f, 0.40f,
        0.45f, 0.05f, 0.35f, 0.15f,
        0.10f, 0.20f, 0.30f, 0.40f,
    ];

    private static readonly float[] ClassLabels = [1, 0, 1, 3, 0, 0, 2, 2, 2, 3];
    private static readonly float[] ClassWeights = [1.0f, 0.5f, 2.0f, 1.0f, 1.5f, 1.0f, 0.75f, 2.5f, 1.0f, 0.25f];

    private static readonly float[] RegressionTargets = [1.0f, -2.0f, 0.5f, 0.0f, 2.5f, 1.5f, -1.0f, 3.0f, 0.0f, -0.5f, 1.5f, 2.0f, 3.0f, 0.5f, -0.5f, 1.0f];
    private static readonly float[] RegressionOutputs = [1.2f, -1.5f, 0.1f, 0.4f, 2.0f, 1.0f, -0.4f, 2.2f, 0.3f, -1.1f, 1.1f, 2.6f, 2.4f, 0.9f, 0.2f, 0.7f];
    private static readonly float[] RegressionWeights = [1.0f, 2.0f, 0.5f, 1.0f, 3.0f, 1.0f, 0.5f, 1.5f];

    public static TheoryData<string, double> Binary() => new()
    {
        { "binary_accuracy", 0.6666666666666666 },
        { "weighted_binary_accuracy", 0.6885245901639344 },
        { "precision", 0.6666666666666666 },
        { "weighted_precision", 0.6521739130434783 },
        { "recall", 0.6666666666666666 },
        { "f1_score", 0.6666666666666666 },
        { "weighted_f1_score", 0.6122448979591837 },
        { "auc", 0.6944444444444445 },
        { "weighted_auc", 0.7593406593406593 },
        { "auc 200", 0.6944444444444445 },
        { "weighted_auc 7", 0.7824175824175824 },
    };

    public static TheoryData<string, double> Classes() => new()
    {
        { "categorical_accuracy", 0.6 },
        { "weighted_categorical_accuracy", 0.391304347826087 },
        { "sparse_categorical_accuracy", 0.6 },
        { "top_2_categorical_accuracy", 0.9 },
        { "weighted_top_2_categorical_accuracy", 0.782608695652174 },
        { "macro_precision", 0.5833333333333333 },
        { "macro_recall", 0.625 },
        { "macro_f1_score", 0.5916666666666666 },
        { "weighted_macro_f1_score", 0.4058441558441558 },
        { "micro_precision", 0.6 },
        { "micro_f1_score", 0.6 },
    };

    public static TheoryData<string, double> Regression() => new()
    {
        { "mse", 0.26124998927116394 },
        { "weighted_mse", 0.24666664004325867 },
        { "mae", 0.48750001192092896 },
        { "root_mean_squared_error", 0.5111262202262878 },
        { "r2_score", 0.8642835184671425 },
        { "weighted_r2_score", 0.8200289496282066 },
    };

    [Theory]
    [MemberData(nameof(Binary))]
    public void Binary_metrics_match_scikit_learn(string name, double expected)
    {
        Metric metric = Named(name);
        var context = new MetricContext(1, 1, Loss.BinaryCrossEntropy, Activation.Sigmoid);

        AssertEveryBatching(expected, metric, context, BinaryScores, BinaryLabels, BinaryWeights);
    }

    [Theory]
    [MemberData(nameof(Classes))]
    public void Class_metrics_match_scikit_learn_on_one_hot_and_on_class_index_targets(string name, double expected)
    {
        Metric metric = Named(name);
        float[] oneHot = OneHot(ClassLabels, 4);

        AssertEveryBatching(expected, metric, new MetricContext(4, 4, Loss.CategoricalCrossEntropy, Activation.Softmax), ClassScores, oneHot, ClassWeights);
        AssertEveryBatching(expected, metric, new MetricContext(4, 1, Loss.SparseCategoricalCrossEntropy, Activation.Softmax), ClassScores, ClassLabels, ClassWeights);
    }

    [Theory]
    [MemberData(nameof(Regression))]
    public void Regression_metrics_match_scikit_learn_over_two_outputs(string name, double expected)
    {
        var context = new MetricContext(2, 2, Loss.MeanSquaredError, Activation.Linear);

        AssertEveryBatching(expected, Named(name), context, RegressionOutputs, RegressionTargets, RegressionWeights);
    }

    [Fact]
    public void Exact_auc_pools_every_output_as_a_binary_label_as_scikit_learn_on_the_raveled_rows()
    {
        var context = new MetricContext(4, 4, Loss.CategoricalCrossEntropy, Activation.Softmax);

        AssertEveryBatching(0.8983333333333333, Metric.Auc(), context, ClassScores, OneHot(ClassLabels, 4), []);
    }

    [Fact]
    public void Thresholded_auc_approaches_the_exact_area_as_the_thresholds_grow()
    {
        var random = new Random(5);
        float[] scores = [.. Enumerable.Range(0, 2000).Select(_ => random.NextSingle())];
        float[] labels = [.. scores.Select(s => random.NextSingle() < s ? 1f : 0f)];
        var context = new MetricContext(1, 1, Loss.BinaryCrossEntropy, Activation.Sigmoid);
        double exact = Score(Metric.Auc(), context, scores, labels, [], [scores.Length]);

        double[] errors = [.. new[] { 5, 50, 2000 }.Select(t => Math.Abs(Score(Metric.Auc(t), context, scores, labels, [], [scores.Length]) - exact))];

        Assert.True(errors[0] > errors[1] && errors[1] > errors[2], string.Join(", ", errors));
        Assert.True(errors[2] < 1e-3, $"{errors[2]}");
    }

    [Fact]
    public void Decisions_on_logits_are_taken_at_zero_and_auc_is_unchanged_by_the_sigmoid()
    {
        float[] logits = [.. BinaryScores.Select(p => MathF.Log(p / (1 - p)))];
        var logitContext = new MetricContext(1, 1, Loss.BinaryCrossEntropyWith(fromLogits: true), Activation.Linear);
        var probabilityContext = new MetricContext(1, 1, Loss.BinaryCrossEntropy, Activation.Sigmoid);

        foreach (Metric metric in new[] { Metric.Accuracy, Metric.BinaryAccuracy, Metric.Precision(), Metric.F1Score(ClassAveraging.Macro), Metric.Auc(), Metric.Auc(200) })
        {
            Assert.Equal(
                Score(metric, probabilityContext, BinaryScores, BinaryLabels, [], [12]),
                Score(metric, logitContext, logits, BinaryLabels, [], [12]),
                1e-12);
        }
    }

    [Fact]
    public void Accuracy_resolves_to_binary_for_one_output_and_to_categorical_for_one_hot_or_class_index_targets()
    {
        Assert.Equal(0.6666666666666666, Score(Metric.Accuracy, new MetricContext(1, 1, Loss.MeanSquaredError, Activation.Sigmoid), BinaryScores, BinaryLabels, [], [12]), 1e-12);
        Assert.Equal(0.6, Score(Metric.Accuracy, new MetricContext(4, 4, Loss.CategoricalCrossEntropy, Activation.Softmax), ClassScores, OneHot(ClassLabels, 4), [], [10]), 1e-12);
        Assert.Equal(0.6, Score(Metric.Accuracy, new MetricContext(4, 1, Loss.SparseCategoricalCrossEntropy, Activation.Softmax), ClassScores, ClassLabels, [], [10]), 1e-12);
    }

    [Fact]
    public void Top_k_counts_a_class_tied_with_the_kth_output_as_in_the_top_k()
    {
        var context = new MetricContext(3, 1, Loss.SparseCategoricalCrossEntropy, Activation.Softmax);

        Assert.Equal(1.0, Score(Metric.TopKCategoricalAccuracy(1), context, [0.4f, 0.4f, 0.2f], [1], [], [1]));
        Assert.Equal(0.0, Score(Metric.TopKCategoricalAccuracy(1), context, [0.5f, 0.4f, 0.1f], [1], [], [1]));
    }

    [Fact]
    public void Constant_targets_give_r_squared_1_when_predicted_exactly_and_0_otherwise_as_force_finite()
    {
        var context = new MetricContext(1, 1, Loss.MeanSquaredError, Activation.Linear);

        Assert.Equal(1.0, Score(Metric.RSquared, context, [2f, 2f], [2f, 2f], [], [2]));
        Assert.Equal(0.0, Score(Metric.RSquared, context, [2f, 3f], [2f, 2f], [], [2]));
    }

    [Fact]
    public void Auc_with_one_class_only_is_NaN_as_its_curve_is_undefined()
    {
        var context = new MetricContext(1, 1, Loss.BinaryCrossEntropy, Activation.Sigmoid);

        Assert.True(double.IsNaN(Score(Metric.Auc(), context, [0.2f, 0.7f], [1f, 1f], [], [2])));
    }

    [Fact]
    public void Metrics_made_again_with_the_same_settings_are_equal_and_others_are_not()
    {
        Assert.Equal(Metric.TopKCategoricalAccuracy(3), Metric.TopKCategoricalAccuracy(3));
        Assert.Equal(Metric.Precision(ClassAveraging.Macro).Weighted(), Metric.Precision(ClassAveraging.Macro).Weighted());
        Assert.Equal(Metric.Auc(200).GetHashCode(), Metric.Auc(200).GetHashCode());
        Assert.NotEqual(Metric.Auc(200), Metric.Auc());
        Assert.NotEqual(Metric.Precision(), Metric.Precision().Weighted());
        Assert.Equal("top_k_categorical_accuracy", Metric.TopKCategoricalAccuracy().Name);
        Assert.Equal("weighted_precision", Metric.Precision().Weighted().Weighted().Name);
    }

    [Fact]
    public void A_metric_that_does_not_suit_the_network_is_refused_by_Evaluate_naming_it_and_the_network()
    {
        var network = new SeedNet(seed: 1);

        var error = Assert.Throws<ArgumentException>(() => network.Evaluate(new float[4, 2], new float[4, 1], Loss.MeanSquaredError, Metric.Accuracy, Metric.TopKCategoricalAccuracy()));

        Assert.Equal("metrics", error.ParamName);
        Assert.StartsWith("Entry 1 of the metrics, top_k_categorical_accuracy, does not suit SeedNet and mse: it ranks several outputs", error.Message);
    }

    [Fact]
    public void A_user_defined_metric_reports_through_Evaluate_and_Fit()
    {
        var network = new SeedNet(seed: 1);
        Metric meanOutput = Metric.MeanOfRows("mean_output", (outputs, targets) => outputs[0]);
        var counter = new RowCounter();
        float[,] x = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
        float[,] y = { { 0 }, { 1 }, { 1 }, { 0 } };
        float[,] predicted = network.Predict(x);

        Evaluation score = network.Evaluate(x, y, Loss.MeanSquaredError, meanOutput, counter);
        History history = network.Fit(x, y, new FitOptions { Epochs = 2, BatchSize = 3, Metrics = [counter], Verbose = Verbosity.Silent });

        Assert.Equal((predicted[0, 0] + predicted[1, 0] + predicted[2, 0] + predicted[3, 0]) / 4.0, score[meanOutput], 1e-6);
        Assert.Equal(4, score[counter]);
        Assert.All(history.Epochs, epoch => Assert.Equal(4, epoch.Values["rows"]));
    }

    [Fact]
    public void Updating_the_metrics_of_a_batch_allocates_nothing()
    {
        var context = new MetricContext(4, 4, Loss.CategoricalCrossEntropy, Activation.Softmax);
        Metric[] metrics =
        [
            Metric.Accuracy, Metric.TopKCategoricalAccuracy(2), Metric.F1Score(ClassAveraging.Macro), Metric.Precision(),
            Metric.Auc(200), Metric.MeanSquaredError, Metric.RSquared, Metric.RootMeanSquaredError.Weighted(),
        ];
        MetricAccumulator[] accumulators = [.. metrics.Select(m => m.CreateAccumulator(context))];
        float[] targets = OneHot(ClassLabels, 4);
        Update(accumulators, targets);

        long bytes = Allocations.SteadyStateBytes(() => Update(accumulators, targets));

        Assert.Equal(0, bytes);
    }

    private static void Update(MetricAccumulator[] accumulators, float[] targets)
    {
        var batch = new MetricBatch(ClassScores, targets, ClassWeights, 10);
        foreach (MetricAccumulator accumulator in accumulators)
        {
            accumulator.Update(batch);
        }
    }

    /// <summary>The metric a row of the theories names: a built-in one, weighted with a weighted_ prefix, and with its thresholds after a space.</summary>
    private static Metric Named(string name)
    {
        bool weighted = name.StartsWith("weighted_", StringComparison.Ordinal);
        string plain = weighted ? name["weighted_".Length..] : name;
        Metric metric = plain switch
        {
            "binary_accuracy" => Metric.BinaryAccuracy,
            "categorical_accuracy" => Metric.CategoricalAccuracy,
            "sparse_categorical_accuracy" => Metric.SparseCategoricalAccuracy,
            "top_2_categorical_accuracy" => Metric.TopKCategoricalAccuracy(2),
            "precision" => Metric.Precision(),
            "recall" => Metric.Recall(),
            "f1_score" => Metric.F1Score(),
            "macro_precision" => Metric.Precision(ClassAveraging.Macro),
            "macro_recall" => Metric.Recall(ClassAveraging.Macro),
            "macro_f1_score" => Metric.F1Score(ClassAveraging.Macro),
            "micro_precision" => Metric.Precision(ClassAveraging.Micro),
            "micro_f1_score" => Metric.F1Score(ClassAveraging.Micro),
            "auc" => Metric.Auc(),
            "auc 200" => Metric.Auc(200),
            "auc 7" => Metric.Auc(7),
            "mse" => Metric.MeanSquaredError,
            "mae" => Metric.MeanAbsoluteError,
            "root_mean_squared_error" => Metric.RootMeanSquaredError,
            "r2_score" => Metric.RSquared,
            _ => throw new ArgumentException(name),
        };
        Assert.Equal(plain.Split(' ')[0], metric.Name);
        return weighted ? metric.Weighted() : metric;
    }

    /// <summary>Asserts the metric's value fed in one batch, in batches of 1, 3 and the rest, and again after a reset.</summary>
    private static void AssertEveryBatching(double expected, Metric metric, MetricContext context, float[] outputs, float[] targets, float[] weights)
    {
        int rows = outputs.Length / context.Outputs;
        float[] used = metric.Weighted().Equals(metric) ? weights : [];
        Assert.Equal(expected, Score(metric, context, outputs, targets, used, [rows]), 1e-6);
        Assert.Equal(expected, Score(metric, context, outputs, targets, used, [1, 3, rows - 4]), 1e-6);
    }

    /// <summary>The metric's value over batches of the given sizes, read after a reset and a second pass.</summary>
    private static double Score(Metric metric, MetricContext context, float[] outputs, float[] targets, float[] weights, int[] batches)
    {
        MetricAccumulator accumulator = metric.CreateAccumulator(context);
        int rows = outputs.Length / context.Outputs;
        int targetsPerRow = targets.Length / rows;
        for (int pass = 0; pass < 2; pass++)
        {
            accumulator.Reset();
            int start = 0;
            foreach (int size in batches)
            {
                accumulator.Update(new MetricBatch(
                    outputs.AsSpan(start * context.Outputs, size * context.Outputs),
                    targets.AsSpan(start * targetsPerRow, size * targetsPerRow),
                    weights.Length == 0 ? [] : weights.AsSpan(start, size),
                    size));
                start += size;
            }
        }

        return accumulator.Result;
    }

    private static float[] OneHot(float[] labels, int classes)
    {
        float[] oneHot = new float[labels.Length * classes];
        for (int row = 0; row < labels.Length; row++)
        {
            oneHot[(row * classes) + (int)labels[row]] = 1;
        }

        return oneHot;
    }

    /// <summary>A metric of its own: the number of rows it saw, to show what Fit and Evaluate feed a user's accumulator.</summary>
    private sealed class RowCounter() : Metric("rows")
    {
        public override MetricAccumulator CreateAccumulator(MetricContext context) => new Accumulator();

        private sealed class Accumulator : MetricAccumulator
        {
            private int _rows;

            public override double Result => _rows;

            public override void Update(in MetricBatch batch) => _rows += batch.Rows;

            public override void Reset() => _rows = 0;
        }
    }
}
