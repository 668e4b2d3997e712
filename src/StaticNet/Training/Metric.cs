using System;
using System.Collections.Generic;
using StaticNet.Training.Metrics;

namespace StaticNet;

/// <summary>
/// A figure reported during training and evaluation besides the loss, as Keras' metrics: a description that
/// makes a <see cref="MetricAccumulator"/> for each run, which sums batch after batch and then gives the value.
/// The built-in metrics are the static members; derive from this class for a metric of your own, or use
/// <see cref="MeanOfRows"/> for the mean of a per-row figure. Metrics are equal when they are of the same type and
/// have the same <see cref="Name"/> (and, for built-in ones, the same settings), so a metric made again finds its
/// value in an <see cref="Evaluation"/>. A NaN output makes every built-in metric NaN, so a diverged network never
/// scores as a working one.
/// </summary>
/// <remarks>
/// Metrics are unweighted, as Keras' <c>metrics</c>, even on data with sample weights or with class weights, unless
/// asked for through <see cref="Weighted"/>: then each row counts with its weight, as Keras' <c>weighted_metrics</c>,
/// and means are divided by the sum of the weights.
/// </remarks>
public abstract class Metric : IEquatable<Metric>
{
    private readonly string _identity;

    /// <summary>Initialises a metric with the name shown in progress lines and histories.</summary>
    /// <param name="name">The name, such as <c>mean_output</c>: not empty, and not starting with <c>val_</c>, which validation figures take.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or starts with <c>val_</c>.</exception>
    protected Metric(string name)
        : this(CheckName(name), name)
    {
    }

    private protected Metric(string name, string identity)
    {
        Name = name;
        _identity = identity;
    }

    /// <summary>
    /// Binary accuracy for a single output or binary cross-entropy, sparse categorical accuracy for class-index
    /// targets, otherwise categorical accuracy: the rule Keras applies to <c>"accuracy"</c>.
    /// </summary>
    public static Metric Accuracy { get; } = new AccuracyMetric();

    /// <summary>
    /// The share of outputs on the same side of the decision threshold as their targets are of 0.5: Keras'
    /// <c>binary_accuracy</c>. The threshold is 0.5, or 0 when the loss takes logits.
    /// </summary>
    public static Metric BinaryAccuracy { get; } = new BinaryAccuracyMetric();

    /// <summary>The share of rows whose largest output is at their target's class (the largest target): Keras' <c>categorical_accuracy</c>.</summary>
    public static Metric CategoricalAccuracy { get; } = new CategoricalAccuracyMetric("categorical_accuracy");

    /// <summary>
    /// The share of rows whose largest output is at the class their one target column holds (0 to outputs - 1):
    /// Keras' <c>sparse_categorical_accuracy</c>, for <see cref="Loss.SparseCategoricalCrossEntropy"/>.
    /// </summary>
    public static Metric SparseCategoricalAccuracy { get; } = new CategoricalAccuracyMetric("sparse_categorical_accuracy");

    /// <summary>Mean squared error over every output, Keras' <c>mse</c> and scikit-learn's <c>mean_squared_error</c>.</summary>
    public static Metric MeanSquaredError { get; } = new ErrorMetric("mse", ErrorKind.Squared);

    /// <summary>Mean absolute error over every output, Keras' <c>mae</c> and scikit-learn's <c>mean_absolute_error</c>.</summary>
    public static Metric MeanAbsoluteError { get; } = new ErrorMetric("mae", ErrorKind.Absolute);

    /// <summary>
    /// The square root of the mean squared error over every output, Keras' <c>root_mean_squared_error</c>. For one
    /// output it is scikit-learn's <c>root_mean_squared_error</c>; for several, that averages each output's root instead.
    /// </summary>
    public static Metric RootMeanSquaredError { get; } = new ErrorMetric("root_mean_squared_error", ErrorKind.RootSquared);

    /// <summary>
    /// The coefficient of determination, 1 - Σ(y - a)² / Σ(y - ȳ)², per output and averaged over the outputs:
    /// scikit-learn's <c>r2_score</c> (<c>multioutput="uniform_average"</c>, <c>force_finite=True</c>: an output whose
    /// targets are constant scores 1 when predicted exactly and 0 otherwise).
    /// </summary>
    public static Metric RSquared { get; } = new RSquaredMetric();

    /// <summary>The name shown in progress lines and histories, e.g. <c>accuracy</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// Returns the share of rows whose target class is among the <paramref name="k"/> largest outputs, Keras'
    /// <c>top_k_categorical_accuracy</c> (or <c>sparse_top_k_categorical_accuracy</c> with class-index targets) and
    /// scikit-learn's <c>top_k_accuracy_score</c>. A class tied with the k-th largest output counts as among them, as in
    /// TensorFlow's <c>in_top_k</c>. Named <c>top_k_categorical_accuracy</c> for k = 5, Keras' default, and
    /// <c>top_{k}_categorical_accuracy</c> otherwise.
    /// </summary>
    /// <param name="k">How many of the largest outputs count; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1.</exception>
    public static Metric TopKCategoricalAccuracy(int k = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        return new TopKAccuracyMetric(k);
    }

    /// <summary>
    /// Returns precision, TP / (TP + FP), as scikit-learn's <c>precision_score</c> with <c>zero_division=0</c>.
    /// <see cref="ClassAveraging.Binary"/> treats each output as a yes-or-no decision against its target (Keras'
    /// <c>Precision</c>); <see cref="ClassAveraging.Macro"/> and <see cref="ClassAveraging.Micro"/> take each row's
    /// class (its largest output; for one output, the decision) and average over the classes.
    /// </summary>
    /// <param name="average">How to combine the classes.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="average"/> is not a defined <see cref="ClassAveraging"/>.</exception>
    public static Metric Precision(ClassAveraging average = ClassAveraging.Binary) => new ClassCountMetric(ClassScore.Precision, CheckAveraging(average));

    /// <summary>Returns recall, TP / (TP + FN), as scikit-learn's <c>recall_score</c>; the classes as <see cref="Precision"/> takes them.</summary>
    /// <param name="average">How to combine the classes.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="average"/> is not a defined <see cref="ClassAveraging"/>.</exception>
    public static Metric Recall(ClassAveraging average = ClassAveraging.Binary) => new ClassCountMetric(ClassScore.Recall, CheckAveraging(average));

    /// <summary>
    /// Returns F1, the harmonic mean of precision and recall, as scikit-learn's <c>f1_score</c>: with
    /// <see cref="ClassAveraging.Macro"/>, the mean of each class's F1; the classes as <see cref="Precision"/> takes them.
    /// </summary>
    /// <param name="average">How to combine the classes.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="average"/> is not a defined <see cref="ClassAveraging"/>.</exception>
    public static Metric F1Score(ClassAveraging average = ClassAveraging.Binary) => new ClassCountMetric(ClassScore.F1, CheckAveraging(average));

    /// <summary>
    /// Returns the area under the ROC curve, each output against its target as a binary label (for several outputs,
    /// all of them pooled, as Keras' <c>AUC(multi_label=False)</c>). Without <paramref name="thresholds"/> it is exact,
    /// scikit-learn's <c>roc_auc_score</c>, keeping every score of the run (memory grows with the rows); with them,
    /// Keras' <c>AUC(num_thresholds, curve="ROC")</c>: counts at that many thresholds spread over [0, 1] and the trapezoid
    /// rule between them, in fixed memory. Outputs of a loss on logits go through the sigmoid first.
    /// </summary>
    /// <param name="thresholds">The number of thresholds, at least 3 (Keras' default is 200); null for the exact area.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="thresholds"/> is below 3.</exception>
    public static Metric Auc(int? thresholds = null)
    {
        if (thresholds is int count)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(count, 3, nameof(thresholds));
        }

        return new AucMetric(thresholds);
    }

    /// <summary>
    /// Returns a metric that is the mean over the rows of <paramref name="rowValue"/>, as Keras' <c>MeanMetricWrapper</c>:
    /// the quickest way to a metric of your own. Weighted, each row counts with its sample weight.
    /// </summary>
    /// <param name="name">The metric's name.</param>
    /// <param name="rowValue">A row's figure from its outputs and its targets.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or starts with <c>val_</c>.</exception>
    public static Metric MeanOfRows(string name, RowMetric rowValue)
    {
        ArgumentNullException.ThrowIfNull(rowValue);
        return new RowMeanMetric(CheckName(name), rowValue);
    }

    /// <summary>Whether each row counts with its sample weight (<see cref="Weighted"/>).</summary>
    internal virtual bool IsWeighted => false;

    /// <summary>
    /// Returns this metric counting each row with its weight (sample weight times class weight), as Keras'
    /// <c>weighted_metrics</c>, named <c>weighted_</c> and this metric's name; on unweighted data it equals this metric.
    /// </summary>
    public Metric Weighted() => IsWeighted ? this : new WeightedMetric(this, "weighted_" + Name, "weighted_" + _identity);

    /// <summary>
    /// Makes the accumulator of one run, sized for <paramref name="context"/>; Fit and Evaluate call it before the
    /// first step and reuse it, so a metric refuses a network or a loss it does not suit here, before training.
    /// </summary>
    /// <param name="context">The network's output width, the targets' width and the loss.</param>
    /// <returns>A new accumulator, empty.</returns>
    /// <exception cref="ArgumentException">The metric does not suit the network, the targets or the loss.</exception>
    public abstract MetricAccumulator CreateAccumulator(MetricContext context);

    /// <inheritdoc />
    public bool Equals(Metric? other) => other is not null && other.GetType() == GetType() && other._identity == _identity;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Metric);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(GetType(), _identity);

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>The names of metrics, as shown in progress lines and histories, in the same order.</summary>
    /// <param name="metrics">The metrics as requested.</param>
    /// <param name="parameterName">The name of the argument they came in, for the exception.</param>
    /// <exception cref="ArgumentNullException">An entry is null.</exception>
    /// <exception cref="ArgumentException">Two entries have the same name.</exception>
    internal static string[] Names(IReadOnlyList<Metric> metrics, string parameterName)
    {
        string[] names = new string[metrics.Count];
        for (int m = 0; m < names.Length; m++)
        {
            names[m] = metrics[m]?.Name ?? throw new ArgumentNullException(parameterName, $"Entry {m} of the metrics is null.");
            int earlier = Array.IndexOf(names, names[m], 0, m);
            if (earlier >= 0)
            {
                throw new ArgumentException(
                    $"Entries {earlier} and {m} of the metrics are both named '{names[m]}'; each figure needs its own name.", parameterName);
            }
        }

        return names;
    }

    private static string CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return name.StartsWith("val_", StringComparison.Ordinal)
            ? throw new ArgumentException($"The metric name '{name}' starts with 'val_', which the validation figures take.", nameof(name))
            : name;
    }

    private static ClassAveraging CheckAveraging(ClassAveraging average) =>
        Enum.IsDefined(average) ? average : throw new ArgumentOutOfRangeException(nameof(average), average, "average must be a defined ClassAveraging.");
}

/// <summary>A metric whose rows count with their weights: the same accumulator, given the weights.</summary>
internal sealed class WeightedMetric(Metric metric, string name, string identity) : Metric(name, identity)
{
    internal override bool IsWeighted => true;

    public override MetricAccumulator CreateAccumulator(MetricContext context) => metric.CreateAccumulator(context);
}

/// <summary>A row's figure for <see cref="Metric.MeanOfRows"/>.</summary>
/// <param name="outputs">The row's outputs.</param>
/// <param name="targets">The row's targets.</param>
/// <returns>The row's figure.</returns>
public delegate double RowMetric(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets);

/// <summary>How <see cref="Metric.Precision"/>, <see cref="Metric.Recall"/> and <see cref="Metric.F1Score"/> combine classes, as scikit-learn's <c>average</c>.</summary>
public enum ClassAveraging
{
    /// <summary>Every output a yes-or-no decision against its target, all of them counted together (<c>average="binary"</c> for one output).</summary>
    Binary,

    /// <summary>Each row's class; the mean of the classes' figures over the classes that occur among the true or predicted ones (<c>average="macro"</c>).</summary>
    Macro,

    /// <summary>Each row's class; the figure of the counts summed over the classes (<c>average="micro"</c>), which for one class per row is the accuracy.</summary>
    Micro,
}
