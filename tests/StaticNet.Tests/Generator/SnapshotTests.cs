using System.Runtime.CompilerServices;
using Xunit;

namespace StaticNet.Tests.Generator;

/// <summary>
/// The exact source users get for three small networks (one with dropout, weight penalties and an initializer), checked in under Generator/Snapshots so a
/// reviewer sees every change to it. After an intended change to the emitter, regenerate them
/// with <c>STATICNET_UPDATE_SNAPSHOTS=1 dotnet test --filter SnapshotTests</c> and review the diff.
/// </summary>
public class SnapshotTests
{
    public static IEnumerable<object[]> Cases() =>
    [
        ["Demo.SeedNet.g.cs", """
            using StaticNet;
            namespace Demo;
            [Network(Inputs = 2)]
            [Dense(5, Activation.ReLU)]
            [Dense(1, Activation.Sigmoid)]
            public partial class SeedNet;
            """],
        ["Demo.Models.Classifier.g.cs", """
            using StaticNet;
            namespace Demo;
            public static partial class Models
            {
                [Network(Inputs = 4)]
                [Dense(16, Activation.Tanh)]
                [Dense(3, Activation.Softmax)]
                internal sealed partial class Classifier;
            }
            """],
        ["Demo.Regularized.g.cs", """
            using StaticNet;
            namespace Demo;
            [Network(Inputs = 6)]
            [Dropout(0.1)]
            [Dense(12, Activation.ReLU, Initializer = Initializer.HeNormal, L2 = 0.001)]
            [Dropout(0.25)]
            [Dense(2, Activation.Softmax, L1 = 0.0005)]
            public partial class Regularized;
            """],
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_source_matches_the_checked_in_snapshot(string file, string declaration)
    {
        var (_, diagnostics, result) = GeneratorHarness.Run(declaration);
        Assert.Empty(diagnostics);
        string generated = Assert.Single(result.GeneratedTrees).ToString();
        string path = Path.Combine(SnapshotDirectory(), file);

        if (Environment.GetEnvironmentVariable("STATICNET_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path), $"No snapshot at {path}; run with STATICNET_UPDATE_SNAPSHOTS=1 to create it.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), generated.ReplaceLineEndings("\n"));
    }

    private static string SnapshotDirectory([CallerFilePath] string thisFile = "") => Path.Combine(Path.GetDirectoryName(thisFile)!, "Snapshots");
}
