using Xunit;

namespace StaticNet.Tests;

/// <summary>Model files in streams, byte arrays and embedded resources, and metadata of the user's own.</summary>
public sealed class ModelStreamTests : IDisposable
{
    private readonly TemporaryDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Bytes_and_streams_hold_exactly_the_file_and_load_as_it_does()
    {
        var network = new SeedNet(seed: 7);
        string path = _files.File("seed.safetensors");
        network.Save(path);
        var stream = new MemoryStream();

        network.Save(stream);
        byte[] bytes = network.ToBytes();
        stream.Position = 0;

        Assert.Equal(File.ReadAllBytes(path), bytes);
        Assert.Equal(bytes, stream.ToArray());
        Assert.Equal(network.Parameters.ToArray(), ModelFile.Load<SeedNet>(bytes).Parameters.ToArray());
        Assert.Equal(network.Parameters.ToArray(), ModelFile.Load<SeedNet>(stream).Parameters.ToArray());
        Assert.True(stream.CanRead);
        Assert.Equal(network.Parameters.ToArray(), ModelFile.Load<SeedNet>(new ForwardOnlyStream(bytes)).Parameters.ToArray());
    }

    [Fact]
    public void A_stream_is_read_from_where_it_stands()
    {
        var network = new SeedNet(seed: 7);
        var stream = new MemoryStream();
        stream.Write([9, 9, 9]);
        network.Save(stream);
        stream.Position = 3;

        Assert.Equal(network.Parameters.ToArray(), ModelFile.Load<SeedNet>(stream).Parameters.ToArray());
    }

    [Fact]
    public void A_stream_that_is_not_a_model_is_refused_under_the_name_given_leaving_the_network()
    {
        var network = new SeedNet(seed: 7);
        float[] before = network.Parameters.ToArray();

        var error = Assert.Throws<ModelFileException>(() => ModelFile.LoadInto(network, new MemoryStream([1, 2, 3]), name: "database row 7"));
        var other = Assert.Throws<ModelFileException>(() => ModelFile.Load<XorNet>(new SeedNet().ToBytes()));

        Assert.StartsWith("database row 7: The file is 3 bytes long", error.Message);
        Assert.StartsWith("<bytes>: The file holds 2-5(ReLU)-1(Sigmoid)", other.Message);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void A_model_embedded_in_the_assembly_loads_by_its_resource_name()
    {
        SeedNet loaded = ModelFile.LoadResource<SeedNet>(typeof(ModelStreamTests).Assembly, "StaticNet.Tests.seednet.safetensors");
        var missing = Assert.Throws<ModelFileException>(() => ModelFile.LoadResource<SeedNet>(typeof(ModelStreamTests).Assembly, "model.safetensors"));

        Assert.Equal(new SeedNet(seed: 3).Parameters.ToArray(), loaded.Parameters.ToArray());
        Assert.Contains("resource 'model.safetensors': StaticNet.Tests has no such resource; it has StaticNet.Tests.seednet.safetensors", missing.Message);
    }

    [Fact]
    public void Metadata_of_ones_own_is_saved_and_read_back_beside_StaticNets()
    {
        string path = _files.File("seed.safetensors");

        new SeedNet(seed: 7).Save(path, metadata: new Dictionary<string, string> { ["app.trained_on"] = "2026-12-02", ["optimizer_notes"] = "none" });
        IReadOnlyDictionary<string, string> metadata = ModelFile.ReadMetadata(path);

        Assert.Equal("2026-12-02", metadata["app.trained_on"]);
        Assert.Equal("none", metadata["optimizer_notes"]);
        Assert.Equal("2-5(ReLU)-1(Sigmoid)", metadata["architecture"]);
        Assert.Equal(metadata, ModelFile.ReadMetadata(new MemoryStream(File.ReadAllBytes(path))));
    }

    [Theory]
    [InlineData("architecture")]
    [InlineData("scaling.method")]
    [InlineData("optimizer")]
    [InlineData("optimizer.steps")]
    [InlineData("feature_space")]
    [InlineData("")]
    public void A_metadata_key_StaticNet_writes_is_refused_before_anything_is_written(string key)
    {
        var stream = new MemoryStream();

        var error = Assert.Throws<ArgumentException>(() => new SeedNet(seed: 7).Save(stream, metadata: new Dictionary<string, string> { [key] = "x" }));

        Assert.Equal("metadata", error.ParamName);
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void A_network_with_a_non_finite_parameter_writes_nothing_to_the_stream()
    {
        var network = new SeedNet(seed: 7);
        network.Parameters[0] = float.NaN;
        var stream = new MemoryStream();

        Assert.Throws<InvalidOperationException>(() => network.Save(stream));

        Assert.Equal(0, stream.Length);
    }

    /// <summary>A stream that reads forward only, as a network response does.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
