using Xunit;

namespace StaticNet.Tests;

/// <summary>
/// Preprocessing learned from training rows: missing values dropped or filled in from training statistics,
/// categories one-hot or ordinal, unknown categories, scaling, class names, and raw rows encoded alike.
/// </summary>
public class FeatureSpaceTests
{
    // Bill lengths 39.1, 46.5, 49.0, 50.0 (mean 46.15, median 47.75); masses 3750, 3800, 3500, 5200 (mean 4062.5);
    // sex twice MALE, twice FEMALE, once missing.
    private const string Train =
        "species,island,bill,mass,sex\n" +
        "Adelie,Torgersen,39.1,3750,MALE\n" +
        "Adelie,Biscoe,NA,3800,FEMALE\n" +
        "Gentoo,Biscoe,46.5,NA,FEMALE\n" +
        "Chinstrap,Dream,49.0,3500,NA\n" +
        "Gentoo,Biscoe,50.0,5200,MALE\n";

    private static readonly CsvTable Penguins = Csv.ParseTable(Train, name: "penguins.csv");

    [Fact]
    public void Text_columns_become_one_hot_features_and_the_label_column_classes_in_ordinal_order()
    {
        FeatureSpace space = FeatureSpace.Fit(Penguins, Options(MissingValueStrategy.Mean));

        Assert.Equal(["island=Biscoe", "island=Dream", "island=Torgersen", "bill", "mass", "sex=FEMALE", "sex=MALE"], space.FeatureNames);
        Assert.Equal(["island", "bill", "mass", "sex"], space.InputColumns);
        Assert.Equal(["Adelie", "Chinstrap", "Gentoo"], space.ClassNames);

        Dataset data = space.Transform(Penguins);
        Assert.Equal([0, 0, 1, 39.1f, 3750, 0, 1], data.FeatureRow(0).ToArray());
        Assert.Equal([0, 1, 0], data.TargetRow(3).ToArray());
        Assert.Equal(space.ClassNames, data.ClassNames);
    }

    [Fact]
    public void The_encoded_features_are_named_in_the_dataset_and_grouped_by_the_column_they_encode()
    {
        FeatureSpace space = FeatureSpace.Fit(Penguins, Options(MissingValueStrategy.Mean));

        FeatureGroups groups = space.ColumnGroups;

        Assert.Equal(space.FeatureNames, space.Transform(Penguins).FeatureNames);
        Assert.Equal(["island", "bill", "mass", "sex"], groups.Names);
        Assert.Equal([0, 0, 0, 1, 2, 3, 3], Enumerable.Range(0, 7).Select(groups.GroupOf));
        Assert.Equal([5, 6], groups.Members(3).ToArray());
    }

    [Theory]
    [InlineData(MissingValueStrategy.Mean, 46.15f, 4062.5f, "FEMALE")]
    [InlineData(MissingValueStrategy.Median, 47.75f, 3775f, "FEMALE")]
    [InlineData(MissingValueStrategy.MostFrequent, 39.1f, 3500f, "FEMALE")]
    public void Missing_values_are_filled_in_from_the_training_rows(MissingValueStrategy strategy, float bill, float mass, string sex)
    {
        FeatureSpace space = FeatureSpace.Fit(Penguins, Options(strategy));

        Dataset data = space.Transform(Penguins);

        Assert.Equal(bill, data.FeatureRow(1)[3], 4);
        Assert.Equal(mass, data.FeatureRow(2)[4], 4);
        Assert.Equal(1, data.FeatureRow(3)[space.FeatureNames.ToList().IndexOf("sex=" + sex)]);
    }

    [Fact]
    public void A_constant_fills_numbers_and_a_category_of_its_own_fills_text()
    {
        FeatureSpace space = FeatureSpace.Fit(Penguins, Options(MissingValueStrategy.Constant) with { FillValue = -1, FillCategory = "unknown" });

        Dataset data = space.Transform(Penguins);

        Assert.Equal(["sex=FEMALE", "sex=MALE", "sex=unknown"], space.FeatureNames.Where(n => n.StartsWith("sex", StringComparison.Ordinal)));
        Assert.Equal(-1, data.FeatureRow(1)[3]);
        Assert.Equal([0, 0, 1], data.FeatureRow(3)[^3..].ToArray());
    }

    [Fact]
    public void Test_rows_are_filled_in_with_the_training_statistics_not_their_own()
    {
        FeatureSpace space = FeatureSpace.Fit(Penguins, Options(MissingValueStrategy.Mean));
        CsvTable test = Csv.ParseTable("species,island,bill,mass,sex\nAdelie,Dream,NA,9000,MALE\nGentoo,Dream,100,1000,MALE\n");

        Dataset data = space.Transform(test);

        Assert.Equal(46.15f, data.FeatureRow(0)[3], 4);
    }

    [Fact]
    public void Rows_with_a_missing_value_can_be_dropped_and_are_counted()
    {
        FeatureSpace space = FeatureSpace.Fit(Penguins, Options(MissingValueStrategy.DropRows));

        Dataset data = space.Transform(Penguins, out int dropped);

        // Categories are learned from the rows kept: Dream's only row, and both FEMALE rows, were dropped.
        Assert.Equal(3, dropped);
        Assert.Equal(2, data.Count);
        Assert.Equal(["island=Biscoe", "island=Torgersen", "bill", "mass", "sex=MALE"], space.FeatureNames);
        Assert.Equal(50, data.FeatureRow(1)[2]);
    }

    [Fact]
    public void A_missing_value_is_an_error_by_default_naming_its_line_column_and_token()
    {
        // Fit encodes the training rows it learns from, so it refuses them itself.
        var error = Assert.Throws<DataFormatException>(() => FeatureSpace.Fit(Penguins, Options(MissingValueStrategy.Error)));

        Assert.Contains("penguins.csv, line 3, column 3 ('bill'): 'NA': The value is missing", error.Message);
    }

    [Fact]
    public void Ordinal_encoding_gives_each_text_column_one_feature_its_categorys_index()
    {
        FeatureSpace space = FeatureSpace.Fit(Penguins, Options(MissingValueStrategy.Mean) with { Categories = CategoryEncoding.Ordinal });

        Dataset data = space.Transform(Penguins);

        Assert.Equal(["island", "bill", "mass", "sex"], space.FeatureNames);
        Assert.Equal([2, 39.1f, 3750, 1], data.FeatureRow(0).ToArray());
    }

    [Fact]
    public void An_unknown_category_is_all_zeros_or_an_error_naming_the_column_and_value()
    {
        CsvTable test = Csv.ParseTable("species,island,bill,mass,sex\nAdelie,Mars,40,4000,MALE\n", name: "test.csv");

        Dataset ignored = FeatureSpace.Fit(Penguins, Options(MissingValueStrategy.Mean)).Transform(test);
        var error = Assert.Throws<DataFormatException>(() =>
            FeatureSpace.Fit(Penguins, Options(MissingValueStrategy.Mean) with { Unknown = UnknownCategory.Error }).Transform(test));

        Assert.Equal([0, 0, 0], ignored.FeatureRow(0)[..3].ToArray());
        Assert.Contains("test.csv, line 2, column 2 ('island'): 'Mars': The category is not one of the 3 seen in training: Biscoe, Dream, Torgersen.", error.Message);
    }

    [Fact]
    public void Scaling_standardises_the_numeric_features_on_the_training_rows_and_leaves_categories()
    {
        FeatureSpace space = FeatureSpace.Fit(Penguins, Options(MissingValueStrategy.Median) with { Scaling = ScalingMethod.Standardize });

        Dataset data = space.Transform(Penguins);

        foreach (int feature in new[] { 3, 4 })
        {
            double[] column = [.. Enumerable.Range(0, data.Count).Select(row => (double)data.FeatureRow(row)[feature])];
            double mean = column.Average();
            Assert.Equal(0, mean, 5);
            Assert.Equal(1, Math.Sqrt(column.Average(v => (v - mean) * (v - mean))), 5);
        }

        Assert.All(Enumerable.Range(0, data.Count), row => Assert.Equal(1, data.FeatureRow(row)[..3].ToArray().Sum()));
    }

    [Fact]
    public void A_raw_row_or_record_encodes_as_its_table_row_does()
    {
        FeatureSpace space = FeatureSpace.Fit(Penguins, Options(MissingValueStrategy.Mean) with { Scaling = ScalingMethod.MinMax });
        Dataset data = space.Transform(Penguins);
        float[] fromCells = new float[space.FeatureCount];
        float[] fromRecord = new float[space.FeatureCount];

        space.Encode(["Biscoe", "NA", "3800", "FEMALE"], fromCells);
        space.Encode(new Dictionary<string, string?> { ["island"] = "Biscoe", ["mass"] = "3800", ["sex"] = "FEMALE" }, fromRecord);

        Assert.Equal(data.FeatureRow(1).ToArray(), fromCells);
        Assert.Equal(fromCells, fromRecord);
        var error = Assert.Throws<FormatException>(() => space.Encode(["Biscoe", "long", "3800", "FEMALE"], fromCells));
        Assert.Contains("Column 'bill', 'long': The cell is not a number.", error.Message);
    }

    [Fact]
    public void A_label_the_training_rows_did_not_have_is_an_error_with_the_classes()
    {
        FeatureSpace space = FeatureSpace.Fit(Penguins, Options(MissingValueStrategy.Mean));

        var error = Assert.Throws<DataFormatException>(() => space.Transform(Csv.ParseTable("species,island,bill,mass,sex\nEmperor,Dream,40,4000,MALE\n")));

        Assert.Contains("'Emperor': The label is not one of the 3 classes: Adelie, Chinstrap, Gentoo.", error.Message);
    }

    [Fact]
    public void Iris_read_from_scikit_learns_file_and_standardised_trains_to_high_accuracy()
    {
        CsvTable iris = Csv.ReadTable(Path.Combine(AppContext.BaseDirectory, "Data", "scikit-learn", "iris.csv"), new CsvOptions { HasHeader = false, SkipLines = 1 });
        FeatureSpace space = FeatureSpace.Fit(iris, new FeatureSpaceOptions
        {
            TargetColumns = ["column 5"],
            ClassNames = ["0", "1", "2"],
            Scaling = ScalingMethod.Standardize,
        });
        Dataset data = space.Transform(iris);

        var network = new IrisNet(seed: 1);
        network.Fit(data, new FitOptions { Loss = Loss.CategoricalCrossEntropy, Optimizer = new Adam(0.02f), Epochs = 60, BatchSize = 16, Seed = 1, Verbose = Verbosity.Silent });

        Assert.Equal(4, space.FeatureCount);
        Assert.True(network.Evaluate(data, Loss.CategoricalCrossEntropy, Metric.Accuracy).Accuracy > 0.9);
    }

    [Fact]
    public void Number_like_categories_are_one_category_however_they_are_written()
    {
        CsvTable table = Csv.ParseTable("grade,y\n01,a\nB,b\n1.0,a\n1,b\n");
        FeatureSpace space = FeatureSpace.Fit(table, new FeatureSpaceOptions { TargetColumns = ["y"] });
        float[] features = new float[space.FeatureCount];

        space.Encode(["01"], features);

        Assert.Equal(["1", "B"], table["grade"].Categories);
        Assert.Equal(["grade=1", "grade=B"], space.FeatureNames);
        Assert.Equal([1, 0], features);
    }

    [Fact]
    public void A_label_column_with_one_class_is_refused()
    {
        var error = Assert.Throws<DataFormatException>(() =>
            FeatureSpace.Fit(Csv.ParseTable("x,y\n1,cat\n2,cat\n"), new FeatureSpaceOptions { TargetColumns = ["y"] }));

        Assert.Contains("holds only the class 'cat'; classification needs at least two", error.Message);
    }

    [Fact]
    public void A_split_keeps_only_its_own_categories_and_the_classes_are_learned_from_the_training_rows()
    {
        CsvTable table = Csv.ParseTable("x,y\n1,a\n2,a\n3,b\n4,b\n5,c\n");
        CsvTable train = table.Split(0.8, seed: 1).First;
        string[] seen = [.. Enumerable.Range(0, train.Count).Select(train["y"].Text).OfType<string>().Distinct()];

        FeatureSpace space = FeatureSpace.Fit(train, new FeatureSpaceOptions { TargetColumns = ["y"] });

        Assert.Equal(seen.Order(StringComparer.Ordinal), train["y"].Categories.Order(StringComparer.Ordinal));
        Assert.Equal(seen.Order(StringComparer.Ordinal), space.ClassNames);
    }

    [Fact]
    public void A_table_without_rows_is_refused_as_such()
    {
        var error = Assert.Throws<ArgumentException>(() => FeatureSpace.Fit(Csv.ParseTable("x,y\n"), new FeatureSpaceOptions { TargetColumns = ["y"] }));

        Assert.Contains("<text> has no data rows", error.Message);
    }

    private static FeatureSpaceOptions Options(MissingValueStrategy missing) => new() { TargetColumns = ["species"], Missing = missing };
}

[Network(Inputs = 4)]
[Dense(8, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class IrisNet;
