using System;
using System.Collections.Generic;

namespace StaticNet;

/// <summary>How <see cref="FeatureScaling"/> maps each feature.</summary>
public enum ScalingMethod
{
    /// <summary>Subtract the feature's mean and divide by its standard deviation (population), as scikit-learn's StandardScaler.</summary>
    Standardize,

    /// <summary>Subtract the feature's minimum and divide by its range, mapping the fitted data onto [0, 1], as scikit-learn's MinMaxScaler.</summary>
    MinMax,
}

/// <summary>
/// Per-feature scaling fitted on training data: <c>(x - Center) / Scale</c>. The statistics are
/// saved with the model (<see cref="ModelFile.Save(INetwork, string, FeatureScaling, Optimizer, System.Collections.Generic.IReadOnlyDictionary{string, string})"/>) so that predictions on new data are scaled
/// exactly as the training data was (<see cref="ScaledNetwork{TNetwork}"/>).
/// </summary>
public sealed class FeatureScaling
{
    private readonly float[] _center;
    private readonly float[] _scale;

    /// <summary>Creates a scaling from its statistics, as read from a model file.</summary>
    /// <param name="method">How the statistics were fitted.</param>
    /// <param name="center">Per feature, the value subtracted.</param>
    /// <param name="scale">Per feature, the positive divisor.</param>
    /// <exception cref="ArgumentException">The arrays are empty, differ in length, hold a non-finite value or a scale that is not positive.</exception>
    public FeatureScaling(ScalingMethod method, float[] center, float[] scale)
    {
        ArgumentNullException.ThrowIfNull(center);
        ArgumentNullException.ThrowIfNull(scale);
        if (!Enum.IsDefined(method))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "Not a defined scaling method.");
        }

        if (center.Length == 0 || center.Length != scale.Length)
        {
            throw new ArgumentException($"The centers ({center.Length}) and scales ({scale.Length}) must be one per feature, at least one.", nameof(scale));
        }

        for (int i = 0; i < center.Length; i++)
        {
            if (!float.IsFinite(center[i]) || !(scale[i] > 0) || !float.IsFinite(scale[i]))
            {
                throw new ArgumentException(
                    $"Feature {i} has center {center[i]} and scale {scale[i]}; centers must be finite and scales positive and finite.", nameof(scale));
            }
        }

        Method = method;
        _center = center;
        _scale = scale;
    }

    /// <summary>How the statistics were fitted.</summary>
    public ScalingMethod Method { get; }

    /// <summary>The number of features scaled.</summary>
    public int FeatureCount => _center.Length;

    /// <summary>Per feature, the value subtracted: the mean or the minimum.</summary>
    public IReadOnlyList<float> Center => _center;

    /// <summary>Per feature, the divisor: the standard deviation or the range (1 for a constant feature, so it maps to 0).</summary>
    public IReadOnlyList<float> Scale => _scale;

    /// <summary>Fits standardisation (mean 0, standard deviation 1 per feature) on a dataset's features.</summary>
    public static FeatureScaling Standardize(Dataset data) => Fit(ScalingMethod.Standardize, data);

    /// <summary>Fits min-max scaling (each feature onto [0, 1]) on a dataset's features.</summary>
    public static FeatureScaling MinMax(Dataset data) => Fit(ScalingMethod.MinMax, data);

    /// <summary>Fits the statistics of <paramref name="method"/> on a dataset's features.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The method is not defined.</exception>
    public static FeatureScaling Fit(ScalingMethod method, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int width = data.FeatureCount;
        double[] first = new double[width];
        double[] second = new double[width];
        bool standardize = method == ScalingMethod.Standardize;
        if (!standardize)
        {
            Array.Fill(first, double.PositiveInfinity);
            Array.Fill(second, double.NegativeInfinity);
        }

        for (int row = 0; row < data.Count; row++)
        {
            ReadOnlySpan<float> values = data.FeatureRow(row);
            for (int i = 0; i < width; i++)
            {
                if (standardize)
                {
                    first[i] += values[i];
                    second[i] += (double)values[i] * values[i];
                }
                else
                {
                    first[i] = Math.Min(first[i], values[i]);
                    second[i] = Math.Max(second[i], values[i]);
                }
            }
        }

        float[] center = new float[width];
        float[] scale = new float[width];
        for (int i = 0; i < width; i++)
        {
            double mean = first[i] / data.Count;
            (double c, double s) = standardize
                ? (mean, Math.Sqrt(Math.Max(0, (second[i] / data.Count) - (mean * mean))))
                : (first[i], second[i] - first[i]);
            center[i] = (float)c;
            scale[i] = s > 1e-12 && float.IsFinite((float)s) ? (float)s : 1f;
        }

        return new FeatureScaling(method, center, scale);
    }

    /// <summary>Scales whole rows of features. Allocates nothing; <paramref name="destination"/> may be <paramref name="features"/> itself.</summary>
    /// <param name="features">Rows of <see cref="FeatureCount"/> values, row-major.</param>
    /// <param name="destination">Receives as many scaled values.</param>
    /// <exception cref="ArgumentException">The spans differ in length or do not hold whole rows.</exception>
    public void Apply(ReadOnlySpan<float> features, Span<float> destination)
    {
        if (features.Length != destination.Length || features.Length % _center.Length != 0)
        {
            throw new ArgumentException(
                $"Scaling takes whole rows of {_center.Length} features; got {features.Length} values into {destination.Length}.", nameof(destination));
        }

        for (int start = 0; start < features.Length; start += _center.Length)
        {
            for (int i = 0; i < _center.Length; i++)
            {
                destination[start + i] = (features[start + i] - _center[i]) / _scale[i];
            }
        }
    }

    /// <summary>Returns a dataset with the same targets and scaled features.</summary>
    /// <exception cref="ArgumentException">The dataset has a different number of features.</exception>
    public Dataset Apply(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != _center.Length)
        {
            throw new ArgumentException($"The data has {data.FeatureCount} features but the scaling was fitted on {_center.Length}.", nameof(data));
        }

        float[] features = new float[data.Features.Length];
        Apply(data.Features, features);
        return new Dataset(features, data.FeatureCount, data.Targets.ToArray(), data.TargetCount);
    }
}
