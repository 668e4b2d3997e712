using Xunit;

namespace StaticNet.Tests;

/// <summary>k-fold and stratified k-fold cross-validation on scikit-learn's iris file.</summary>
public class CrossValidationTests
{
    private static readonly Dataset Iris = LoadIris();

    [Theory]
    [InlineData(5, false)]
    [InlineData(5, true)]
    [InlineData(7, true)]
    public void Folds_differ_in_size_by_at_most_one_and_stratified_ones_in_each_class_too(int folds, bool stratified)
    {
        int[] foldOf = CrossValidation.Deal(Iris, folds, stratified, seed: 3);

        int[] sizes = [.. Enumerable.Range(0, folds).Select(f => foldOf.Count(x => x == f))];
        Assert.True(sizes.Max() - sizes.Min() <= 1);
        if (stratified)
        {
            for (int c = 0; c < 3; c++)
            {
                int[] perFold = [.. Enumerable.Range(0, folds).Select(f => Enumerable.Range(0, Iris.Count).Count(row => foldOf[row] == f && Iris.TargetRow(row)[c] == 1))];
                Assert.True(perFold.Max() - perFold.Min() <= 1, $"class {c}: {string.Join(", ", perFold)}");
            }
        }

        Assert.Equal(foldOf, CrossValidation.Deal(Iris, folds, stratified, seed: 3));
    }

    [Fact]
    public void Each_fold_trains_a_fresh_network_with_a_fresh_optimizer_and_is_scored_on_its_own_rows()
    {
        int created = 0;
        var options = new FitOptions { Loss = Loss.CategoricalCrossEntropy, Optimizer = new Adam(0.02f), Epochs = 40, BatchSize = 16, Seed = 1, Verbose = Verbosity.Silent };

        CrossValidationResult result = CrossValidation.Run(() => new IrisNet(seed: ++created), Iris, options, folds: 3, stratified: true, seed: 1, Metric.Accuracy);

        Assert.Equal(3, created);
        Assert.Equal(3, result.Folds.Count);
        Assert.All(result.Folds, fold => Assert.True(fold.Accuracy > 0.8, $"a fold scored {fold.Accuracy}"));
        Assert.Equal(result.Folds.Average(f => f.Accuracy), result[Metric.Accuracy], 12);
        double mean = result[Metric.Accuracy];
        Assert.Equal(Math.Sqrt(result.Folds.Average(f => (f.Accuracy - mean) * (f.Accuracy - mean))), result.StandardDeviation(Metric.Accuracy), 12);
        Assert.Equal(0, options.Optimizer.Steps);
        Assert.Throws<KeyNotFoundException>(() => result[Metric.MeanAbsoluteError]);
    }

    private static Dataset LoadIris()
    {
        CsvTable iris = Csv.ReadTable(Path.Combine(AppContext.BaseDirectory, "Data", "scikit-learn", "iris.csv"), new CsvOptions { HasHeader = false, SkipLines = 1 });
        return FeatureSpace.Fit(iris, new FeatureSpaceOptions { TargetColumns = [4], ClassCount = 3, Scaling = ScalingMethod.Standardize }).Transform(iris);
    }
}
