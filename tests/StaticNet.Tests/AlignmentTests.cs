using Xunit;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using StaticNet.Kernels;
using StaticNet.Training;

namespace StaticNet.Tests;

public unsafe class AlignmentTests
{
    private static long Offset(Span<float> span) => (long)Unsafe.AsPointer(ref MemoryMarshal.GetReference(span)) % 64;

    [Theory]
    [MemberData(nameof(TestNetworks.Names), MemberType = typeof(TestNetworks))]
    public void Parameters_start_on_a_cache_line_and_stay_there_through_a_compacting_collection(string name)
    {
        INetwork network = TestNetworks.Create(name, seed: 1);
        float[] before = network.Parameters.ToArray();
        Assert.Equal(0, Offset(network.Parameters));

        for (int i = 0; i < 3; i++)
        {
            _ = new byte[1000 + i];
        }

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        Assert.Equal(0, Offset(network.Parameters));
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void Training_buffers_start_every_array_on_a_cache_line()
    {
        var buffers = new TrainingBuffers(FmnistNet.Shape, maxRows: 3);
        Assert.Equal(0, Offset(buffers.Gradients));
        Assert.Equal(0, Offset(buffers.PreActivations(0, 3)));
        Assert.Equal(0, Offset(buffers.OutputGradient(3)));
        Assert.Equal(0, Offset(buffers.LayerGradient(0, 3)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(1000)]
    public void An_aligned_array_is_zeroed_and_holds_exactly_its_length(int length)
    {
        var array = new AlignedArray(length);
        Assert.Equal(length, array.Length);
        Assert.Equal(length, array.Span.Length);
        Assert.All(array.Span.ToArray(), value => Assert.Equal(0f, value));
        if (length > 0)
        {
            Assert.Equal(0, Offset(array.Span));
            Assert.True(Unsafe.AreSame(ref array.Start, ref array.Span[0]));
        }
    }

    [Fact]
    public void Within_finds_the_boundary_at_every_starting_offset()
    {
        Span<float> space = stackalloc float[AlignedArray.Padded(10) + 16];
        for (int shift = 0; shift < 16; shift++)
        {
            Span<float> aligned = AlignedArray.Within(space[shift..], 10);
            Assert.Equal(10, aligned.Length);
            Assert.Equal(0, Offset(aligned));
        }
    }
}
