using StaticNet;

namespace StaticNet.Tests;

/// <summary>
/// A plain double-precision transcription of a dense network, its activations (PyTorch's
/// definitions) and its losses, written without reference to the generated code. Parameters
/// are in the canonical layout: per layer, weights [units, inputs] row-major, then biases if it has them.
/// </summary>
internal sealed class ReferenceNetwork(NetworkShape shape)
{
    public NetworkShape Shape { get; } = shape;

    /// <summary>
    /// Dropout's scales of a batch, fixed: entry 0 multiplies the inputs, entry i + 1 layer i's activations, each
    /// row-major over the batch; a null entry, or none, for no dropout there.
    /// </summary>
    public float[]?[] DropoutScales { get; init; } = [];

    /// <summary>The outputs of sample <paramref name="row"/> of a batch.</summary>
    public double[] Forward(double[] parameters, ReadOnlySpan<float> input, int row = 0) =>
        Forward(parameters, input.ToArray().Select(v => (double)v).ToArray(), row);

    /// <summary>The outputs of sample <paramref name="row"/> of a batch, from inputs in double precision.</summary>
    public double[] Forward(double[] parameters, double[] input, int row = 0) => Forward(parameters, input, row, null);

    /// <summary>
    /// How close sample rows of a batch come to a point where the loss is not differentiable: the smallest
    /// |z| over the pre-activations of every ReLU and LeakyReLU layer and, under the mean absolute error,
    /// the smallest |a - y|. Within about 1e-6 of one, float32 and double can fall on different sides, and
    /// then a float32 gradient and a double finite difference disagree by a whole row's contribution.
    /// </summary>
    public double NearestKink(string loss, double[] parameters, float[] features, float[] targets)
    {
        double nearest = double.PositiveInfinity;
        int rows = features.Length / Shape.Inputs;
        for (int r = 0; r < rows; r++)
        {
            double[] input = features.AsSpan(r * Shape.Inputs, Shape.Inputs).ToArray().Select(v => (double)v).ToArray();
            double[] a = Forward(parameters, input, r, (layer, z) =>
            {
                if (Shape.Layers[layer].Activation is Activation.ReLU or Activation.LeakyReLU)
                {
                    nearest = Math.Min(nearest, z.Min(Math.Abs));
                }
            });
            for (int j = 0; loss == "mae" && j < a.Length; j++)
            {
                nearest = Math.Min(nearest, Math.Abs(a[j] - targets[(r * Shape.Outputs) + j]));
            }
        }

        return nearest;
    }

    private double[] Forward(double[] parameters, double[] input, int row, Action<int, double[]>? preActivations)
    {
        double[] values = Dropped([.. input], 0, row);
        int offset = 0;
        for (int index = 0; index < Shape.Layers.Count; index++)
        {
            DenseLayer layer = Shape.Layers[index];
            double[] z = new double[layer.Units];
            int bias = offset + (layer.Units * layer.Inputs);
            for (int o = 0; o < layer.Units; o++)
            {
                double sum = layer.UseBias ? parameters[bias + o] : 0;
                for (int i = 0; i < layer.Inputs; i++)
                {
                    sum += parameters[offset + (o * layer.Inputs) + i] * values[i];
                }

                z[o] = sum;
            }

            preActivations?.Invoke(index, z);
            values = Dropped(layer.Activation == Activation.Softmax ? Softmax(z) : z.Select(v => Activate(layer.Activation, v)).ToArray(), index + 1, row);
            offset = bias + (layer.UseBias ? layer.Units : 0);
        }

        return values;
    }

    private double[] Dropped(double[] values, int site, int row)
    {
        if (site < DropoutScales.Length && DropoutScales[site] is float[] scales)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] *= scales[(row * values.Length) + i];
            }
        }

        return values;
    }

    /// <summary>The mean loss of a batch, as the loss named <paramref name="loss"/> defines it.</summary>
    public double Loss(string loss, double[] parameters, float[] features, float[] targets)
    {
        int rows = features.Length / Shape.Inputs;
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            double[] a = Forward(parameters, features.AsSpan(r * Shape.Inputs, Shape.Inputs), r);
            for (int j = 0; j < a.Length; j++)
            {
                double y = targets[(r * Shape.Outputs) + j];
                double d = a[j] - y;
                sum += loss switch
                {
                    "mse" => d * d,
                    "mae" => Math.Abs(d),
                    "huber" => Math.Abs(d) <= 1 ? 0.5 * d * d : Math.Abs(d) - 0.5,
                    "binary_crossentropy" => -((y * Math.Log(a[j])) + ((1 - y) * Math.Log(1 - a[j]))),
                    "categorical_crossentropy" => -y * Math.Log(a[j]),
                    _ => throw new ArgumentOutOfRangeException(nameof(loss)),
                };
            }
        }

        // Cross-entropy over categories is a sum per row; the others are means over every output.
        return loss == "categorical_crossentropy" ? sum / rows : sum / (rows * Shape.Outputs);
    }

    /// <summary>The gradient of <see cref="Loss"/> by central finite differences (step 1e-6) at the chosen parameters.</summary>
    public double[] NumericalGradient(string loss, double[] parameters, float[] features, float[] targets, IReadOnlyList<int> indices)
    {
        const double Step = 1e-6;
        double[] gradient = new double[indices.Count];
        for (int k = 0; k < indices.Count; k++)
        {
            int index = indices[k];
            double saved = parameters[index];
            parameters[index] = saved + Step;
            double up = Loss(loss, parameters, features, targets);
            parameters[index] = saved - Step;
            double down = Loss(loss, parameters, features, targets);
            parameters[index] = saved;
            gradient[k] = (up - down) / (2 * Step);
        }

        return gradient;
    }

    /// <summary>The central difference (step 1e-6) of <paramref name="objective"/> along coordinate <paramref name="index"/> of <paramref name="point"/>, which it leaves as it was.</summary>
    public static double CentralDifference(Func<double[], double> objective, double[] point, int index)
    {
        const double Step = 1e-6;
        double saved = point[index];
        point[index] = saved + Step;
        double up = objective(point);
        point[index] = saved - Step;
        double down = objective(point);
        point[index] = saved;
        return (up - down) / (2 * Step);
    }

    /// <summary>PyTorch's definition of each element-wise activation.</summary>
    public static double Activate(Activation activation, double z) => activation switch
    {
        Activation.Linear => z,
        Activation.ReLU => Math.Max(z, 0),
        Activation.LeakyReLU => z > 0 ? z : 0.01 * z,
        Activation.Sigmoid => 1 / (1 + Math.Exp(-z)),
        Activation.Tanh => Math.Tanh(z),
        Activation.ELU => z > 0 ? z : Math.Exp(z) - 1,
        Activation.SiLU => z / (1 + Math.Exp(-z)),
        Activation.GELU => 0.5 * z * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (z + (0.044715 * z * z * z)))),
        Activation.Softplus => z > 20 ? z : Math.Log(1 + Math.Exp(z)),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    public static double[] Softmax(double[] z)
    {
        double max = z.Max();
        double[] e = z.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    /// <summary>A network's parameters in the canonical layout, widened to double.</summary>
    public static double[] CanonicalParameters(INetwork network)
    {
        float[] canonical = new float[network.Shape.ParameterCount];
        network.CopyParametersTo(canonical);
        return canonical.Select(v => (double)v).ToArray();
    }
}

internal static class RandomData
{
    /// <summary>Uniform values in [-scale, scale).</summary>
    public static float[] Uniform(Random random, int count, float scale = 1f)
    {
        float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = scale * ((2 * random.NextSingle()) - 1);
        }

        return values;
    }

    /// <summary>
    /// Values in [-scale, scale) of which about <paramref name="zeroShare"/> are exactly zero, as the pixels
    /// of an image's background are: in runs long enough to fill whole vectors, and scattered between.
    /// </summary>
    public static float[] MostlyZero(Random random, int count, double zeroShare = 0.6, float scale = 1f)
    {
        float[] values = Uniform(random, count, scale);
        for (int i = 0; i < count;)
        {
            int run = random.Next(1, 24);
            bool zero = random.NextDouble() < zeroShare;
            for (int j = i; j < Math.Min(count, i + run); j++)
            {
                values[j] = zero ? (random.Next(2) == 0 ? 0f : -0f) : values[j];
            }

            i += run;
        }

        return values;
    }

    /// <summary>Targets suited to a loss and output activation: one-hot rows, labels in {0, 1}, or any values.</summary>
    public static float[] Targets(Random random, string loss, int rows, int outputs)
    {
        float[] targets = new float[rows * outputs];
        for (int r = 0; r < rows; r++)
        {
            if (loss == "categorical_crossentropy")
            {
                targets[(r * outputs) + random.Next(outputs)] = 1;
                continue;
            }

            for (int j = 0; j < outputs; j++)
            {
                targets[(r * outputs) + j] = loss == "binary_crossentropy" ? random.Next(2) : (2 * random.NextSingle()) - 1;
            }
        }

        return targets;
    }
}
