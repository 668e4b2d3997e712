using StaticNet;
using Xunit;

namespace StaticNet.Tests;

/// <summary>
/// The file system's refusals, in every loader and in Save: the BCL's exception type, a message
/// that starts with the path the caller gave and says what is wrong, the BCL's exception inside.
/// </summary>
public sealed class FileErrorTests : IDisposable
{
    private static readonly CsvOptions CsvOptions = new() { TargetColumns = [0] };

    private readonly TemporaryDirectory _files = new();

    public void Dispose() => _files.Dispose();

    public static TheoryData<string> Loaders() => ["csv", "idx images", "idx labels", "model"];

    [Theory]
    [MemberData(nameof(Loaders))]
    public void A_directory_given_as_the_file_is_named_as_a_directory(string loader)
    {
        string directory = _files.File("a-directory");
        Directory.CreateDirectory(directory);

        var error = Assert.Throws<UnauthorizedAccessException>(() => Load(loader, directory));

        Assert.Equal($"{directory}: The path is a directory, not a file.", error.Message);
        Assert.NotNull(error.InnerException);
    }

    [Theory]
    [MemberData(nameof(Loaders))]
    public void A_missing_file_is_named(string loader)
    {
        string missing = _files.File("missing.bin");

        var error = Assert.Throws<FileNotFoundException>(() => Load(loader, missing));

        Assert.Equal($"{missing}: The file does not exist.", error.Message);
        Assert.Equal(missing, error.FileName);
    }

    [Theory]
    [MemberData(nameof(Loaders))]
    public void A_missing_directory_is_named_with_the_first_directory_that_is_missing(string loader)
    {
        string missing = Path.Combine(_files.Path, "no", "such", "file.bin");

        var error = Assert.Throws<DirectoryNotFoundException>(() => Load(loader, missing));

        Assert.Equal($"{missing}: The directory '{Path.Combine(_files.Path, "no")}' does not exist.", error.Message);
    }

    [Theory]
    [MemberData(nameof(Loaders))]
    public void A_path_through_a_regular_file_says_which_part_is_a_file(string loader)
    {
        string file = _files.Write("plain", "x");
        string through = Path.Combine(file, "model.bin");

        var error = Assert.Throws<DirectoryNotFoundException>(() => Load(loader, through));

        Assert.Equal($"{through}: '{file}' is a file, not a directory.", error.Message);
    }

    [Fact]
    public void Saving_into_a_missing_directory_names_the_target_not_the_temporary_file()
    {
        string target = Path.Combine(_files.Path, "missing", "model.safetensors");

        var error = Assert.Throws<DirectoryNotFoundException>(() => new SeedNet(seed: 1).Save(target));

        Assert.Equal($"{target}: The directory '{Path.Combine(_files.Path, "missing")}' does not exist.", error.Message);
        Assert.DoesNotContain(".tmp", error.Message);
    }

    [Fact]
    public void Saving_over_a_directory_is_refused_and_leaves_nothing_behind()
    {
        string directory = _files.File("model.safetensors");
        Directory.CreateDirectory(directory);

        var error = Assert.Throws<UnauthorizedAccessException>(() => new SeedNet(seed: 1).Save(directory));

        Assert.Equal($"{directory}: The path is a directory, not a file.", error.Message);
        Assert.Empty(Directory.GetFiles(_files.Path));
    }

    [Fact]
    public void Saving_where_files_cannot_be_created_is_refused_naming_the_target()
    {
        // sysfs refuses new files to every user, root included, where chmod stops only the others.
        Assert.True(Directory.Exists("/sys/kernel"), "This test needs Linux's sysfs mounted at /sys.");
        const string target = "/sys/model.safetensors";

        var error = Assert.Throws<UnauthorizedAccessException>(() => new SeedNet(seed: 1).Save(target));

        Assert.StartsWith($"{target}: Permission denied: the file cannot be written", error.Message);
        Assert.DoesNotContain(".tmp", error.Message);
        Assert.False(File.Exists(target));
    }

    private void Load(string loader, string path)
    {
        switch (loader)
        {
            case "csv":
                Csv.Load(path, CsvOptions);
                break;
            case "idx images":
                Idx.Load(path, _files.Write("labels", IdxFiles.Labels(1)));
                break;
            case "idx labels":
                Idx.Load(_files.Write("images", IdxFiles.Images(1, 1, 1, i => 0)), path);
                break;
            default:
                ModelFile.LoadInto(new SeedNet(seed: 1), path);
                break;
        }
    }
}
