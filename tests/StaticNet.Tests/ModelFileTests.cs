using StaticNet;
using Xunit;

namespace StaticNet.Tests;

public sealed class ModelFileTests : IDisposable
{
    private const string SeedNetMetadata = "\"__metadata__\":{\"architecture\":\"2-5(ReLU)-1(Sigmoid)\"},";

    private readonly TemporaryDirectory _files = new();

    public void Dispose() => _files.Dispose();

    public static TheoryData<string> NetworkNames() => [.. TestNetworks.Names().Select(n => (string)n[0])];

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Save_then_load_restores_every_parameter_and_prediction(string name)
    {
        INetwork saved = TestNetworks.Create(name, seed: 5);
        INetwork loaded = TestNetworks.Create(name, seed: 6);
        string path = _files.File("model.safetensors");

        saved.Save(path);
        FeatureScaling? scaling = ModelFile.LoadInto(loaded, path);

        Assert.Null(scaling);
        Assert.Equal(Canonical(saved), Canonical(loaded));
        float[] input = Enumerable.Range(0, saved.Shape.Inputs).Select(i => MathF.Sin(i)).ToArray();
        float[] expected = new float[saved.Shape.Outputs];
        float[] actual = new float[saved.Shape.Outputs];
        saved.Predict(input, expected);
        loaded.Predict(input, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void The_generic_Load_creates_the_network_from_the_file()
    {
        var saved = new SeedNet(seed: 3);
        string path = _files.File("seed.safetensors");
        saved.Save(path);

        SeedNet loaded = ModelFile.Load<SeedNet>(path);

        Assert.Equal(Canonical(saved), Canonical(loaded));
    }

    [Fact]
    public void The_generated_static_Load_reads_what_Save_wrote()
    {
        var saved = new TinyNet(seed: 4);
        string path = _files.File("tiny.safetensors");
        saved.Save(path);

        TinyNet loaded = TinyNet.Load(path);

        Assert.Equal(Canonical(saved), Canonical(loaded));
        Assert.Throws<ModelFileException>(() => SeedNet.Load(path));
    }

    [Fact]
    public void A_file_laid_out_as_PyTorchs_writer_does_loads_with_the_right_values_and_is_what_Save_writes()
    {
        byte[] file = SafetensorsFiles.SeedNet(SeedNetMetadata);
        string path = _files.Write("torch.safetensors", file);

        SeedNet network = ModelFile.Load<SeedNet>(path);

        // Data order is layers.0.bias, layers.0.weight, layers.1.bias, layers.1.weight; each value is its position / 100.
        float[] bias0 = [0f, .01f, .02f, .03f, .04f];
        float[] weight0 = Enumerable.Range(5, 10).Select(i => i / 100f).ToArray();
        float[] bias1 = [.15f];
        float[] weight1 = Enumerable.Range(16, 5).Select(i => i / 100f).ToArray();
        Assert.Equal([.. weight0, .. bias0, .. weight1, .. bias1], Canonical(network));

        float[] x = [0.3f, -0.7f];
        float sum = bias1[0];
        for (int unit = 0; unit < 5; unit++)
        {
            float hidden = Math.Max(0, bias0[unit] + (weight0[2 * unit] * x[0]) + (weight0[(2 * unit) + 1] * x[1]));
            sum += weight1[unit] * hidden;
        }

        float[] output = new float[1];
        network.Predict(x, output);
        Assert.Equal(1 / (1 + MathF.Exp(-sum)), output[0], 6);

        string resaved = _files.File("resaved.safetensors");
        network.Save(resaved);
        Assert.Equal(file, File.ReadAllBytes(resaved));
    }

    [Fact]
    public void A_file_without_metadata_loads_by_its_tensor_shapes()
    {
        string path = _files.Write("plain.safetensors", SafetensorsFiles.SeedNet());
        Assert.Equal(.15f, Canonical(ModelFile.Load<SeedNet>(path))[^1]);
    }

    [Fact]
    public void Loading_into_a_different_architecture_names_both()
    {
        string path = _files.File("xor.safetensors");
        new XorNet(seed: 1).Save(path);

        var error = Assert.Throws<ModelFileException>(() => ModelFile.Load<SeedNet>(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("The file holds 2-8(Tanh)-1(Sigmoid) but SeedNet is 2-5(ReLU)-1(Sigmoid)", error.Message);
    }

    [Fact]
    public void A_file_without_metadata_and_other_shapes_names_the_network_and_the_files_tensors()
    {
        string header = "{" + SafetensorsFiles.SeedNetTensors.Replace("[5,2]", "[2,5]", StringComparison.Ordinal) + "}";
        string path = _files.Write("transposed.safetensors", SafetensorsFiles.Build(header, new byte[SafetensorsFiles.SeedNetDataBytes]));

        var error = Assert.Throws<ModelFileException>(() => ModelFile.Load<SeedNet>(path));

        Assert.Contains("SeedNet (2-5(ReLU)-1(Sigmoid)) needs layers.0.weight [5, 2] but the file holds", error.Message);
        Assert.Contains("layers.0.weight [2, 5]", error.Message);
    }

    public static TheoryData<string, byte[], string> BrokenFiles()
    {
        string tensors = SafetensorsFiles.SeedNetTensors;
        byte[] data = new byte[SafetensorsFiles.SeedNetDataBytes];
        byte[] Build(string header, byte[]? body = null, ulong? length = null) => SafetensorsFiles.Build(header, body ?? data, length);
        string Replace(string from, string to) => "{" + tensors.Replace(from, to, StringComparison.Ordinal) + "}";
        string Dropping(string tensor)
        {
            int start = tensors.IndexOf($"\"{tensor}\"", StringComparison.Ordinal);
            int end = tensors.IndexOf('}', start) + 1;
            return "{" + tensors.Remove(start, end - start).Replace(",,", ",", StringComparison.Ordinal).Trim(',') + "}";
        }

        float[] withNaN = new float[21];
        withNaN[7] = float.NaN;
        return new()
        {
            { "shorter than the length prefix", new byte[5], "is 5 bytes long; a safetensors file starts with an 8-byte header length" },
            { "header length beyond the file", Build("{" + tensors + "}", length: 10_000), "The header length is 10000 bytes but only" },
            { "header length over the cap", Build("{" + tensors + "}", length: 100_000_001), "over the limit of 100000000" },
            { "header length too short for JSON", Build("{" + tensors + "}", length: 1), "too short for a JSON object" },
            { "header not a JSON object", Build("[" + tensors + "]"), "does not start with '{'" },
            { "header not valid JSON", Build("{" + tensors), "not valid JSON" },
            { "content after the header object", Build("{" + tensors + "}{}"), "not valid JSON" },
            { "duplicate tensor name", Build("{" + tensors + "," + tensors[..tensors.IndexOf("},", StringComparison.Ordinal)] + "}}"), "names 'layers.0.bias' twice" },
            { "duplicate metadata key", Build("{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}," + tensors + "}"), "metadata names 'a' twice" },
            { "metadata value not a string", Build("{\"__metadata__\":{\"a\":1}," + tensors + "}"), "Metadata value 'a' must be a string" },
            { "unknown tensor field", Build(Replace("\"dtype\":\"F32\",\"shape\":[5],", "\"dtype\":\"F32\",\"strides\":[1],\"shape\":[5],")), "unknown field 'strides'" },
            { "repeated tensor field", Build(Replace("\"shape\":[5],", "\"shape\":[5],\"shape\":[5],")), "gives 'shape' twice" },
            { "missing dtype", Build(Replace("\"dtype\":\"F32\",\"shape\":[1],", "\"shape\":[1],")), "lacks dtype" },
            { "dtype StaticNet does not read", Build(Replace("\"dtype\":\"F32\",\"shape\":[1],", "\"dtype\":\"I32\",\"shape\":[1],")), "has dtype I32; StaticNet reads F32, and F16, BF16 and F64 converted to F32" },
            { "F16 with the byte range of F32", Build(Replace("\"dtype\":\"F32\",\"shape\":[1],", "\"dtype\":\"F16\",\"shape\":[1],")), "spans 4 bytes but its shape [1] of F16 needs 2" },
            { "negative shape", Build(Replace("[5,2]", "[5,-2]")), "must hold non-negative integers" },
            { "three data offsets", Build(Replace("[60,64]", "[60,62,64]")), "has more than 2 numbers" },
            { "offsets beyond the data", Build(Replace("[64,84]", "[64,104]")), "outside the data section of 84 bytes" },
            { "begin after end", Build(Replace("[60,64]", "[64,60]")), "outside the data section" },
            { "shape that does not match the byte range", Build(Replace("\"shape\":[1],\"data_offsets\":[60,64]", "\"shape\":[2],\"data_offsets\":[60,64]")), "spans 4 bytes but its shape [2] of F32 needs 8" },
            { "overlapping tensors", Build(Replace("[20,60]", "[16,56]").Replace("[60,64]", "[56,60]", StringComparison.Ordinal)), "overlaps the tensor before it" },
            { "gap between tensors", Build(Replace("[0,20]", "[4,24]").Replace("[20,60]", "[24,64]", StringComparison.Ordinal).Replace("[60,64]", "[64,68]", StringComparison.Ordinal).Replace("[64,84]", "[68,88]", StringComparison.Ordinal), new byte[88]), "leaving a gap after byte 0" },
            { "trailing data bytes", Build("{" + tensors + "}", new byte[SafetensorsFiles.SeedNetDataBytes + 4]), "cover 84 bytes but the data section holds 88: the file has trailing bytes" },
            { "missing tensor", Build(Dropping("layers.1.bias").Replace("[64,84]", "[60,80]", StringComparison.Ordinal), new byte[80]), "needs layers.1.bias [1]" },
            { "extra tensor", Build("{" + tensors + ",\"layers.2.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[84,88]}}", new byte[88]), "holds tensor 'layers.2.bias', which SeedNet (2-5(ReLU)-1(Sigmoid)) does not have" },
            { "non-finite parameter", Build("{" + tensors + "}", SafetensorsFiles.Floats(withNaN)), "Tensor 'layers.0.weight' holds NaN at index 2" },
            { "scaling with the wrong width", Build("{\"__metadata__\":{\"scaling.method\":\"standardize\",\"scaling.center\":\"0\",\"scaling.scale\":\"1\"}," + tensors + "}"), "has 1 values but the network has 2 inputs" },
            { "scaling with a zero scale", Build("{\"__metadata__\":{\"scaling.method\":\"min-max\",\"scaling.center\":\"0,0\",\"scaling.scale\":\"1,0\"}," + tensors + "}"), "scaling is invalid" },
        };
    }

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void A_broken_file_is_rejected_with_the_rule_it_breaks_and_the_network_keeps_its_parameters(string rule, byte[] file, string message)
    {
        string path = _files.Write(rule.Replace(' ', '-') + ".safetensors", file);
        var network = new SeedNet(seed: 9);
        float[] before = Canonical(network);

        var error = Assert.Throws<ModelFileException>(() => ModelFile.LoadInto(network, path));

        Assert.Contains(message, error.Message);
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Equal(before, Canonical(network));
    }

    [Fact]
    public void A_failed_save_leaves_the_previous_file_intact_and_no_temporary_file()
    {
        var network = new SeedNet(seed: 2);
        string path = _files.File("model.safetensors");
        network.Save(path);
        byte[] previous = File.ReadAllBytes(path);

        network.Parameters[^1] = float.NaN;
        var error = Assert.Throws<InvalidOperationException>(() => network.Save(path));

        Assert.Contains("non-finite", error.Message);
        Assert.Equal(previous, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_files.Path));
    }

    [Fact]
    public void An_exception_midway_through_an_atomic_write_leaves_the_previous_file_and_no_temporary_file()
    {
        string path = _files.Write("data.bin", [1, 2, 3]);

        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100_000]);
            throw new IOException("disk full");
        }));

        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_files.Path));
    }

    [Fact]
    public void Saving_replaces_an_existing_file()
    {
        string path = _files.File("model.safetensors");
        new SeedNet(seed: 1).Save(path);
        var second = new SeedNet(seed: 2);
        second.Save(path);

        Assert.Equal(Canonical(second), Canonical(ModelFile.Load<SeedNet>(path)));
    }

    [Fact]
    public void Saving_removes_the_temporary_files_an_interrupted_save_of_the_same_target_left()
    {
        string path = _files.File("model.safetensors");
        string abandoned = _files.Write($".model.safetensors.{Guid.NewGuid():N}.tmp", [1, 2, 3]);
        string otherTargets = _files.Write($".other.safetensors.{Guid.NewGuid():N}.tmp", [1]);
        string notOurs = _files.Write(".model.safetensors.backup.tmp", [1]);

        new SeedNet(seed: 1).Save(path);

        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(otherTargets));
        Assert.True(File.Exists(notOurs));
        Assert.Equal(Canonical(new SeedNet(seed: 1)), Canonical(ModelFile.Load<SeedNet>(path)));
    }

    [Fact]
    public void Saving_leaves_alone_a_temporary_file_that_a_save_in_progress_holds_open()
    {
        string path = _files.File("model.safetensors");
        string inProgress = _files.File($".model.safetensors.{Guid.NewGuid():N}.tmp");
        using var held = new FileStream(inProgress, FileMode.CreateNew, FileAccess.Write, FileShare.Delete);

        new SeedNet(seed: 1).Save(path);

        Assert.True(File.Exists(inProgress));
    }

    [Theory]
    [InlineData(".model.safetensors.0123456789abcdef0123456789abcdef.tmp", true)]
    [InlineData(".model.safetensors.0123456789ABCDEF0123456789abcdef.tmp", false)]
    [InlineData(".model.safetensors.0123456789abcdef0123456789abcde.tmp", false)]
    [InlineData("model.safetensors.0123456789abcdef0123456789abcdef.tmp", false)]
    [InlineData(".model.safetensorsx0123456789abcdef0123456789abcdef.tmp", false)]
    [InlineData(".other.safetenso.0123456789abcdef0123456789abcdef.tmp", false)]
    public void Only_names_made_for_the_target_count_as_its_temporary_files(string name, bool expected)
    {
        Assert.Equal(expected, AtomicFile.IsTemporaryFor(name, "model.safetensors"));
    }

    [Fact]
    public void Saving_through_a_symbolic_link_replaces_the_file_it_points_to_and_keeps_the_link()
    {
        Directory.CreateDirectory(_files.File("real"));
        string real = _files.File(Path.Combine("real", "model.safetensors"));
        new SeedNet(seed: 1).Save(real);
        string link = _files.File("link.safetensors");
        File.CreateSymbolicLink(link, Path.Combine("real", "model.safetensors"));

        var second = new SeedNet(seed: 2);
        second.Save(link);

        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal(Canonical(second), Canonical(ModelFile.Load<SeedNet>(real)));
        Assert.Equal([real], Directory.GetFiles(_files.File("real")));
    }

    [Fact]
    public void Saving_through_a_dangling_link_creates_the_file_it_points_to()
    {
        string link = _files.File("link.safetensors");
        File.CreateSymbolicLink(link, "target.safetensors");

        new SeedNet(seed: 3).Save(link);

        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal(Canonical(new SeedNet(seed: 3)), Canonical(ModelFile.Load<SeedNet>(_files.File("target.safetensors"))));
    }

    [Fact]
    public void A_huge_header_value_is_quoted_by_its_start_and_length_only()
    {
        string architecture = new('9', 3_000_000);
        string path = _files.Write("huge.safetensors", SafetensorsFiles.SeedNet($"\"__metadata__\":{{\"architecture\":\"{architecture}\"}},"));

        var error = Assert.Throws<ModelFileException>(() => ModelFile.Load<SeedNet>(path));

        Assert.InRange(error.Message.Length, 1, path.Length + 400);
        Assert.Contains("(3000000 characters) but SeedNet is 2-5(ReLU)-1(Sigmoid)", error.Message);
    }

    [Fact]
    public void A_huge_tensor_name_is_quoted_by_its_start_and_length_only()
    {
        string name = new('n', 2_000_000);
        string header = "{" + SafetensorsFiles.SeedNetTensors + ",\"" + name + "\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[84,88]}}";
        string path = _files.Write("name.safetensors", SafetensorsFiles.Build(header, new byte[88]));

        var error = Assert.Throws<ModelFileException>(() => ModelFile.Load<SeedNet>(path));

        Assert.InRange(error.Message.Length, 1, path.Length + 1200);
        Assert.Contains("(2000000 characters)", error.Message);
    }

    [Fact]
    public void A_load_that_fails_leaves_every_parameter_bit_for_bit_as_it_was()
    {
        var network = new SeedNet(seed: 9);
        int[] before = Bits(network);

        // The last tensor in data order is bad, so every other tensor was read before the failure.
        float[] values = Enumerable.Range(0, SafetensorsFiles.SeedNetDataBytes / 4).Select(i => i / 7f).ToArray();
        values[^1] = float.PositiveInfinity;
        string bad = _files.Write("bad.safetensors", SafetensorsFiles.Build("{" + SafetensorsFiles.SeedNetTensors + "}", SafetensorsFiles.Floats(values)));
        Assert.Throws<ModelFileException>(() => ModelFile.LoadInto(network, bad));
        Assert.Throws<FileNotFoundException>(() => ModelFile.LoadInto(network, _files.File("missing.safetensors")));

        Assert.Equal(before, Bits(network));
    }

    [Fact]
    public async Task Predicting_while_another_thread_loads_parameters_never_throws_and_ends_with_the_new_parameters()
    {
        var network = new WideNet(seed: 1);
        var replacement = new WideNet(seed: 2);
        string path = _files.File("wide.safetensors");
        replacement.Save(path);
        float[] input = Enumerable.Range(0, WideNet.InputSize).Select(i => MathF.Cos(i)).ToArray();

        using var stop = new CancellationTokenSource();
        int predictions = 0;
        Task[] readers = [.. Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            float[] output = new float[WideNet.OutputSize];
            while (!stop.IsCancellationRequested)
            {
                network.Predict(input, output);
                Interlocked.Increment(ref predictions);
            }
        }))];
        SpinWait.SpinUntil(() => Volatile.Read(ref predictions) > 0);
        for (int i = 0; i < 5; i++)
        {
            ModelFile.LoadInto(network, path);
        }

        stop.Cancel();
        await Task.WhenAll(readers);

        Assert.Equal(Bits(replacement), Bits(network));
    }

    private static int[] Bits(INetwork network) => [.. Canonical(network).Select(BitConverter.SingleToInt32Bits)];

    internal static float[] Canonical(INetwork network)
    {
        float[] canonical = new float[network.Shape.ParameterCount];
        network.CopyParametersTo(canonical);
        return canonical;
    }
}
