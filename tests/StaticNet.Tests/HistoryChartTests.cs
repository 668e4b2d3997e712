using System.Globalization;
using System.Xml.Linq;
using StaticNet.Training;
using Xunit;

namespace StaticNet.Tests;

/// <summary>The training-curve picture: its panels, its lines against the figures, gaps, and the file.</summary>
public sealed class HistoryChartTests : IDisposable
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly TemporaryDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Each_figure_gets_a_panel_with_its_validation_series_and_the_loss_comes_first()
    {
        History history = Recorded(
            ("accuracy", [0.5, 0.7, 0.8]), ("loss", [1.0, 0.6, 0.4]), ("val_accuracy", [0.45, 0.6, 0.7]),
            ("val_loss", [1.1, 0.8, 0.7]), ("learning_rate", [0.001, 0.001, 0.0005]));

        XDocument picture = XDocument.Parse(history.ToSvg());

        XElement[] panels = [.. picture.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "panel")];
        Assert.Equal(["loss", "accuracy", "learning_rate"], panels.Select(p => (string)p.Attribute("data-figure")!));
        Assert.Equal(["loss", "val_loss"], Series(panels[0]).Select(s => s.Name));
        Assert.Equal(["learning_rate"], Series(panels[2]).Select(s => s.Name));
        Assert.All(Series(panels[0]), s => Assert.Equal(3, s.Points.Length));
    }

    [Fact]
    public void A_line_rises_and_falls_with_its_figure_and_runs_left_to_right_with_the_epochs()
    {
        double[] losses = [1.0, 0.5, 0.25, 0.3];
        History history = Recorded(("loss", losses));

        (double X, double Y)[] points = Series(Panels(history)[0]).Single().Points;

        Assert.True(points.Zip(points.Skip(1)).All(pair => pair.First.X < pair.Second.X));
        for (int i = 1; i < losses.Length; i++)
        {
            // SVG's y grows downwards, so a lower figure is drawn lower.
            Assert.Equal(Math.Sign(losses[i] - losses[i - 1]), -Math.Sign(points[i].Y - points[i - 1].Y));
        }

        // Equal steps in the figure are equal distances on the picture.
        Assert.Equal(points[1].Y - points[0].Y, 2 * (points[2].Y - points[1].Y), 1);
    }

    [Fact]
    public void A_value_that_is_not_finite_leaves_a_gap()
    {
        History history = Recorded(("loss", [1.0, double.NaN, 0.5, 0.4, double.PositiveInfinity]));

        Assert.Equal([1, 2], Series(Panels(history)[0]).Select(s => s.Points.Length));
    }

    [Fact]
    public void The_title_and_figure_names_are_escaped_into_valid_XML()
    {
        History history = Recorded(("loss", [1.0, 0.5]), ("a<b&\"c\"", [0.1, 0.2]));

        XDocument picture = XDocument.Parse(history.ToSvg("x < y & z"));

        Assert.Contains(picture.Descendants(Svg + "text"), t => t.Value == "x < y & z");
        Assert.Contains(picture.Descendants(Svg + "text"), t => t.Value == "a<b&\"c\"");
    }

    [Theory]
    [InlineData(0.23, 0.91, 0.2, 1.0, 0.2)]
    [InlineData(0, 97, 0, 100, 20)]
    [InlineData(0.0012, 0.0019, 0.0012, 0.002, 0.0002)]
    public void Axes_run_between_round_numbers_in_steps_of_one_two_or_five(double min, double max, double low, double high, double step)
    {
        (double Low, double High, double Step) ticks = HistoryChart.Ticks(min, max);

        Assert.Equal(step, ticks.Step, 12);
        Assert.Equal(low, ticks.Low, 12);
        Assert.Equal(high, ticks.High, 12);
    }

    [Fact]
    public void A_constant_figure_still_gets_an_axis_around_it()
    {
        (double low, double high, double step) = HistoryChart.Ticks(0.5, 0.5);

        Assert.True(low < 0.5 && high > 0.5 && step > 0);
    }

    [Fact]
    public void A_real_run_is_saved_as_a_picture_and_an_empty_history_is_refused()
    {
        var random = new Random(41);
        var data = new Dataset(RandomData.Uniform(random, 40 * 2), 2, RandomData.Uniform(random, 40), 1);
        History history = new SeedNet(seed: 3).Fit(data, new FitOptions
        {
            Epochs = 12,
            Metrics = [Metric.MeanAbsoluteError],
            ValidationSplit = 0.25,
            Verbose = Verbosity.Silent,
        });
        string path = _files.File("history.svg");

        history.SaveSvg(path, "SeedNet");

        XDocument picture = XDocument.Load(path);
        Assert.Equal(3, Panels(picture).Length);
        Assert.Equal(12, Series(Panels(picture)[0]).First().Points.Length);
        Assert.Throws<InvalidOperationException>(() => new History().ToSvg());
    }

    private static History Recorded(params (string Name, double[] Values)[] figures)
    {
        var history = new History();
        for (int epoch = 0; epoch < figures[0].Values.Length; epoch++)
        {
            history.Add(new EpochSummary(epoch + 1, TimeSpan.FromSeconds(1), figures.ToDictionary(f => f.Name, f => f.Values[epoch])));
        }

        return history;
    }

    private static XElement[] Panels(History history) => Panels(XDocument.Parse(history.ToSvg()));

    private static XElement[] Panels(XDocument picture) =>
        [.. picture.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "panel")];

    private static IEnumerable<(string Name, (double X, double Y)[] Points)> Series(XElement panel) =>
        panel.Elements(Svg + "polyline").Select(line => (
            (string)line.Attribute("data-series")!,
            ((string)line.Attribute("points")!).Split(' ').Select(point =>
            {
                string[] xy = point.Split(',');
                return (double.Parse(xy[0], CultureInfo.InvariantCulture), double.Parse(xy[1], CultureInfo.InvariantCulture));
            }).ToArray()));
}
