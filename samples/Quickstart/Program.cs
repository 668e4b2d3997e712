// The Keras example StaticNet grew from, line for line:
//
//   X = np.random.rand(100, 2)
//   y = np.round(np.random.rand(100, 1))
//   model = Sequential([Dense(5, activation='relu', input_shape=(2,)), Dense(1, activation='sigmoid')])
//   model.compile(optimizer='adam', loss='mse', metrics=['accuracy'])
//   model.fit(X, y, epochs=100, batch_size=32)
//   loss, accuracy = model.evaluate(X, y)
//   print(f'Accuracy: {accuracy}')
using StaticNet;

var random = new Random(7);
var x = new float[100, 2];
var y = new float[100, 1];
for (int i = 0; i < 100; i++)
{
    x[i, 0] = random.NextSingle();
    x[i, 1] = random.NextSingle();
    y[i, 0] = MathF.Round(random.NextSingle());
}

var model = new SeedNet(seed: 42);
model.Fit(x, y, new FitOptions
{
    Loss = Loss.MeanSquaredError,
    Optimizer = new Adam(learningRate: 0.001f),
    Epochs = 100,
    BatchSize = 32,
    Metrics = [Metric.Accuracy],
});
var score = model.Evaluate(x, y, Loss.MeanSquaredError, Metric.Accuracy);
Console.WriteLine($"Accuracy: {score.Accuracy}");

// Random labels cannot be learned, so the accuracy above hovers near chance. The same few lines
// learn something learnable: two interleaved half-moons.
Console.WriteLine();
Console.WriteLine("Two half-moons, 2-16-16-1, binary cross-entropy:");
(float[,] moons, float[,] labels) = HalfMoons.Generate(count: 400, noise: 0.1f, seed: 1);
var moonModel = new MoonNet(seed: 42);
moonModel.Fit(moons, labels, new FitOptions
{
    Loss = Loss.BinaryCrossEntropy,
    Optimizer = new Adam(learningRate: 0.01f),
    Epochs = 200,
    BatchSize = 32,
    Seed = 42,
    Metrics = [Metric.Accuracy],
    Verbose = Verbosity.Silent,
});
var moonScore = moonModel.Evaluate(moons, labels, Loss.BinaryCrossEntropy, Metric.Accuracy);
Console.WriteLine($"Half-moons accuracy: {moonScore.Accuracy:0.000}");

// Keep the trained model, load it back, and ask it about one point.
string path = Path.Combine(Path.GetTempPath(), "moons.safetensors");
moonModel.Save(path);
MoonNet again = MoonNet.Load(path);
Span<float> probability = stackalloc float[MoonNet.OutputSize];
again.Predict([0.0f, 1.0f], probability);
Console.WriteLine($"Reloaded from {path}: P(lower moon | x = (0, 1)) = {probability[0]:0.000}");

/// <summary>The network of the Keras example: 2 inputs, 5 ReLU units, 1 sigmoid output.</summary>
[Network(Inputs = 2)]
[Dense(5, Activation.ReLU)]
[Dense(1, Activation.Sigmoid)]
public partial class SeedNet;

/// <summary>A network with room to separate the two half-moons.</summary>
[Network(Inputs = 2)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class MoonNet;

/// <summary>The classic two interleaved half-circles, with Gaussian noise.</summary>
internal static class HalfMoons
{
    public static (float[,] Points, float[,] Labels) Generate(int count, float noise, int seed)
    {
        var random = new Random(seed);
        var points = new float[count, 2];
        var labels = new float[count, 1];
        for (int i = 0; i < count; i++)
        {
            bool lower = i % 2 == 1;
            double angle = Math.PI * random.NextDouble();
            points[i, 0] = (float)(lower ? 1 - Math.Cos(angle) : Math.Cos(angle)) + noise * Gaussian(random);
            points[i, 1] = (float)(lower ? 0.5 - Math.Sin(angle) : Math.Sin(angle)) + noise * Gaussian(random);
            labels[i, 0] = lower ? 1 : 0;
        }

        return (points, labels);
    }

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
