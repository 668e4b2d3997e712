using Xunit;

namespace StaticNet.Tests;

/// <summary>Classification and regression reports against figures worked by hand, through a network whose outputs are its inputs.</summary>
public class ReportTests
{
    [Fact]
    public void The_classification_report_has_scikit_learns_figures_for_a_worked_confusion_matrix()
    {
        // (true, predicted): the confusion matrix is [2 1 0; 0 2 1; 1 0 3].
        (int Actual, int Predicted)[] rows = [(0, 0), (0, 0), (0, 1), (1, 1), (1, 1), (1, 2), (2, 2), (2, 0), (2, 2), (2, 2)];
        Dataset data = Rows(rows.Select(r => OneHot(r.Predicted)), rows.Select(r => OneHot(r.Actual)), ["cat", "dog", "emu"]);

        ClassificationReport report = ClassificationReport.Of(Identity(), data);

        Assert.Equal([2, 1, 0, 0, 2, 1, 1, 0, 3], Enumerable.Range(0, 9).Select(i => report.Confusion(i / 3, i % 3)));
        Assert.Equal(["cat", "dog", "emu"], report.Classes.Select(c => c.Name));
        Assert.Equal([2.0 / 3, 2.0 / 3, 0.75], report.Classes.Select(c => c.Precision));
        Assert.Equal([2.0 / 3, 2.0 / 3, 0.75], report.Classes.Select(c => c.Recall));
        Assert.Equal([3, 3, 4], report.Classes.Select(c => c.Support));
        Assert.Equal(0.7, report.Accuracy, 12);
        Assert.Equal(((2.0 / 3) + (2.0 / 3) + 0.75) / 3, report.Macro.F1, 12);
        Assert.Equal(0.7, report.Weighted.Precision, 12);
        Assert.Contains("         emu      0.75      0.75      0.75         4", report.ToString());
        Assert.Contains("    accuracy                          0.70        10", report.ToString());
    }

    [Fact]
    public void A_class_never_predicted_has_zero_precision_rather_than_a_division_by_zero()
    {
        Dataset data = Rows([OneHot(0), OneHot(0), OneHot(0)], [OneHot(0), OneHot(1), OneHot(2)], null);

        ClassificationReport report = ClassificationReport.Of(Identity(), data);

        Assert.Equal([1.0 / 3, 0, 0], report.Classes.Select(c => c.Precision));
        Assert.Equal([0, 0, 0], report.Classes.Skip(1).Select(c => c.F1).Prepend(0));
        Assert.Equal(["0", "1", "2"], report.Classes.Select(c => c.Name));
    }

    [Fact]
    public void The_regression_report_has_MAE_RMSE_and_R2_for_worked_errors()
    {
        // Column 0: targets 1, 2, 3, 4 predicted 1.5, 2, 2.5, 5 (MAE 0.5, MSE 0.375, R² 1 - 1.5/5 = 0.7); columns 1 and 2 exact.
        float[][] targets = [[1, 1, 7], [2, 2, 8], [3, 3, 9], [4, 4, 6]];
        float[][] predictions = [[1.5f, 1, 7], [2, 2, 8], [2.5f, 3, 9], [5, 4, 6]];

        RegressionReport report = RegressionReport.Of(Identity(), Rows(predictions, targets, null));

        Assert.Equal([0.5, 0, 0], report.MeanAbsoluteErrors);
        Assert.Equal(Math.Sqrt(0.375), report.RootMeanSquaredErrors[0], 12);
        Assert.Equal(0.7, report.R2Scores[0], 12);
        Assert.Equal(0.9, report.R2, 12);
        Assert.Equal(2.0 / 12, report.MeanAbsoluteError, 12);
        Assert.Contains("R2", report.ToString());
    }

    [Fact]
    public void The_macro_average_leaves_out_a_class_that_neither_occurs_nor_is_predicted()
    {
        Dataset data = Rows([OneHot(0), OneHot(1), OneHot(1)], [OneHot(0), OneHot(1), OneHot(0)], null);

        ClassificationReport report = ClassificationReport.Of(Identity(), data);

        // Class 0: precision 1, recall 0.5; class 1: precision 0.5, recall 1; class 2 absent.
        Assert.Equal(0.75, report.Macro.Precision, 12);
        Assert.Equal(0.75, report.Macro.Recall, 12);
    }

    [Fact]
    public void R2_holds_for_targets_whose_mean_dwarfs_their_spread()
    {
        const float Offset = 1_000_000;
        float[][] targets = [[Offset + 1, 0, 0], [Offset + 2, 1, 1], [Offset + 3, 2, 2], [Offset + 4, 3, 3]];
        float[][] predictions = [[Offset + 1.5f, 0, 0], [Offset + 2, 1, 1], [Offset + 2.5f, 2, 2], [Offset + 5, 3, 3]];

        RegressionReport report = RegressionReport.Of(Identity(), Rows(predictions, targets, null));

        Assert.Equal(0.7, report.R2Scores[0], 9);
    }

    private static float[] OneHot(int index)
    {
        float[] row = new float[3];
        row[index] = 1;
        return row;
    }

    private static Dataset Rows(IEnumerable<float[]> features, IEnumerable<float[]> targets, string[]? classNames) =>
        new([.. features.SelectMany(f => f)], 3, [.. targets.SelectMany(t => t)], 3) { ClassNames = classNames };

    /// <summary>A 3-3 linear layer with identity weights: its outputs are its inputs.</summary>
    private static IdentityNet Identity()
    {
        var network = new IdentityNet();
        network.CopyParametersFrom([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
        return network;
    }
}

[Network(Inputs = 3)]
[Dense(3, Activation.Linear)]
public partial class IdentityNet;
