using System.Reflection;
using Microsoft.CodeAnalysis;
using StaticNet.Generator;
using Xunit;

namespace StaticNet.Tests.Generator;

public class TypedValuesTests
{
    [Fact]
    public void An_input_of_the_wrong_size_does_not_compile()
    {
        const string Source = """
            using StaticNet;
            [Network(Inputs = 2)] [Dense(5, Activation.ReLU)] [Dense(1, Activation.Sigmoid)]
            public partial class SeedNet;
            public static class App
            {
                public static float Run(SeedNet model) => model.Predict(new SeedNet.Input(0.1f, 0.2f, 0.3f))[0];
            }
            """;

        (Compilation output, _, _) = GeneratorHarness.Run(Source);

        Diagnostic error = Assert.Single(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("CS1729", error.Id); // 'SeedNet.Input' does not contain a constructor that takes 3 arguments
        Assert.Equal("Source0.cs", error.Location.SourceTree!.FilePath);
    }

    [Fact]
    public void An_input_of_the_right_size_compiles()
    {
        const string Source = """
            using StaticNet;
            [Network(Inputs = 2)] [Dense(5, Activation.ReLU)] [Dense(1, Activation.Sigmoid)]
            public partial class SeedNet;
            public static class App
            {
                public static float Run(SeedNet model) => model.Predict(new SeedNet.Input(0.1f, 0.2f))[0];
            }
            """;

        (Compilation output, _, _) = GeneratorHarness.Run(Source);

        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Typed_prediction_equals_span_prediction()
    {
        var model = new SeedNet(seed: 3);
        SeedNet.Output typed = model.Predict(new SeedNet.Input(0.25f, -0.5f));
        float[] expected = new float[1];
        model.Predict([0.25f, -0.5f], expected);

        Assert.Equal(expected[0], typed[0]);
        Assert.Equal(typed[0], model.Predict(SeedNet.Input.From([0.25f, -0.5f]))[0]);
    }

    [Fact]
    public void Input_from_a_span_of_the_wrong_length_names_both_sizes()
    {
        var error = Assert.Throws<ArgumentException>(() => SeedNet.Input.From([1f, 2f, 3f]));
        Assert.Contains("3 values", error.Message);
        Assert.Contains("takes 2", error.Message);
    }

    [Fact]
    public void Wide_inputs_get_a_fixed_size_type_without_a_positional_constructor()
    {
        Assert.Equal(FmnistNet.InputSize * sizeof(float), System.Runtime.CompilerServices.Unsafe.SizeOf<FmnistNet.Input>());
        Assert.Equal(FmnistNet.OutputSize * sizeof(float), System.Runtime.CompilerServices.Unsafe.SizeOf<FmnistNet.Output>());
        Assert.DoesNotContain(typeof(FmnistNet.Input).GetConstructors(), c => c.GetParameters().Length > 0);
        Assert.Single(typeof(SeedNet.Input).GetConstructors(), c => c.GetParameters().Length == SeedNet.InputSize);
    }

    [Fact]
    public void The_list_of_generated_names_matches_the_members_the_generator_emits()
    {
        // TinyNet takes the general kernels, SeedNet the straight-line ones; together they have every member.
        var emitted = EmittedMembers(typeof(TinyNet)).Union(EmittedMembers(typeof(SeedNet))).ToHashSet();
        var listed = GeneratedMembers.Names(TinyNet.Shape.Layers.Count, trained: false).ToHashSet();

        Assert.Empty(listed.Except(emitted));
        Assert.Empty(emitted.Except(listed));
    }

    [Fact]
    public void The_list_of_generated_names_of_a_network_with_compiled_in_weights_matches_its_members()
    {
        var emitted = EmittedMembers(typeof(TrainedTinyNet)).Union(EmittedMembers(typeof(TrainedSeedNet))).ToHashSet();
        var listed = GeneratedMembers.Names(TinyNet.Shape.Layers.Count, trained: true).ToHashSet();

        Assert.Empty(listed.Except(emitted));
        Assert.Empty(emitted.Except(listed));
    }

    [Fact]
    public void The_list_of_generated_names_of_an_inference_only_network_matches_its_members()
    {
        var emitted = EmittedMembers(typeof(InferenceTinyNet)).Union(EmittedMembers(typeof(InferenceSeedNet))).ToHashSet();
        var listed = GeneratedMembers.Names(TinyNet.Shape.Layers.Count, trained: true, training: false).ToHashSet();

        Assert.Empty(listed.Except(emitted));
        Assert.Empty(emitted.Except(listed));
    }

    private static IEnumerable<string> EmittedMembers(Type network) =>
        network.GetMembers(BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(m => m is not ConstructorInfo && !m.Name.Contains('.', StringComparison.Ordinal) && !m.Name.StartsWith('<'))
            .Select(m => m.Name is "get_Shape" or "get_Parameters" or "get_TrainedParameterData" or "get_TrainedMetadata" ? m.Name[4..] : m.Name);

    [Fact]
    public void Summary_lists_each_layer_its_output_shape_and_parameters_as_Keras_does()
    {
        string[] lines = FmnistNet.Summary().Split('\n');

        Assert.Equal("Model: \"FmnistNet\"", lines[0]);
        Assert.Equal(" Layer (type)                Output Shape              Param #", lines[2]);
        Assert.Equal(" dense_0 (Dense, ReLU)       (None, 256)               200,960", lines[4]);
        Assert.Equal(" dense_1 (Dense, ReLU)       (None, 128)               32,896", lines[5]);
        Assert.Equal(" dense_2 (Dense, Softmax)    (None, 10)                1,290", lines[6]);
        Assert.Equal("Total params: 235,146", lines[8]);
        Assert.Equal(FmnistNet.ParameterCount, 235_146);
    }
}
