using StaticNet;
using Xunit;

namespace StaticNet.Tests;

public sealed class CsvTests : IDisposable
{
    private readonly TemporaryDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void A_header_file_with_named_categorical_labels_becomes_numeric_features_and_one_hot_targets()
    {
        string path = _files.Write("iris.csv", "id,sepal,petal,species\n1,5.1,1.4,setosa\n2,\"6.2\",4.5,versicolor\n3,-1e-2,0,virginica\n");
        Dataset data = Csv.Load(path, new CsvOptions
        {
            TargetColumns = ["species"],
            IgnoredColumns = ["id"],
            ClassNames = ["setosa", "versicolor", "virginica"],
        });

        Assert.Equal(3, data.Count);
        Assert.Equal(2, data.FeatureCount);
        Assert.Equal([5.1f, 1.4f, 6.2f, 4.5f, -0.01f, 0f], data.Features.ToArray());
        Assert.Equal([1f, 0, 0, 0, 1, 0, 0, 0, 1], data.Targets.ToArray());
        Assert.Equal(["sepal", "petal"], data.FeatureNames);
    }

    [Fact]
    public void A_headerless_file_takes_targets_by_index_and_integer_labels()
    {
        string path = _files.Write("digits.csv", "0.5;2;1\r\n0.25;0;3\r\n");
        Dataset data = Csv.Load(path, new CsvOptions { HasHeader = false, Separator = ';', TargetColumns = [1], ClassCount = 3 });

        Assert.Equal([0.5f, 1f, 0.25f, 3f], data.Features.ToArray());
        Assert.Equal([0f, 0, 1, 1, 0, 0], data.Targets.ToArray());
        Assert.Equal(["column 1", "column 3"], data.FeatureNames);
    }

    [Fact]
    public void Several_numeric_targets_keep_the_order_they_were_chosen_in()
    {
        string path = _files.Write("regression.csv", "a,y1,b,y2\n1,10,2,20\n");
        Dataset data = Csv.Load(path, new CsvOptions { TargetColumns = ["y2", 1] });

        Assert.Equal([1f, 2f], data.Features.ToArray());
        Assert.Equal([20f, 10f], data.Targets.ToArray());
        Assert.Equal(["a", "b"], data.FeatureNames);
    }

    [Fact]
    public void A_ragged_row_names_the_file_and_line_and_both_counts()
    {
        string path = _files.Write("ragged.csv", "a,b,y\n1,2,0\n3,4\n");
        var error = Assert.Throws<DataFormatException>(() => Csv.Load(path, new CsvOptions { TargetColumns = ["y"] }));

        Assert.Equal(path, error.FilePath);
        Assert.Equal(3, error.Line);
        Assert.Contains($"{path}, line 3", error.Message);
        Assert.Contains("2 cells but the header has 3", error.Message);
    }

    [Fact]
    public void A_non_numeric_cell_names_line_column_and_value()
    {
        string path = _files.Write("text.csv", "a,b,y\n1,2,0\n3,abc,1\n");
        var error = Assert.Throws<DataFormatException>(() => Csv.Load(path, new CsvOptions { TargetColumns = ["y"] }));

        Assert.Equal(3, error.Line);
        Assert.Equal("2 ('b')", error.Column);
        Assert.Equal("abc", error.Value);
        Assert.Contains("line 3, column 2 ('b'): 'abc': The cell is not a number.", error.Message);
    }

    [Theory]
    [InlineData("NaN", "missing")]
    [InlineData("NA", "missing")]
    [InlineData("", "missing")]
    [InlineData("Infinity", "finite")]
    [InlineData("-Infinity", "finite")]
    [InlineData("1e39", "finite")]
    public void Missing_infinite_and_overflowing_cells_are_rejected_where_they_are(string cell, string problem)
    {
        string path = _files.Write("nan.csv", $"a,y\n1,0\n{cell},1\n");
        var error = Assert.Throws<DataFormatException>(() => Csv.Load(path, new CsvOptions { TargetColumns = ["y"] }));

        Assert.Equal(3, error.Line);
        Assert.Equal(cell, error.Value);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_label_that_is_not_a_class_is_reported_with_the_classes()
    {
        string path = _files.Write("labels.csv", "x,label\n1,cat\n2,cow\n");
        var error = Assert.Throws<DataFormatException>(() =>
            Csv.Load(path, new CsvOptions { TargetColumns = ["label"], ClassNames = ["cat", "dog"] }));

        Assert.Equal(3, error.Line);
        Assert.Equal("cow", error.Value);
        Assert.Contains("not one of the 2 classes: cat, dog", error.Message);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("-1")]
    [InlineData("1.5")]
    public void An_integer_label_out_of_range_is_reported(string label)
    {
        string path = _files.Write("labels.csv", $"1,0\n2,{label}\n");
        var error = Assert.Throws<DataFormatException>(() =>
            Csv.Load(path, new CsvOptions { HasHeader = false, TargetColumns = [1], ClassCount = 3 }));

        Assert.Equal(2, error.Line);
        Assert.Equal(label, error.Value);
        Assert.Contains("labels are integers from 0 to 2", error.Message);
    }

    [Fact]
    public void A_missing_column_lists_the_columns_there_are()
    {
        string path = _files.Write("columns.csv", "a,b\n1,2\n");
        var byName = Assert.Throws<DataFormatException>(() => Csv.Load(path, new CsvOptions { TargetColumns = ["c"] }));
        Assert.Contains("no column named 'c'; the columns are a, b", byName.Message);

        var byIndex = Assert.Throws<DataFormatException>(() => Csv.Load(path, new CsvOptions { TargetColumns = [5] }));
        Assert.Contains("index 5", byIndex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a,y\n")]
    public void Empty_files_and_header_only_files_are_rejected(string text)
    {
        string path = _files.Write("empty.csv", text);
        var error = Assert.Throws<DataFormatException>(() => Csv.Load(path, new CsvOptions { TargetColumns = ["y"] }));
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void A_header_error_is_on_line_1()
    {
        string path = _files.Write("duplicate.csv", "a,y,y\n1,2,3\n");
        var duplicate = Assert.Throws<DataFormatException>(() => Csv.Load(path, new CsvOptions { TargetColumns = ["y"] }));
        Assert.Equal(1, duplicate.Line);
        Assert.Contains($"{path}, line 1: ", duplicate.Message);

        var missing = Assert.Throws<DataFormatException>(() => Csv.Load(path, new CsvOptions { TargetColumns = ["z"] }));
        Assert.Equal(1, missing.Line);
    }

    [Fact]
    public void A_bad_cell_in_the_first_row_of_a_headerless_file_is_on_line_1()
    {
        string path = _files.Write("first.csv", "1,x,0\n2,3,1\n");
        var error = Assert.Throws<DataFormatException>(() => Csv.Load(path, new CsvOptions { HasHeader = false, TargetColumns = [2] }));

        Assert.Equal(1, error.Line);
        Assert.Contains($"{path}, line 1, column 2: 'x'", error.Message);
    }

    [Fact]
    public void A_ragged_second_row_of_a_headerless_file_is_on_line_2()
    {
        string path = _files.Write("ragged.csv", "1,2,0\n3,4\n");
        var error = Assert.Throws<DataFormatException>(() => Csv.Load(path, new CsvOptions { HasHeader = false, TargetColumns = [2] }));

        Assert.Equal(2, error.Line);
        Assert.Contains("the first row has 3", error.Message);
    }

    [Fact]
    public void Lines_after_a_quoted_cell_that_spans_lines_keep_their_physical_numbers()
    {
        // Lines 2 to 4 hold one row (a quoted cell with a CR LF and a LF in it), line 5 the next, line 6 the bad cell.
        string path = _files.Write("multiline.csv", "note,a,y\n\"one\r\ntwo\nthree\",1,0\n\"x\",2,1\n\"y\",abc,0\n");
        var error = Assert.Throws<DataFormatException>(() => Csv.Load(path, new CsvOptions { TargetColumns = ["y"], IgnoredColumns = ["note"] }));

        Assert.Equal(6, error.Line);
        Assert.Equal("abc", error.Value);
    }

    [Fact]
    public void A_bad_cell_after_a_cell_that_spans_lines_is_on_the_line_it_starts_on()
    {
        string path = _files.Write("same-row.csv", "note,a,y\n\"one\ntwo\nthree\",abc,0\n");
        var after = Assert.Throws<DataFormatException>(() => Csv.Load(path, new CsvOptions { TargetColumns = ["y"], IgnoredColumns = ["note"] }));
        Assert.Equal(4, after.Line);

        string before = _files.Write("before.csv", "a,note,y\nabc,\"one\ntwo\",0\n");
        var first = Assert.Throws<DataFormatException>(() => Csv.Load(before, new CsvOptions { TargetColumns = ["y"], IgnoredColumns = ["note"] }));
        Assert.Equal(2, first.Line);
    }

    [Fact]
    public void A_label_error_in_a_row_that_spans_lines_is_on_the_labels_line()
    {
        string path = _files.Write("labels.csv", "x,note,label\n1,\"a\nb\",cow\n");
        var error = Assert.Throws<DataFormatException>(() =>
            Csv.Load(path, new CsvOptions { TargetColumns = ["label"], IgnoredColumns = ["note"], ClassNames = ["cat", "dog"] }));

        Assert.Equal(3, error.Line);
        Assert.Equal("cow", error.Value);
    }

    [Fact]
    public void A_huge_cell_is_quoted_by_its_start_and_length_only()
    {
        string cell = new('z', 5_000_000);
        string path = _files.Write("huge.csv", $"a,y\n{cell},0\n");
        var error = Assert.Throws<DataFormatException>(() => Csv.Load(path, new CsvOptions { TargetColumns = ["y"] }));

        Assert.InRange(error.Message.Length, 1, path.Length + 400);
        Assert.InRange(error.Value!.Length, 1, Quoting.MaxLength);
        Assert.StartsWith("zzzzzzzzzz", error.Value);
        Assert.EndsWith("(5000000 characters)", error.Value);
    }

    [Fact]
    public void A_huge_header_name_is_quoted_by_its_start_and_length_only()
    {
        string name = new('h', 1_000_000);
        string path = _files.Write("header.csv", $"{name},y\n1,0\n");
        var error = Assert.Throws<DataFormatException>(() => Csv.Load(path, new CsvOptions { TargetColumns = ["missing"] }));

        Assert.InRange(error.Message.Length, 1, path.Length + 600);
        Assert.Contains("(1000000 characters)", error.Message);
    }

    [Fact]
    public void Shortening_keeps_short_values_and_is_idempotent()
    {
        Assert.Equal("short", Quoting.Shorten("short"));
        string once = Quoting.Shorten(new string('a', 1000) + "\U0001F600");
        Assert.Equal(Quoting.MaxLength, once.Length);
        Assert.Equal(once, Quoting.Shorten(once));

        // The cut would fall between the two halves of the emoji; it falls before it instead.
        string split = Quoting.Shorten(new string('a', 180) + "\U0001F600" + new string('b', 1000));
        Assert.StartsWith(new string('a', 180) + "…", split);
    }

    [Fact]
    public void Contradictory_options_are_rejected_before_reading()
    {
        Assert.Throws<ArgumentException>(() => Csv.Load("unused.csv", new CsvOptions()));
        Assert.Throws<ArgumentException>(() => Csv.Load("unused.csv", new CsvOptions { TargetColumns = [0, 1], ClassCount = 2 }));
        Assert.Throws<ArgumentException>(() => Csv.Load("unused.csv", new CsvOptions { TargetColumns = [0], ClassCount = 2, ClassNames = ["a", "b"] }));
    }
}
