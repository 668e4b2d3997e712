// The Fashion-MNIST model compiled into an ASP.NET Core minimal API, beside the same model run by ONNX
// Runtime, so the two can be compared in one process under the same load.
//
//   dotnet run -c Release --project samples/Serving                   # serves on http://localhost:5000
//   dotnet run -c Release --project samples/Serving -- --load-test [--seconds 5] [--connections 8] [--rounds 2]
//
// Routes, for StaticNet and, under /onnx, for ONNX Runtime:
//   POST /predict         {"pixels": [784 numbers]}  ->  {"label": "Sneaker", "class": 7, "scores": [...]}
//   POST /predict/binary  784 little-endian float32 (3,136 bytes)  ->  10 little-endian float32
//
// --load-test starts the server on a free loopback port and drives each route in turn from a client of its
// own, over HTTP/1.1 with keep-alive: a second of warm-up, then the given seconds from the given number of
// connections, each sending its next request when the last is answered, every route once per round. It
// checks every answer against the
// same model called in the process, prints throughput and latency percentiles per route, and exits with 1
// if any request failed or answered wrongly.
using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using StaticNet;

bool loadTest = args.Contains("--load-test");
int seconds = Option("--seconds", 5);
int connections = Option("--connections", 8);
int rounds = Option("--rounds", 2);

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, ServingJson.Default));
if (loadTest)
{
    builder.Logging.ClearProviders();
    builder.WebHost.UseUrls("http://127.0.0.1:0");
}

var model = new FashionClassifier();
var staticNet = new StaticNetClassifier(model);
using var onnx = new OnnxClassifier(model);
WebApplication app = builder.Build();
Routes.Map(app, "/predict", staticNet);
Routes.Map(app, "/onnx/predict", onnx);

if (!loadTest)
{
    app.Run();
    return 0;
}

await app.StartAsync();
string server = app.Urls.First();
float[][] images = LoadTest.Images(200);
Console.WriteLine($"Serving {server}; {connections} connections, {seconds} s per route, {Environment.ProcessorCount} cores shared by server and client");
LoadTest[] tests =
[
    new(server + "/predict/binary", staticNet, images), new(server + "/onnx/predict/binary", onnx, images),
    new(server + "/predict", staticNet, images), new(server + "/onnx/predict", onnx, images),
];

// Every route first, so that the server's and the client's code is optimised before any route is measured.
foreach (LoadTest test in tests)
{
    await test.Drive(connections, TimeSpan.FromSeconds(2));
}

// Rounds in turn, so that a slow spell of the shared machine shows as a difference between rounds.
bool allRight = true;
for (int round = 1; round <= rounds; round++)
{
    Console.WriteLine($"round {round}");
    foreach (LoadTest test in tests)
    {
        allRight &= await test.Measure(connections, TimeSpan.FromSeconds(seconds));
    }
}

await app.StopAsync();
return allRight ? 0 : 1;

int Option(string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out int value) && value > 0 ? value : fallback;
}

/// <summary>The two routes of one classifier.</summary>
internal static class Routes
{
    private const int InputBytes = FashionClassifier.InputSize * sizeof(float);
    private const int OutputBytes = FashionClassifier.OutputSize * sizeof(float);

    public static void Map(WebApplication app, string route, IClassifier classifier)
    {
        app.MapPost(route, (PredictRequest request) =>
        {
            if (request.Pixels is not { Length: FashionClassifier.InputSize })
            {
                return Results.BadRequest($"pixels must hold {FashionClassifier.InputSize} values, one per pixel; it holds {request.Pixels?.Length ?? 0}");
            }

            float[] scores = new float[FashionClassifier.OutputSize];
            classifier.Predict(request.Pixels, scores);
            int best = ArgMax(scores);
            return Results.Ok(new PredictResponse(FashionClassifier.Labels[best], best, scores));
        });

        app.MapPost(route + "/binary", async (HttpContext context) =>
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(InputBytes + OutputBytes + 1);
            try
            {
                int read = await context.Request.Body.ReadAtLeastAsync(buffer.AsMemory(0, InputBytes + 1), InputBytes + 1, throwOnEndOfStream: false);
                if (read != InputBytes)
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    await context.Response.WriteAsync($"the body must be {InputBytes} bytes, {FashionClassifier.InputSize} little-endian float32 pixels");
                    return;
                }

                Predict(classifier, buffer);
                context.Response.ContentType = "application/octet-stream";
                context.Response.ContentLength = OutputBytes;
                await context.Response.Body.WriteAsync(buffer.AsMemory(InputBytes, OutputBytes));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        });
    }

    public static int ArgMax(ReadOnlySpan<float> scores)
    {
        int best = 0;
        for (int i = 1; i < scores.Length; i++)
        {
            best = scores[i] > scores[best] ? i : best;
        }

        return best;
    }

    /// <summary>Reads the pixels at the buffer's start and writes the scores after them, little-endian on any machine.</summary>
    private static void Predict(IClassifier classifier, byte[] buffer)
    {
        Span<float> pixels = MemoryMarshal.Cast<byte, float>(buffer.AsSpan(0, InputBytes));
        Span<float> scores = MemoryMarshal.Cast<byte, float>(buffer.AsSpan(InputBytes, OutputBytes));
        if (!BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<float, int>(pixels), MemoryMarshal.Cast<float, int>(pixels));
        }

        classifier.Predict(pixels, scores);
        if (!BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<float, int>(scores), MemoryMarshal.Cast<float, int>(scores));
        }
    }
}

/// <summary>A closed-loop load test of one route: each connection sends its next request when the last is answered.</summary>
internal sealed class LoadTest
{
    private readonly string _url;
    private readonly bool _json;
    private readonly byte[][] _bodies;
    private readonly int[] _expected;

    /// <summary>Prepares the requests of <paramref name="images"/> and the classes the route must answer, from <paramref name="classifier"/> called in the process.</summary>
    public LoadTest(string url, IClassifier classifier, float[][] images)
    {
        _url = url;
        _json = !url.EndsWith("/binary", StringComparison.Ordinal);
        _expected = [.. images.Select(image =>
        {
            float[] scores = new float[FashionClassifier.OutputSize];
            classifier.Predict(image, scores);
            return Routes.ArgMax(scores);
        })];
        _bodies = [.. images.Select(image => _json
            ? JsonSerializer.SerializeToUtf8Bytes(new PredictRequest(image), ServingJson.Default.PredictRequest)
            : MemoryMarshal.AsBytes(image.AsSpan()).ToArray())];
    }

    /// <summary>Test images from Debian's dataset-fashion-mnist when it is installed, else seeded random pixels.</summary>
    public static float[][] Images(int count)
    {
        const string Directory = "/usr/share/datasets/fashion-mnist";
        string images = Path.Combine(Directory, "t10k-images-idx3-ubyte.gz"), labels = Path.Combine(Directory, "t10k-labels-idx1-ubyte.gz");
        if (File.Exists(images) && File.Exists(labels))
        {
            Dataset test = Idx.Load(images, labels);
            return [.. Enumerable.Range(0, count).Select(i => test.Features.Slice(i * test.FeatureCount, test.FeatureCount).ToArray())];
        }

        var random = new Random(7);
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, FashionClassifier.InputSize).Select(_ => random.NextSingle()).ToArray())];
    }

    /// <summary>Drives the route for <paramref name="duration"/>, prints its throughput and latency percentiles, and says whether every answer was right.</summary>
    public async Task<bool> Measure(int connections, TimeSpan duration)
    {
        (List<double> latencies, int failures) = await Drive(connections, duration);
        latencies.Sort();
        double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))];
        Console.WriteLine($"{_url[_url.IndexOf('/', 8)..],-22} {latencies.Count / duration.TotalSeconds,8:N0} requests/s   p50 {Percentile(0.50),6:0.000} ms   p99 {Percentile(0.99),6:0.000} ms   p99.9 {Percentile(0.999),6:0.000} ms   {failures} failed");
        return failures == 0 && latencies.Count > 0;
    }

    /// <summary>Sends requests from <paramref name="connections"/> connections for <paramref name="duration"/>: every latency, and how many answers were wrong.</summary>
    public async Task<(List<double> Latencies, int Failures)> Drive(int connections, TimeSpan duration)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false })
        {
            DefaultRequestVersion = HttpVersion.Version11,
        };
        long stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var results = await Task.WhenAll(Enumerable.Range(0, connections).Select(async connection =>
        {
            var latencies = new List<double>(1 << 16);
            int failures = 0;
            for (int i = connection; Stopwatch.GetTimestamp() < stopAt; i += connections)
            {
                int image = i % _bodies.Length;
                long start = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(_bodies[image]);
                content.Headers.ContentType = new(_json ? "application/json" : "application/octet-stream");
                using HttpResponseMessage response = await client.PostAsync(_url, content);
                byte[] answer = await response.Content.ReadAsByteArrayAsync();
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (!response.IsSuccessStatusCode || Answered(answer, _json) != _expected[image])
                {
                    failures++;
                }
            }

            return (latencies, failures);
        }));
        return ([.. results.SelectMany(r => r.latencies)], results.Sum(r => r.failures));
    }

    private static int Answered(byte[] answer, bool json)
    {
        if (json)
        {
            PredictResponse? response = JsonSerializer.Deserialize(answer, ServingJson.Default.PredictResponse);
            return response?.Class ?? -1;
        }

        return answer.Length == FashionClassifier.OutputSize * sizeof(float)
            ? Routes.ArgMax(MemoryMarshal.Cast<byte, float>(answer.AsSpan()))
            : -1;
    }
}
