using System.Text.Json;
using Appliance.Core.Delta;
using Appliance.Core.Specs;
using Appliance.ImageBuild.Building;
using Appliance.Platform.Files;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration;

/// <summary>Deltas between real ext4 images made by e2fsprogs, through the library and through imagebuild.</summary>
[Collection(SerialCollection.Name)]
public sealed class DeltaExt4Tests
{
    private const long Epoch = 1763700000;
    private const long Size = 64L << 20;
    private static readonly Guid Uuid = DeterministicGuid.FromName("delta-test");

    [ToolFact("mke2fs", "e2fsck")]
    public async Task A_delta_between_two_fresh_ext4_images_rebuilds_the_target_exactly_and_sparsely()
    {
        using var directory = new TempDirectory();
        var (baseImage, target) = await BuildPairAsync(directory);
        var deltaFile = directory.File("2.delta");
        var rebuilt = directory.File("rebuilt.img");

        DeltaSummary summary;
        await using (var baseStream = File.OpenRead(baseImage))
        await using (var targetStream = File.OpenRead(target))
        await using (var delta = File.Create(deltaFile))
        {
            summary = DeltaWriter.Write(baseStream, targetStream, delta, new DeltaOptions(), default);
        }
        await using (var baseStream = File.OpenRead(baseImage))
        await using (var delta = File.OpenRead(deltaFile))
        await using (var output = new FileStream(rebuilt, FileMode.CreateNew, FileAccess.Write))
        {
            DeltaApplier.Apply(delta, baseStream, output, default);
        }

        Assert.Equal(await Sha256File.ComputeAsync(target, default), await Sha256File.ComputeAsync(rebuilt, default));
        await Ext4Image.CheckAsync(rebuilt, default);
        // mke2fs -d lays the files out afresh: the data after the new file moved, and only the new file is literal.
        Assert.True(summary.MovedBlocks > 0, $"{summary}");
        Assert.InRange(new FileInfo(deltaFile).Length, 1, 200_000);
        Assert.InRange(await AllocatedBytesAsync(rebuilt), 1, Size / 4);
    }

    [ToolFact("mke2fs")]
    public async Task The_delta_commands_rebuild_an_image_and_refuse_a_wrong_base_without_leaving_any_output()
    {
        using var directory = new TempDirectory();
        var (baseImage, target) = await BuildPairAsync(directory);
        var deltaFile = directory.File("2.delta");

        var made = await Cli.SucceedAsync(Cli.ImageBuildAsync("delta", "--from", baseImage, "--to", target, "--out", deltaFile));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("apply-delta", "--base", baseImage, "--delta", deltaFile, "--out", directory.File("rebuilt.img")));
        var refused = await Cli.ImageBuildAsync("apply-delta", "--base", target, "--delta", deltaFile, "--out", directory.File("wrong.img"));

        var summary = JsonDocument.Parse(made.StandardOutput).RootElement;
        Assert.Equal(new FileInfo(deltaFile).Length, summary.GetProperty("delta_bytes").GetInt64());
        Assert.Equal(await Sha256File.ComputeAsync(target, default), await Sha256File.ComputeAsync(directory.File("rebuilt.img"), default));
        Assert.Equal(12, refused.ExitCode); // VerificationFailed
        Assert.Contains("another base image", refused.StandardError, StringComparison.Ordinal);
        Assert.Equal(["1.img", "2.delta", "2.img", "rebuilt.img"], Directory.GetFiles(directory.Path).Select(file => Path.GetFileName(file)).Order());
    }

    private static async Task<(string Base, string Target)> BuildPairAsync(TempDirectory directory)
    {
        var first = directory.File("v1");
        Directory.CreateDirectory(Path.Combine(first, "etc"));
        Directory.CreateDirectory(Path.Combine(first, "usr/lib"));
        await File.WriteAllTextAsync(Path.Combine(first, "etc/changed.conf"), "old contents\n");
        for (var i = 0; i < 8; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(first, $"usr/lib/lib{i}.so"), BlockImage.Of([.. Enumerable.Range(i * 100, 64).Select(seed => (int?)seed)]));
        }
        var second = directory.File("v2");
        await ProcessRunner.RunAsync("cp", ["-a", first, second]);
        await File.WriteAllTextAsync(Path.Combine(second, "etc/changed.conf"), "new contents\n");
        await File.WriteAllBytesAsync(Path.Combine(second, "usr/lib/lib0.so"), BlockImage.Of(Enumerable.Range(5000, 20).Select(seed => (int?)seed).ToArray()));
        File.Delete(Path.Combine(second, "usr/lib/lib3.so"));

        var images = (directory.File("1.img"), directory.File("2.img"));
        await Ext4Image.CreateAsync(images.Item1, first, Size, Uuid, Epoch, default);
        await Ext4Image.CreateAsync(images.Item2, second, Size, Uuid, Epoch, default);
        return images;
    }

    private static async Task<long> AllocatedBytesAsync(string file)
    {
        var stat = await ProcessRunner.RunAsync("stat", ["-c", "%b %B", file]);
        var fields = stat.StandardOutput.Split(' ', StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
        return fields[0] * fields[1];
    }
}
