using Xunit;

namespace StaticNet.Tests;

[Network(Inputs = 3)]
[Dense(6, Activation.Tanh)]
[Dense(2)]
public partial class NamedNet(string name)
{
    public string Name => name;
}

[Network(Inputs = 3)]
[Dense(6, Activation.Tanh)]
[Dense(2)]
public partial record VersionedNet(int Version);

/// <summary>How networks come to hold their first parameters, with and without a primary constructor.</summary>
public class ConstructionTests
{
    [Fact]
    public void InitializeParameters_gives_the_parameters_a_network_created_with_that_seed_starts_with()
    {
        var fresh = new TinyNet(seed: 11);
        var trained = new TinyNet(seed: 12);
        trained.Parameters.Fill(0.5f);

        trained.InitializeParameters(11);

        Assert.Equal(fresh.Parameters.ToArray(), trained.Parameters.ToArray());
        Assert.Contains(trained.Parameters.ToArray(), p => p != 0);
    }

    [Fact]
    public void A_network_with_a_primary_constructor_keeps_the_user_state_and_starts_from_random_weights()
    {
        var first = new NamedNet("first");
        var second = new NamedNet("second");

        Assert.Equal("first", first.Name);
        Assert.Contains(first.Parameters.ToArray(), p => p != 0);
        Assert.NotEqual(first.Parameters.ToArray(), second.Parameters.ToArray());
    }

    [Fact]
    public void A_network_with_a_primary_constructor_is_reproducible_through_InitializeParameters()
    {
        var first = new NamedNet("first");
        var second = new VersionedNet(3);
        first.InitializeParameters(5);
        second.InitializeParameters(5);

        Assert.Equal(first.Parameters.ToArray(), second.Parameters.ToArray());
        Span<float> output = stackalloc float[NamedNet.OutputSize];
        first.Predict([0.1f, 0.2f, 0.3f], output);
        Assert.All(output.ToArray(), o => Assert.True(float.IsFinite(o)));
    }

    [Fact]
    public void A_record_network_copied_with_with_shares_its_parameters_as_the_docs_say()
    {
        var original = new VersionedNet(1);
        VersionedNet copy = original with { Version = 2 };

        copy.Parameters[0] = 42f;

        Assert.Equal(42f, original.Parameters[0]);
        Assert.Equal(1, original.Version);
    }
}
