using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace StaticNet;

/// <summary>
/// Input features taken together as the players of a Shapley explanation or the columns of a permutation: the
/// one-hot features of one CSV column, or the pixels of one patch of an image. Each feature belongs to exactly one
/// group, and each group has a name the explanation prints.
/// </summary>
public sealed class FeatureGroups
{
    private readonly int[] _groupOf;
    private readonly int[][] _members;

    /// <summary>Groups features by the group index given for each.</summary>
    /// <param name="groupOfFeature">For each input feature, the index of its group; the indices run from 0 without a gap.</param>
    /// <param name="names">A name per group, or null for <c>g0</c>, <c>g1</c>, ….</param>
    /// <exception cref="ArgumentException">No feature is given, an index is negative or skips a group, or the names are not one per group.</exception>
    public FeatureGroups(IReadOnlyList<int> groupOfFeature, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(groupOfFeature);
        if (groupOfFeature.Count == 0)
        {
            throw new ArgumentException("Give the group of at least one feature.", nameof(groupOfFeature));
        }

        _groupOf = [.. groupOfFeature];
        int count = _groupOf.Max() + 1;
        int[] sizes = new int[count];
        for (int feature = 0; feature < _groupOf.Length; feature++)
        {
            int group = _groupOf[feature];
            if (group < 0)
            {
                throw new ArgumentException($"Feature {feature} has group {group}; groups are numbered from 0.", nameof(groupOfFeature));
            }

            sizes[group]++;
        }

        int empty = Array.IndexOf(sizes, 0);
        if (empty >= 0)
        {
            throw new ArgumentException($"No feature is in group {empty}, though there are groups up to {count - 1}; number the groups without a gap.", nameof(groupOfFeature));
        }

        if (names is not null && names.Count != count)
        {
            throw new ArgumentException($"There are {names.Count} names for {count} groups; give one per group.", nameof(names));
        }

        _members = [.. sizes.Select(size => new int[size])];
        int[] filled = new int[count];
        for (int feature = 0; feature < _groupOf.Length; feature++)
        {
            int group = _groupOf[feature];
            _members[group][filled[group]++] = feature;
        }

        Names = names is null ? [.. Enumerable.Range(0, count).Select(g => "g" + g.ToString(CultureInfo.InvariantCulture))] : [.. names];
    }

    /// <summary>The number of input features grouped.</summary>
    public int FeatureCount => _groupOf.Length;

    /// <summary>The number of groups.</summary>
    public int Count => _members.Length;

    /// <summary>The groups' names, in group order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Each feature in a group of its own, named as given, or <c>x0</c>, <c>x1</c>, … when no names are given.</summary>
    /// <param name="featureCount">The number of features.</param>
    /// <param name="names">A name per feature, such as <see cref="Dataset.FeatureNames"/>, or null.</param>
    /// <exception cref="ArgumentException">The names are not one per feature.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="featureCount"/> is below 1.</exception>
    public static FeatureGroups Each(int featureCount, IReadOnlyList<string>? names = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        return new FeatureGroups([.. Enumerable.Range(0, featureCount)], names ?? FeatureNamesOrDefault(null, featureCount));
    }

    /// <summary>
    /// The pixels of a row-major image of <paramref name="width"/> × <paramref name="height"/> in rectangular patches of
    /// <paramref name="patchWidth"/> × <paramref name="patchHeight"/> (smaller at the right and bottom edges where the
    /// sizes do not divide), numbered row by row and named by their pixel rows and columns, such as <c>rows 0-3, columns 4-7</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, or a patch is larger than the image.</exception>
    public static FeatureGroups ImagePatches(int width, int height, int patchWidth, int patchHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(patchWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(patchHeight, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(patchWidth, width);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(patchHeight, height);
        int across = (width + patchWidth - 1) / patchWidth;
        int down = (height + patchHeight - 1) / patchHeight;
        int[] groups = new int[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                groups[(y * width) + x] = (y / patchHeight * across) + (x / patchWidth);
            }
        }

        string[] names = new string[across * down];
        for (int i = 0; i < names.Length; i++)
        {
            int top = i / across * patchHeight, left = i % across * patchWidth;
            names[i] = string.Create(
                CultureInfo.InvariantCulture,
                $"rows {top}-{Math.Min(top + patchHeight, height) - 1}, columns {left}-{Math.Min(left + patchWidth, width) - 1}");
        }

        return new FeatureGroups(groups, names);
    }

    /// <summary>The group of <paramref name="feature"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="feature"/> is not a feature.</exception>
    public int GroupOf(int feature) => _groupOf[feature];

    /// <summary>The features of <paramref name="group"/>, in increasing order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="group"/> is not a group.</exception>
    public ReadOnlySpan<int> Members(int group) => _members[group];

    /// <summary>Writes each group's value to every feature of the group: a group explanation drawn over the features, as a heat-map of image patches.</summary>
    /// <param name="groupValues">A value per group.</param>
    /// <param name="featureValues">Receives a value per feature.</param>
    /// <exception cref="ArgumentException">The spans are not one value per group and per feature.</exception>
    public void Spread(ReadOnlySpan<float> groupValues, Span<float> featureValues)
    {
        if (groupValues.Length != Count || featureValues.Length != FeatureCount)
        {
            throw new ArgumentException($"Give {Count} group values and room for {FeatureCount} feature values; there are {groupValues.Length} and {featureValues.Length}.", nameof(featureValues));
        }

        for (int feature = 0; feature < _groupOf.Length; feature++)
        {
            featureValues[feature] = groupValues[_groupOf[feature]];
        }
    }

    /// <summary>The names given, or <c>x0</c>, <c>x1</c>, … for <paramref name="count"/> features.</summary>
    internal static IReadOnlyList<string> FeatureNamesOrDefault(IReadOnlyList<string>? names, int count) =>
        names ?? [.. Enumerable.Range(0, count).Select(i => "x" + i.ToString(CultureInfo.InvariantCulture))];

    /// <summary>Throws unless the groups cover exactly <paramref name="featureCount"/> features.</summary>
    internal void Require(int featureCount, string parameterName)
    {
        if (FeatureCount != featureCount)
        {
            throw new ArgumentException($"The groups cover {FeatureCount} features, but the network has {featureCount} inputs.", parameterName);
        }
    }
}
