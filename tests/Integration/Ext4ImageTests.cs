using Appliance.Core.Specs;
using Appliance.ImageBuild.Building;
using Appliance.Platform.Files;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration;

/// <summary>The e2fsprogs side of a build on a small tree: fast enough to run many variations.</summary>
[Collection(SerialCollection.Name)]
public sealed class Ext4ImageTests
{
    private const long Epoch = 1763700000;
    private const long Size = 64L << 20;
    private static readonly Guid Uuid = DeterministicGuid.FromName("test");

    [ToolFact("mke2fs", "debugfs", "e2fsck")]
    public async Task Two_fresh_images_of_the_same_tree_are_bit_identical_even_when_the_trees_were_made_at_different_times()
    {
        using var directory = new TempDirectory();
        var first = await BuildFreshAsync(directory, "first");
        await Task.Delay(1100); // the second tree gets other ctimes and atimes
        var second = await BuildFreshAsync(directory, "second");

        await Ext4Image.CheckAsync(first, CancellationToken.None);
        Assert.Equal(await Sha256File.ComputeAsync(first, default), await Sha256File.ComputeAsync(second, default));
    }

    [RootFact("mke2fs", "debugfs", "e2fsck", "rsync", "zerofree", "tune2fs")]
    public async Task A_layout_preserving_build_keeps_unchanged_files_in_place_and_only_writes_what_changed()
    {
        using var directory = new TempDirectory();
        var tree = MakeTree(directory, "tree");
        var baseImage = directory.File("1.img");
        await Ext4Image.CreateAsync(baseImage, tree, Size, Uuid, Epoch, default);
        await Ext4Image.StampTimesAsync(baseImage, tree, Epoch, default);

        await File.WriteAllTextAsync(Path.Combine(tree, "etc/changed.conf"), "new contents\n");
        File.Delete(Path.Combine(tree, "usr/removed.bin"));
        await NormalizeAsync(tree);
        var next = directory.File("2.img");
        await LayoutPreservingImageWriter.WriteAsync(baseImage, next, tree, directory.File("mnt"), Size, default);
        await Ext4Image.StampTimesAsync(next, tree, Epoch, default);

        await Ext4Image.CheckAsync(next, default);
        Assert.Equal("new contents\n", await CatAsync(next, "/etc/changed.conf"));
        Assert.Equal(await CatAsync(baseImage, "/usr/big.bin"), await CatAsync(next, "/usr/big.bin"));
        var missing = await ProcessRunner.RunAsync("debugfs", ["-R", "stat /usr/removed.bin", next]);
        Assert.Contains("File not found", missing.StandardError, StringComparison.Ordinal);
        await using var left = File.OpenRead(baseImage);
        await using var right = File.OpenRead(next);
        var diff = Core.Delta.SameOffsetBlockComparer.Compare(left, right, 16384);
        Assert.InRange(diff.ChangedBytes, 1, 1L << 20); // metadata and the changed file, not the 4 MiB that stayed
    }

    private static async Task<string> BuildFreshAsync(TempDirectory directory, string name)
    {
        var tree = MakeTree(directory, name);
        await NormalizeAsync(tree);
        var image = directory.File(name + ".img");
        await Ext4Image.CreateAsync(image, tree, Size, Uuid, Epoch, default);
        await Ext4Image.StampTimesAsync(image, tree, Epoch, default);
        return image;
    }

    private static string MakeTree(TempDirectory directory, string name)
    {
        var tree = directory.File(name);
        Directory.CreateDirectory(Path.Combine(tree, "etc"));
        Directory.CreateDirectory(Path.Combine(tree, "usr/lib"));
        File.WriteAllText(Path.Combine(tree, "etc/changed.conf"), "old contents\n");
        File.WriteAllBytes(Path.Combine(tree, "usr/big.bin"), Enumerable.Range(0, 4 << 20).Select(i => (byte)(i * 7)).ToArray());
        File.WriteAllBytes(Path.Combine(tree, "usr/removed.bin"), new byte[300_000]);
        File.CreateSymbolicLink(Path.Combine(tree, "lib"), "usr/lib");
        return tree;
    }

    private static Task NormalizeAsync(string tree) => TreeNormalizer.NormalizeAsync(tree, Epoch, default);

    private static async Task<string> CatAsync(string image, string path) =>
        (await ProcessRunner.RunAsync("debugfs", ["-R", $"cat {path}", image])).StandardOutput;
}
