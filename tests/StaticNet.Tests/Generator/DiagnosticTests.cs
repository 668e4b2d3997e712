using Xunit;

namespace StaticNet.Tests.Generator;

/// <summary>
/// Every diagnostic with its exact span, written in the testing library's markup:
/// <c>{|SN0005:text|}</c> marks where SN0005 must be reported, and nothing else may be.
/// </summary>
public class DiagnosticTests
{
    private static Task Verify(string source) => GeneratorHarness.DiagnosticTest("using StaticNet;\n" + source).RunAsync();

    [Fact]
    public Task SN0001_a_network_class_that_is_not_partial() =>
        Verify("[Network(Inputs = 2)] [Dense(1)] public class {|SN0001:Model|} { }");

    [Fact]
    public Task SN0001_a_network_nested_in_a_type_that_is_not_partial() =>
        Verify("public class {|SN0001:Outer|} { [Network(Inputs = 2)] [Dense(1)] public partial class Model { } }");

    [Fact]
    public Task An_inference_only_network_leaves_a_constructor_taking_an_int_to_its_class() =>
        Verify("[Network(Inputs = 2, Training = false)] [Dense(1)] public partial class Model { public Model(int width) { } }");

    [Fact]
    public Task SN0011_a_trainable_network_needs_the_constructor_taking_the_seed() =>
        Verify("[Network(Inputs = 2)] [Dense(1)] public partial class Model { public {|SN0011:Model|}(int width) { } }");

    [Fact]
    public Task SN0002_inputs_below_one_points_at_the_argument() =>
        Verify("[Network({|SN0002:Inputs = 0|})] [Dense(1)] public partial class Model { }");

    [Fact]
    public Task SN0002_inputs_not_set_points_at_the_attribute() =>
        Verify("[{|SN0002:Network|}] [Dense(1)] public partial class Model { }");

    [Fact]
    public Task SN0003_no_layers() =>
        Verify("[Network(Inputs = 2)] public partial class {|SN0003:Model|} { }");

    [Fact]
    public Task SN0004_units_below_one_points_at_the_units() =>
        Verify("[Network(Inputs = 2)] [Dense(4)] [Dense({|SN0004:-3|}, Activation.Sigmoid)] public partial class Model { }");

    [Fact]
    public Task SN0005_softmax_before_the_last_layer_points_at_the_activation() =>
        Verify("[Network(Inputs = 2)] [Dense(4, {|SN0005:Activation.Softmax|})] [Dense(1)] public partial class Model { }");

    [Fact]
    public Task SN0006_an_undefined_activation_value() =>
        Verify("[Network(Inputs = 2)] [Dense(4, {|SN0006:(Activation)42|})] public partial class Model { }");

    [Fact]
    public Task SN0007_layers_on_two_partial_declarations_points_at_the_last_layer() =>
        Verify("""
            [Network(Inputs = 2)] [Dense(4)] public partial class Model { }
            [{|SN0007:Dense(1)|}] public partial class Model { }
            """);

    [Fact]
    public Task SN0008_a_generic_network() =>
        Verify("[Network(Inputs = 2)] [Dense(1)] public partial class {|SN0008:Model|}<T> { }");

    [Fact]
    public Task SN0008_a_network_nested_in_a_generic_type() =>
        Verify("public partial class Outer<T> { [Network(Inputs = 2)] [Dense(1)] public partial class {|SN0008:Model|} { } }");

    [Fact]
    public Task SN0009_a_layer_wider_than_the_budget() =>
        Verify("[Network(Inputs = 2)] [Dense(100000)] public partial class {|SN0009:Model|} { }");

    [Fact]
    public Task SN0009_more_parameters_than_the_budget() =>
        Verify("[Network(Inputs = 1000000)] [Dense(16000)] [Dense(1)] public partial class {|SN0009:Model|} { }");

    [Fact]
    public Task SN0023_a_dropout_rate_of_one_points_at_the_rate() =>
        Verify("[Network(Inputs = 2)] [Dense(4)] [Dropout({|SN0023:1.0|})] [Dense(1)] public partial class Model { }");

    [Fact]
    public Task SN0023_a_negative_dropout_rate_points_at_the_rate() =>
        Verify("[Network(Inputs = 2)] [Dropout({|SN0023:-0.1|})] [Dense(1)] public partial class Model { }");

    [Fact]
    public Task SN0024_dropout_after_the_last_layer_points_at_the_dropout() =>
        Verify("[Network(Inputs = 2)] [Dense(4)] [Dense(1)] [{|SN0024:Dropout(0.2)|}] public partial class Model { }");

    [Fact]
    public Task SN0025_two_dropouts_in_a_row_point_at_the_second() =>
        Verify("[Network(Inputs = 2)] [Dropout(0.1)] [{|SN0025:Dropout(0.2)|}] [Dense(1)] public partial class Model { }");

    [Fact]
    public Task Dropout_between_the_layers_and_before_the_first_is_accepted() =>
        Verify("[Network(Inputs = 2)] [Dropout(0)] [Dense(4)] [Dropout(0.5)] [Dense(3)] [Dropout(0.99)] [Dense(1)] public partial class Model { }");

    [Fact]
    public Task SN0026_a_negative_penalty_points_at_it() =>
        Verify("[Network(Inputs = 2)] [Dense(4, Activation.ReLU, {|SN0026:L2 = -0.01|})] [Dense(1)] public partial class Model { }");

    [Fact]
    public Task SN0026_a_penalty_too_large_for_a_float_points_at_it() =>
        Verify("[Network(Inputs = 2)] [Dense(4, {|SN0026:L1 = 1e300|})] [Dense(1)] public partial class Model { }");

    [Fact]
    public Task SN0027_an_undefined_initializer_points_at_it() =>
        Verify("[Network(Inputs = 2)] [Dense(4, {|SN0027:Initializer = (Initializer)9|})] [Dense(1)] public partial class Model { }");

    [Fact]
    public Task Penalties_and_initializers_in_any_order_are_accepted() =>
        Verify("[Network(Inputs = 2)] [Dense(activation: Activation.ReLU, units: 4, L2 = 0.5, Initializer = Initializer.LeCunNormal, L1 = 0)] [Dense(1)] public partial class Model { }");

    [Fact]
    public Task SN0010_layers_without_a_network_attribute() =>
        Verify("[{|SN0010:Dense(4)|}] [Dense(1)] public partial class Model { }");

    [Fact]
    public Task SN0011_a_user_member_with_a_generated_name() =>
        Verify("[Network(Inputs = 2)] [Dense(1)] public partial class Model { public void {|SN0011:Predict|}() { } private int {|SN0011:Layer0Weights|}; }");

    [Fact]
    public Task SN0011_a_user_constructor_with_the_generated_signature() =>
        Verify("[Network(Inputs = 2)] [Dense(1)] public partial class Model { public {|SN0011:Model|}(int size) { } public Model(string name) { } }");

    [Fact]
    public Task SN0011_an_inherited_member_with_a_generated_name() =>
        Verify("""
            public class Base { public int Shape { get; set; } }
            [Network(Inputs = 2)] [Dense(1)] public partial class Model : {|SN0011:Base|} { }
            """);

    [Fact]
    public Task SN0012_a_static_network_class() =>
        Verify("[Network(Inputs = 2)] [Dense(1)] public static partial class {|SN0012:Model|} { }");

    [Fact]
    public Task Several_errors_in_one_declaration_are_all_reported() =>
        Verify("[Network({|SN0002:Inputs = -1|})] [Dense({|SN0004:0|}, {|SN0005:Activation.Softmax|})] [Dense(2, {|SN0006:(Activation)10|})] public partial class Model { }");

    [Fact]
    public Task A_valid_network_reports_nothing_and_its_generated_code_compiles() =>
        Verify("[Network(Inputs = 2)] [Dense(5, Activation.ReLU)] [Dense(1, Activation.Sigmoid)] public partial class Model { }");
}
