using System.ComponentModel;
using System.Reflection;
using StaticNet.Kernels;
using Xunit;

namespace StaticNet.Tests;

/// <summary>What users see of the runtime: the network interface they call, with the kernels' plumbing hidden.</summary>
public class PublicSurfaceTests
{
    [Fact]
    public void INetwork_holds_only_what_users_call()
    {
        string[] members = [.. typeof(INetwork).GetMembers().Where(m => m is not MethodInfo { IsSpecialName: true }).Select(m => m.Name).Order()];

        Assert.Equal(["CopyParametersFrom", "CopyParametersTo", "Parameters", "Predict", "PredictBatch", "Shape"], members);
    }

    [Fact]
    public void Every_public_type_of_the_kernels_namespace_is_hidden_from_completion_lists()
    {
        var kernels = typeof(INetwork).Assembly.GetExportedTypes().Where(t => t.Namespace == "StaticNet.Kernels" && !t.IsNested).ToList();

        Assert.Contains(typeof(IGeneratedNetwork), kernels);
        Assert.Contains(typeof(Products), kernels);
        Assert.All(kernels, t => Assert.Equal(EditorBrowsableState.Never, t.GetCustomAttribute<EditorBrowsableAttribute>()?.State));
    }

    [Fact]
    public void Parameters_in_PyTorch_layout_of_another_length_are_refused_naming_the_network()
    {
        var network = new SeedNet(seed: 4);
        float[] before = network.Parameters.ToArray();

        var error = Assert.Throws<ArgumentException>(() => network.CopyParametersFrom(new float[SeedNet.ParameterCount - 1]));

        Assert.Contains("SeedNet", error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
    }
}
