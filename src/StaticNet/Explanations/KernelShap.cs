using System;
using System.Collections.Generic;

namespace StaticNet;

/// <summary>
/// Shapley values of one prediction, the features (or <see cref="FeatureGroups"/>) as players: KernelSHAP's estimate
/// (Lundberg and Lee, 2017; shap's <c>KernelExplainer</c>, Captum's <c>KernelShap</c>) from a budget of coalitions,
/// and, for few players, the exact values by enumerating every coalition. A coalition's value is the explained output
/// averaged over a background set, the coalition's features taken from the input and the others from each background
/// row (the interventional value function both libraries use); the values add up to f(x) less that average of f over
/// the background. An instance holds the scratch of one explanation and serves one thread at a time.
/// </summary>
public sealed class KernelShap
{
    /// <summary>The most players <see cref="ComputeExactly"/> enumerates the coalitions of: 2²⁰ of them.</summary>
    public const int MaxExactPlayers = 20;

    private const int ChunkRows = 1024;
    private readonly float[] _background;
    private readonly double[] _baseValues;
    private readonly float[] _rows;
    private readonly float[] _outputs;
    private readonly int _coalitionsPerChunk;

    /// <summary>Prepares to explain <paramref name="network"/> against background rows.</summary>
    /// <param name="network">The network explained.</param>
    /// <param name="background">Background rows, row-major, <see cref="NetworkShape.Inputs"/> values each: a sample of the training data (shap suggests 10 to 100 rows, or k-means centres).</param>
    /// <param name="groups">The players, or null for each feature on its own.</param>
    /// <exception cref="ArgumentException">The background is not whole rows of the network's inputs, or the groups do not cover them.</exception>
    public KernelShap(INetwork network, ReadOnlySpan<float> background, FeatureGroups? groups = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        NetworkShape shape = network.Shape;
        if (background.IsEmpty || background.Length % shape.Inputs != 0)
        {
            throw new ArgumentException($"The background holds {background.Length} values; give one or more whole rows of {shape.Inputs}.", nameof(background));
        }

        groups ??= FeatureGroups.Each(shape.Inputs);
        groups.Require(shape.Inputs, nameof(groups));
        Network = network;
        Groups = groups;
        BackgroundRows = background.Length / shape.Inputs;
        _background = background.ToArray();
        _coalitionsPerChunk = Math.Max(1, ChunkRows / BackgroundRows);
        _rows = new float[_coalitionsPerChunk * background.Length];
        _outputs = new float[_coalitionsPerChunk * BackgroundRows * shape.Outputs];
        _baseValues = new double[shape.Outputs];
        float[] backgroundOutputs = new float[BackgroundRows * shape.Outputs];
        network.PredictBatch(_background, backgroundOutputs);
        for (int i = 0; i < backgroundOutputs.Length; i++)
        {
            _baseValues[i % shape.Outputs] += backgroundOutputs[i] / (double)BackgroundRows;
        }
    }

    /// <summary>Prepares to explain <paramref name="network"/> against the rows of <paramref name="background"/>, the players named by its <see cref="Dataset.FeatureNames"/> unless <paramref name="groups"/> are given.</summary>
    /// <inheritdoc cref="KernelShap(INetwork, ReadOnlySpan{float}, FeatureGroups?)"/>
    public KernelShap(INetwork network, Dataset background, FeatureGroups? groups = null)
        : this(network, (background ?? throw new ArgumentNullException(nameof(background))).Features, groups ?? FeatureGroups.Each(background.FeatureCount, background.FeatureNames))
    {
    }

    /// <summary>The network explained.</summary>
    public INetwork Network { get; }

    /// <summary>The players: the features, or groups of them.</summary>
    public FeatureGroups Groups { get; }

    /// <summary>The number of background rows.</summary>
    public int BackgroundRows { get; }

    /// <summary>The expected value of output <paramref name="output"/> over the background: what the Shapley values start from.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="output"/> is not an output.</exception>
    public double BaseValue(int output) => _baseValues[output];

    /// <summary>
    /// Estimates the Shapley values of output <paramref name="output"/> at <paramref name="input"/> by KernelSHAP, as
    /// shap's <c>KernelExplainer</c> does: coalitions of whole sizes are enumerated, smallest and largest first, while
    /// the budget holds all of a size; the rest are drawn at random with their complements, in proportion to the
    /// Shapley kernel; a weighted least-squares fit, constrained to add up to f(x) less the base value, gives the
    /// values. A budget of 2ᴹ - 2 or more enumerates every coalition and gives the exact values. Players whose features
    /// equal those of every background row change nothing and get 0, and are left out of the coalitions.
    /// </summary>
    /// <param name="input">The input explained.</param>
    /// <param name="output">The output explained.</param>
    /// <param name="values">Receives a value per player (per <see cref="Groups"/> entry).</param>
    /// <param name="samples">The budget of coalitions, each costing <see cref="BackgroundRows"/> predictions; 0 for shap's default, 2M + 2048 for M players.</param>
    /// <param name="seed">The seed of the drawn coalitions.</param>
    /// <returns>The base value, the prediction and the coalitions evaluated.</returns>
    /// <exception cref="ArgumentException">A span does not have the network's or the groups' widths.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="output"/> is not an output, or <paramref name="samples"/> is negative.</exception>
    public ShapleyResult Compute(ReadOnlySpan<float> input, int output, Span<float> values, int samples = 0, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        int[] players = Start(input, output, values);
        int m = players.Length;
        double prediction = Predict(input, output), baseValue = _baseValues[output];
        if (m <= 1)
        {
            Finish(players, values, m == 1 ? [prediction - baseValue] : []);
            return new ShapleyResult(baseValue, prediction, 0);
        }

        long budget = samples > 0 ? samples : (2L * m) + 2048;
        if (m < 62)
        {
            budget = Math.Min(budget, (1L << m) - 2);
        }

        var coalitions = new CoalitionSample(m, (int)budget);
        coalitions.Draw(new SeededRandom(seed));
        double[] worth = Worth(input, output, players, coalitions.Masks, coalitions.Count);
        Finish(players, values, Fit(coalitions, worth, baseValue, prediction));
        return new ShapleyResult(baseValue, prediction, coalitions.Count);
    }

    /// <summary>
    /// The exact Shapley values of output <paramref name="output"/> at <paramref name="input"/>, from the value of
    /// every coalition of the players that change the output (those whose features differ from some background row):
    /// φᵢ = Σ over coalitions S without i of |S|! (M - |S| - 1)! / M! · (v(S ∪ {i}) - v(S)). KernelSHAP converges to them.
    /// </summary>
    /// <param name="input">The input explained.</param>
    /// <param name="output">The output explained.</param>
    /// <param name="values">Receives a value per player (per <see cref="Groups"/> entry).</param>
    /// <returns>The base value, the prediction and the coalitions evaluated (2ᴹ).</returns>
    /// <exception cref="ArgumentException">A span does not have the network's or the groups' widths, or more than <see cref="MaxExactPlayers"/> players change the output.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="output"/> is not an output.</exception>
    public ShapleyResult ComputeExactly(ReadOnlySpan<float> input, int output, Span<float> values)
    {
        int[] players = Start(input, output, values);
        int m = players.Length;
        if (m > MaxExactPlayers)
        {
            throw new ArgumentException(
                $"{m} players change the output, and exact Shapley values enumerate 2^{m} coalitions; at most {MaxExactPlayers} are enumerated. Estimate them with Compute, or group the features.",
                nameof(input));
        }

        int count = 1 << m;
        byte[] masks = new byte[count * m];
        for (int s = 0; s < count; s++)
        {
            for (int p = 0; p < m; p++)
            {
                masks[(s * m) + p] = (byte)((s >> p) & 1);
            }
        }

        double[] worth = Worth(input, output, players, masks, count);
        double[] weightOfSize = new double[Math.Max(m, 1)];
        for (int size = 0; size < m; size++)
        {
            weightOfSize[size] = 1 / (m * Binomial(m - 1, size));
        }

        double[] shapley = new double[m];
        for (int s = 0; s < count; s++)
        {
            int size = System.Numerics.BitOperations.PopCount((uint)s);
            for (int p = 0; p < m; p++)
            {
                if ((s & (1 << p)) == 0)
                {
                    shapley[p] += weightOfSize[size] * (worth[s | (1 << p)] - worth[s]);
                }
            }
        }

        Finish(players, values, shapley);
        return new ShapleyResult(_baseValues[output], worth[count - 1], count);
    }

    /// <summary>KernelSHAP's estimate (<see cref="Compute"/>) as an explanation named by the groups.</summary>
    /// <param name="input">The input explained.</param>
    /// <param name="output">The output explained.</param>
    /// <param name="samples">The budget of coalitions; 0 for 2M + 2048.</param>
    /// <param name="seed">The seed of the drawn coalitions.</param>
    /// <param name="outputName">The output's name, such as a class name, or null.</param>
    /// <returns>The values, with the base value and the prediction.</returns>
    /// <inheritdoc cref="Compute"/>
    public Explanation Explain(ReadOnlySpan<float> input, int output, int samples = 0, int seed = 0, string? outputName = null)
    {
        float[] values = new float[Groups.Count];
        ShapleyResult result = Compute(input, output, values, samples, seed);
        return new Explanation(values, Groups.Names) { Method = "KernelSHAP", OutputName = outputName, BaseValue = result.BaseValue, Prediction = result.Prediction };
    }

    /// <summary>The exact Shapley values (<see cref="ComputeExactly"/>) as an explanation named by the groups.</summary>
    /// <param name="input">The input explained.</param>
    /// <param name="output">The output explained.</param>
    /// <param name="outputName">The output's name, such as a class name, or null.</param>
    /// <returns>The values, with the base value and the prediction.</returns>
    /// <inheritdoc cref="ComputeExactly"/>
    public Explanation ExplainExactly(ReadOnlySpan<float> input, int output, string? outputName = null)
    {
        float[] values = new float[Groups.Count];
        ShapleyResult result = ComputeExactly(input, output, values);
        return new Explanation(values, Groups.Names) { Method = "Exact Shapley values", OutputName = outputName, BaseValue = result.BaseValue, Prediction = result.Prediction };
    }

    /// <summary>n choose k, in double precision.</summary>
    internal static double Binomial(int n, int k)
    {
        double result = 1;
        for (int i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }

        return result;
    }

    /// <summary>Checks the arguments and returns the players that change the output: those with a feature that differs from a background row.</summary>
    private int[] Start(ReadOnlySpan<float> input, int output, Span<float> values)
    {
        int width = Network.Shape.Inputs;
        if (input.Length != width || values.Length != Groups.Count)
        {
            throw new ArgumentException($"Give an input of {width} values and room for {Groups.Count} values, one per player; there are {input.Length} and {values.Length}.", nameof(values));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(output);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(output, _baseValues.Length);
        var players = new List<int>();
        for (int group = 0; group < Groups.Count; group++)
        {
            if (Varies(input, Groups.Members(group)))
            {
                players.Add(group);
            }
        }

        return [.. players];
    }

    private bool Varies(ReadOnlySpan<float> input, ReadOnlySpan<int> features)
    {
        int width = input.Length;
        for (int row = 0; row < BackgroundRows; row++)
        {
            ReadOnlySpan<float> background = _background.AsSpan(row * width, width);
            foreach (int feature in features)
            {
                if (background[feature] != input[feature])
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Writes the players' values, and 0 for every group that changes nothing.</summary>
    private void Finish(int[] players, Span<float> values, ReadOnlySpan<double> shapley)
    {
        values.Clear();
        for (int p = 0; p < players.Length; p++)
        {
            values[players[p]] = (float)shapley[p];
        }
    }

    private double Predict(ReadOnlySpan<float> input, int output)
    {
        Span<float> outputs = _outputs.AsSpan(0, Network.Shape.Outputs);
        Network.Predict(input, outputs);
        return outputs[output];
    }

    /// <summary>
    /// Each coalition's value: the output averaged over the background rows with the coalition's players' features
    /// taken from the input, predicted in batches of about <see cref="ChunkRows"/> rows.
    /// </summary>
    private double[] Worth(ReadOnlySpan<float> input, int output, int[] players, byte[] masks, int count)
    {
        int width = input.Length, outputs = Network.Shape.Outputs, m = players.Length;
        double[] worth = new double[count];
        for (int start = 0; start < count; start += _coalitionsPerChunk)
        {
            int chunk = Math.Min(_coalitionsPerChunk, count - start);
            for (int c = 0; c < chunk; c++)
            {
                Span<float> block = _rows.AsSpan(c * _background.Length, _background.Length);
                _background.CopyTo(block);
                ReadOnlySpan<byte> mask = masks.AsSpan((start + c) * m, m);
                for (int p = 0; p < m; p++)
                {
                    if (mask[p] == 0)
                    {
                        continue;
                    }

                    foreach (int feature in Groups.Members(players[p]))
                    {
                        for (int row = 0; row < BackgroundRows; row++)
                        {
                            block[(row * width) + feature] = input[feature];
                        }
                    }
                }
            }

            int rows = chunk * BackgroundRows;
            Network.PredictBatch(_rows.AsSpan(0, rows * width), _outputs.AsSpan(0, rows * outputs));
            for (int c = 0; c < chunk; c++)
            {
                double sum = 0;
                for (int row = 0; row < BackgroundRows; row++)
                {
                    sum += _outputs[(((c * BackgroundRows) + row) * outputs) + output];
                }

                worth[start + c] = sum / BackgroundRows;
            }
        }

        return worth;
    }

    /// <summary>
    /// The weighted least-squares fit of the coalitions' values by sums of the players' values, constrained to add up
    /// to f(x) - base by eliminating the last player, as shap solves it; the normal equations by Cholesky, with a
    /// ridge of 1e-10 of their mean diagonal so that a budget too small for the players still solves.
    /// </summary>
    private static double[] Fit(CoalitionSample coalitions, double[] worth, double baseValue, double prediction)
    {
        int m = coalitions.Players, n = m - 1;
        double total = prediction - baseValue;
        double[] normal = new double[n * n], right = new double[n];
        int[] members = new int[n];
        for (int k = 0; k < coalitions.Count; k++)
        {
            ReadOnlySpan<byte> mask = coalitions.Masks.AsSpan(k * m, m);
            double weight = coalitions.Weights[k];
            bool last = mask[n] != 0;

            // The row of the design is the mask less the last player's bit: 1 on the coalition's other players when
            // the last is out, -1 on the players outside it when the last is in; the normal matrix gains w on the
            // products of that row's nonzero entries.
            double target = worth[k] - baseValue - (last ? total : 0);
            double sign = last ? -1 : 1;
            int size = 0;
            for (int p = 0; p < n; p++)
            {
                if ((mask[p] != 0) != last)
                {
                    members[size++] = p;
                }
            }

            for (int a = 0; a < size; a++)
            {
                int i = members[a];
                right[i] += weight * sign * target;
                Span<double> row = normal.AsSpan(i * n, n);
                for (int b = a; b < size; b++)
                {
                    row[members[b]] += weight;
                }
            }
        }

        double ridge = 0;
        for (int i = 0; i < n; i++)
        {
            ridge += normal[(i * n) + i];
        }

        ridge = ridge / n * 1e-10;
        for (int i = 0; i < n; i++)
        {
            normal[(i * n) + i] += ridge;
        }

        double[] solution = CholeskySolve(normal, right, n);
        double[] shapley = new double[m];
        solution.CopyTo(shapley, 0);
        double sum = 0;
        foreach (double value in solution)
        {
            sum += value;
        }

        shapley[n] = total - sum;
        return shapley;
    }

    /// <summary>Solves A·x = b for a symmetric positive-definite A given by its upper triangle, row-major; A is overwritten.</summary>
    private static double[] CholeskySolve(double[] a, double[] b, int n)
    {
        // A = Uᵀ·U with U upper-triangular, written over A's upper triangle.
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < i; k++)
            {
                double u = a[(k * n) + i];
                for (int j = i; j < n; j++)
                {
                    a[(i * n) + j] -= u * a[(k * n) + j];
                }
            }

            double pivot = a[(i * n) + i];
            double root = pivot > 0 ? Math.Sqrt(pivot) : double.PositiveInfinity;
            for (int j = i; j < n; j++)
            {
                a[(i * n) + j] /= root;
            }
        }

        double[] x = (double[])b.Clone();
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < i; k++)
            {
                x[i] -= a[(k * n) + i] * x[k];
            }

            x[i] /= a[(i * n) + i];
        }

        for (int i = n - 1; i >= 0; i--)
        {
            for (int k = i + 1; k < n; k++)
            {
                x[i] -= a[(i * n) + k] * x[k];
            }

            x[i] /= a[(i * n) + i];
        }

        return x;
    }
}

/// <summary>What a Shapley explanation's values add up to.</summary>
/// <param name="BaseValue">The explained output's average over the background: the value with no player.</param>
/// <param name="Prediction">The explained output at the input: the base value plus the sum of the Shapley values.</param>
/// <param name="Coalitions">The coalitions whose values were computed, each one prediction per background row.</param>
public readonly record struct ShapleyResult(double BaseValue, double Prediction, int Coalitions);
