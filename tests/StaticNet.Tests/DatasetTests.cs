using StaticNet;
using Xunit;

namespace StaticNet.Tests;

public class DatasetTests
{
    private static Dataset Numbered(int rows)
    {
        // Row i holds features (i, -i) and target 10·i, so pairs can be checked after reordering.
        float[] x = new float[rows * 2];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            x[2 * i] = i;
            x[(2 * i) + 1] = -i;
            y[i] = 10 * i;
        }

        return new Dataset(x, 2, y, 1);
    }

    [Fact]
    public void Shuffle_is_a_seeded_permutation_that_keeps_features_with_their_targets()
    {
        Dataset data = Numbered(50);
        Dataset a = data.Shuffle(seed: 4), b = data.Shuffle(seed: 4), c = data.Shuffle(seed: 5);
        Assert.Equal(a.Features.ToArray(), b.Features.ToArray());
        Assert.NotEqual(a.Features.ToArray(), c.Features.ToArray());
        Assert.NotEqual(data.Features.ToArray(), a.Features.ToArray());

        var rows = new HashSet<float>();
        for (int i = 0; i < a.Count; i++)
        {
            float id = a.FeatureRow(i)[0];
            Assert.Equal(-id, a.FeatureRow(i)[1]);
            Assert.Equal(10 * id, a.TargetRow(i)[0]);
            rows.Add(id);
        }

        Assert.Equal(50, rows.Count);
    }

    [Fact]
    public void Batches_cover_every_row_once_in_order_with_a_smaller_last_batch()
    {
        Dataset data = Numbered(10);
        var sizes = new List<int>();
        var seen = new List<float>();
        foreach (Dataset.Batch batch in data.Batches(4))
        {
            sizes.Add(batch.Rows);
            Assert.Equal(batch.Rows * 2, batch.Features.Length);
            for (int r = 0; r < batch.Rows; r++)
            {
                seen.Add(batch.Features[2 * r]);
                Assert.Equal(10 * batch.Features[2 * r], batch.Targets[r]);
            }
        }

        Assert.Equal([4, 4, 2], sizes);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), seen);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Batches(0));
    }

    [Fact]
    public void Feature_names_travel_with_shuffles_splits_slices_and_sample_weights_and_must_be_one_per_column()
    {
        Dataset data = new(Numbered(10).Features.ToArray(), 2, Numbered(10).Targets.ToArray(), 1) { FeatureNames = ["id", "negated"] };
        (Dataset train, Dataset test) = data.Shuffle(seed: 1).Split(0.5);

        Assert.Equal(["id", "negated"], train.FeatureNames);
        Assert.Equal(["id", "negated"], test.Slice(1, 2).FeatureNames);
        Assert.Equal(["id", "negated"], data.WithSampleWeights(new float[10]).FeatureNames);
        Assert.Null(Numbered(3).FeatureNames);
        var wrong = Assert.Throws<ArgumentException>(() => new Dataset(new float[4], 2, new float[2], 1) { FeatureNames = ["one"] });
        Assert.Contains("1 feature names for 2 feature columns", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_keeps_order_and_puts_the_fraction_first()
    {
        (Dataset train, Dataset test) = Numbered(10).Split(0.7);
        Assert.Equal(7, train.Count);
        Assert.Equal(3, test.Count);
        Assert.Equal(7f, test.FeatureRow(0)[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(10).Split(1));
    }

    [Fact]
    public void SeededRandom_is_reproducible_and_uniform_enough()
    {
        var a = new SeededRandom(12);
        var b = new SeededRandom(12);
        int[] counts = new int[10];
        for (int i = 0; i < 100_000; i++)
        {
            Assert.Equal(a.NextUInt32(), b.NextUInt32());
            counts[new SeededRandom(i).NextInt32(10)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
        Assert.All(Enumerable.Range(0, 1000).Select(_ => a.NextSingle()), v => Assert.InRange(v, 0f, 0.99999994f));
    }
}
