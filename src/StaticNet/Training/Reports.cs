using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using StaticNet.Training.Metrics;

namespace StaticNet;

/// <summary>One class's figures in a <see cref="ClassificationReport"/>.</summary>
/// <param name="Name">The class name, or its index when the data has no names.</param>
/// <param name="Precision">Of the rows predicted as this class, the share that are: TP / (TP + FP); 0 when none were predicted, as scikit-learn's <c>zero_division=0</c>.</param>
/// <param name="Recall">Of the rows of this class, the share predicted as it: TP / (TP + FN); 0 when there were none.</param>
/// <param name="F1">The harmonic mean of precision and recall; 0 when both are 0.</param>
/// <param name="Support">The rows of this class.</param>
public readonly record struct ClassScores(string Name, double Precision, double Recall, double F1, int Support);

/// <summary>
/// How well a classifier does on labelled rows, as scikit-learn's <c>classification_report</c> and
/// <c>confusion_matrix</c>: the confusion matrix, each class's precision, recall, F1 and support, their macro
/// and support-weighted averages, and the accuracy. The predicted class of a row is its largest output (for
/// one Sigmoid output, above 0.5), and none when an output is NaN; its true class, its largest target.
/// </summary>
public sealed class ClassificationReport
{
    private readonly int[,] _confusion;

    private ClassificationReport(int[,] confusion, int[] support, IReadOnlyList<string> names)
    {
        _confusion = confusion;
        int classes = names.Count;
        int total = 0;
        int correct = 0;
        var scores = new ClassScores[classes];
        for (int c = 0; c < classes; c++)
        {
            int truePositive = confusion[c, c];
            int actual = support[c];
            int predicted = Enumerable.Range(0, classes).Sum(a => confusion[a, c]);
            double precision = predicted == 0 ? 0 : (double)truePositive / predicted;
            double recall = actual == 0 ? 0 : (double)truePositive / actual;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            scores[c] = new ClassScores(names[c], precision, recall, f1, actual);
            total += actual;
            correct += truePositive;
        }

        Classes = scores;
        Support = total;
        Accuracy = total == 0 ? 0 : (double)correct / total;
        // As scikit-learn, the macro average is over the classes that occur among the true or the predicted classes.
        ClassScores[] present = [.. scores.Where((score, c) => score.Support > 0 || Enumerable.Range(0, classes).Any(a => confusion[a, c] > 0))];
        present = present.Length > 0 ? present : scores;
        Macro = new ClassScores("macro avg", present.Average(s => s.Precision), present.Average(s => s.Recall), present.Average(s => s.F1), total);
        Weighted = new ClassScores(
            "weighted avg",
            Weigh(scores, s => s.Precision, total),
            Weigh(scores, s => s.Recall, total),
            Weigh(scores, s => s.F1, total),
            total);
    }

    /// <summary>Each class's figures, in class order.</summary>
    public IReadOnlyList<ClassScores> Classes { get; }

    /// <summary>The unweighted means of the figures of the classes that occur, as true or as predicted classes, as scikit-learn's.</summary>
    public ClassScores Macro { get; }

    /// <summary>The means of the classes' figures weighted by their support.</summary>
    public ClassScores Weighted { get; }

    /// <summary>The share of rows whose predicted class is their true class.</summary>
    public double Accuracy { get; }

    /// <summary>The number of rows.</summary>
    public int Support { get; }

    /// <summary>The rows of true class <paramref name="actual"/> predicted as class <paramref name="predicted"/>.</summary>
    public int Confusion(int actual, int predicted) => _confusion[actual, predicted];

    /// <summary>Scores a network's predictions on labelled data.</summary>
    /// <param name="network">The classifier.</param>
    /// <param name="data">One-hot targets (or one 0/1 target for a Sigmoid output); class names from <see cref="Dataset.ClassNames"/> when it has them.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">The data's widths do not match the network.</exception>
    public static ClassificationReport Of(INetwork network, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        float[] outputs = Outputs(network, data, classIndices: true);
        int width = network.Shape.Outputs;
        int classes = ClassIndex.Count(width);
        var confusion = new int[classes, classes];
        int[] support = new int[classes];
        for (int row = 0; row < data.Count; row++)
        {
            ReadOnlySpan<float> target = data.TargetRow(row);
            if (target.Length < width && !(target[0] >= 0 && target[0] < width && target[0] == MathF.Floor(target[0])))
            {
                throw new ArgumentException($"Row {row}'s target, {target[0]}, is not a class index from 0 to {width - 1}.", nameof(data));
            }

            int actual = ClassIndex.OfTargets(target, width);
            int predicted = ClassIndex.OfOutputs(outputs.AsSpan(row * width, width), 0.5f);
            support[actual]++;
            if (predicted >= 0)
            {
                confusion[actual, predicted]++;
            }
        }

        IReadOnlyList<string> names = data.ClassNames is { Count: > 1 } given && given.Count == classes
            ? given
            : [.. Enumerable.Range(0, classes).Select(c => c.ToString(CultureInfo.InvariantCulture))];
        return new ClassificationReport(confusion, support, names);
    }

    /// <summary>The report as scikit-learn prints it: a row per class, then accuracy and the two averages, then the confusion matrix.</summary>
    public override string ToString()
    {
        int width = Math.Max(12, Classes.Max(c => c.Name.Length) + 2);
        var text = new StringBuilder();
        text.Append(' ', width).Append(CultureInfo.InvariantCulture, $"{"precision",10}{"recall",10}{"f1-score",10}{"support",10}\n\n");
        foreach (ClassScores scores in Classes)
        {
            AppendScores(text, scores, width);
        }

        text.Append('\n').Append("accuracy".PadLeft(width)).Append(CultureInfo.InvariantCulture, $"{"",10}{"",10}{Accuracy,10:0.00}{Support,10}\n");
        AppendScores(text, Macro, width);
        AppendScores(text, Weighted, width);
        text.Append("\nconfusion (rows: true class, columns: predicted)\n").Append(' ', width);
        foreach (ClassScores scores in Classes)
        {
            text.Append(scores.Name.PadLeft(Math.Max(8, scores.Name.Length + 1)));
        }

        text.Append('\n');
        for (int actual = 0; actual < Classes.Count; actual++)
        {
            text.Append(Classes[actual].Name.PadLeft(width));
            for (int predicted = 0; predicted < Classes.Count; predicted++)
            {
                text.Append(_confusion[actual, predicted].ToString(CultureInfo.InvariantCulture).PadLeft(Math.Max(8, Classes[predicted].Name.Length + 1)));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A network's outputs for every row of a dataset, checked against its widths; with <paramref name="classIndices"/>, a single target column may hold class indices.</summary>
    internal static float[] Outputs(INetwork network, Dataset data, bool classIndices = false)
    {
        NetworkShape shape = network.Shape;
        bool indices = classIndices && data.TargetCount == 1 && shape.Outputs > 1;
        if (data.FeatureCount != shape.Inputs || (data.TargetCount != shape.Outputs && !indices))
        {
            throw new ArgumentException(
                $"The data has {data.FeatureCount} features and {data.TargetCount} targets but {network.GetType().Name} takes {shape.Inputs} inputs and has {shape.Outputs} outputs.",
                nameof(data));
        }

        float[] outputs = new float[data.Count * shape.Outputs];
        network.PredictBatch(data.Features, outputs);
        return outputs;
    }

    private static void AppendScores(StringBuilder text, ClassScores scores, int width) =>
        text.Append(scores.Name.PadLeft(width)).Append(CultureInfo.InvariantCulture, $"{scores.Precision,10:0.00}{scores.Recall,10:0.00}{scores.F1,10:0.00}{scores.Support,10}\n");

    private static double Weigh(ClassScores[] scores, Func<ClassScores, double> figure, int total) =>
        total == 0 ? 0 : scores.Sum(s => figure(s) * s.Support) / total;
}

/// <summary>
/// How well a regression network does on rows with targets, as scikit-learn's <c>mean_absolute_error</c>,
/// <c>mean_squared_error</c> and <c>r2_score</c>: over every target value, and per target column.
/// </summary>
public sealed class RegressionReport
{
    private RegressionReport(double[] mae, double[] rmse, double[] r2, double allMae, double allRmse, double allR2, int count)
    {
        MeanAbsoluteErrors = mae;
        RootMeanSquaredErrors = rmse;
        R2Scores = r2;
        MeanAbsoluteError = allMae;
        RootMeanSquaredError = allRmse;
        R2 = allR2;
        Count = count;
    }

    /// <summary>The mean absolute error over every target value.</summary>
    public double MeanAbsoluteError { get; }

    /// <summary>The square root of the mean squared error over every target value.</summary>
    public double RootMeanSquaredError { get; }

    /// <summary>The coefficient of determination, averaged over the target columns as scikit-learn's <c>uniform_average</c>: 1 is perfect, 0 is as good as predicting the mean.</summary>
    public double R2 { get; }

    /// <summary>Each target column's mean absolute error.</summary>
    public IReadOnlyList<double> MeanAbsoluteErrors { get; }

    /// <summary>Each target column's root mean squared error.</summary>
    public IReadOnlyList<double> RootMeanSquaredErrors { get; }

    /// <summary>Each target column's R²: <c>1 - Σ(y - ŷ)² / Σ(y - ȳ)²</c>; when a column's targets are all equal, 1 for a perfect prediction and 0 otherwise, as scikit-learn.</summary>
    public IReadOnlyList<double> R2Scores { get; }

    /// <summary>The number of rows.</summary>
    public int Count { get; }

    /// <summary>Scores a network's predictions on data with targets.</summary>
    /// <param name="network">The regression network.</param>
    /// <param name="data">The rows with their targets.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">The data's widths do not match the network.</exception>
    public static RegressionReport Of(INetwork network, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        float[] outputs = ClassificationReport.Outputs(network, data);
        int width = data.TargetCount;
        int n = data.Count;
        double[] means = new double[width];
        for (int row = 0; row < n; row++)
        {
            ReadOnlySpan<float> target = data.TargetRow(row);
            for (int t = 0; t < width; t++)
            {
                means[t] += target[t] / (double)n;
            }
        }

        // Deviations from the mean in a second pass: the one-pass Σy² - (Σy)²/n cancels away when the targets' mean dwarfs their spread.
        double[] absolute = new double[width];
        double[] squared = new double[width];
        double[] total = new double[width];
        for (int row = 0; row < n; row++)
        {
            ReadOnlySpan<float> target = data.TargetRow(row);
            for (int t = 0; t < width; t++)
            {
                double error = outputs[(row * width) + t] - (double)target[t];
                double deviation = target[t] - means[t];
                absolute[t] += Math.Abs(error);
                squared[t] += error * error;
                total[t] += deviation * deviation;
            }
        }

        double[] r2 = new double[width];
        for (int t = 0; t < width; t++)
        {
            r2[t] = total[t] > 0 ? 1 - (squared[t] / total[t]) : squared[t] == 0 ? 1 : 0;
        }

        return new RegressionReport(
            [.. absolute.Select(a => a / n)],
            [.. squared.Select(s => Math.Sqrt(s / n))],
            r2,
            absolute.Sum() / (n * width),
            Math.Sqrt(squared.Sum() / (n * width)),
            r2.Average(),
            n);
    }

    /// <summary>The report as an aligned table: MAE, RMSE and R² over all targets, and per target column when there are several.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"",10}{"MAE",12}{"RMSE",12}{"R2",10}{"rows",8}\n");
        text.Append(CultureInfo.InvariantCulture, $"{"all",10}{MeanAbsoluteError,12:G6}{RootMeanSquaredError,12:G6}{R2,10:0.0000}{Count,8}\n");
        for (int t = 0; MeanAbsoluteErrors.Count > 1 && t < MeanAbsoluteErrors.Count; t++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{"target " + t,10}{MeanAbsoluteErrors[t],12:G6}{RootMeanSquaredErrors[t],12:G6}{R2Scores[t],10:0.0000}{Count,8}\n");
        }

        return text.ToString();
    }
}
