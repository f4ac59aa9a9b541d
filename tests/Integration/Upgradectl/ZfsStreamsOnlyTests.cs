using System.Text.Json;
using Appliance.Core.Errors;
using Appliance.Platform.Files;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Upgradectl;

/// <summary>
/// A repository that serves ZFS streams only (<c>imagebuild publish --zfs-streams-only</c>): no full object and no
/// delta in the channel; release 2's incremental is made against release 1 unpacked from its own full stream; and
/// <c>upgradectl stage --from</c> on an appliance without ZFS takes the stream by itself and applies it in user space.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class ZfsStreamsOnlyTests : IDisposable
{
    private readonly TempDirectory directory = new();

    private string Repository => directory.File("repo");

    private string Certificates => directory.File("certificates");

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task A_release_published_as_zfs_streams_only_is_staged_from_its_incremental_in_user_space()
    {
        var images = directory.File("images");
        Directory.CreateDirectory(images);
        var first = await TestImage.CreateAsync(images, 1);
        var second = await TestImage.DeriveAsync(first, images, 2);
        var key = directory.File("release.pem");
        await Cli.SucceedAsync(Cli.ImageBuildAsync("keygen", "--out", directory.Path, "--name", "release"));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("keygen", "--out", directory.Path, "--name", "root"));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("repo", "init", "--repo", Repository, "--root-key", directory.File("root.pem"), "--release-key", key));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("publish", "--repo", Repository, "--image", first.ImagePath, "--key", key, "--zfs-streams-only"));
        // No --delta-from: the base is unpacked from release 1's full ZFS stream, the only object it has.
        var published = await Cli.SucceedAsync(Cli.ImageBuildAsync("publish", "--repo", Repository, "--image", second.ImagePath, "--key", key, "--zfs-streams-only"));

        Assert.Contains("2 zfs-from-1 ", published.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(" full ", published.StandardOutput, StringComparison.Ordinal);
        var release = RepositoryOnDisk.VerifyAsNewAppliance(Repository).Channel.Find(2)!;
        Assert.True((release.Full, release.Deltas.Count, release.ZfsStreamsOnly) == (null, 0, true));
        var incremental = Assert.Single(release.ZfsIncrementals!);

        var appliance = await ApplianceRoot.CreateAsync(directory);
        appliance.ProvisionTrustRoot(Repository);
        appliance.ReplaceImage(first);
        await using var distributor = await RunningDistributor.StartAsync(Repository, Certificates);
        string[] from = ["--from", distributor.Address.ToString(), "--ca-cert", Path.Combine(Certificates, "distributor.crt.pem")];

        using var check = JsonDocument.Parse((await appliance.SucceedAsync(["check", .. from, "--json"])).StandardOutput);
        Assert.Equal(("zfs", 1, incremental.Size), (check.RootElement.GetProperty("download").GetString(), check.RootElement.GetProperty("delta_from").GetInt32(),
            check.RootElement.GetProperty("download_bytes").GetInt64()));
        var full = await appliance.RunAsync(["stage", .. from, "--full"]);
        Assert.Equal((int)ExitCode.NotFound, full.ExitCode);
        Assert.Contains("published as ZFS streams only", full.StandardError, StringComparison.Ordinal);

        var stage = await appliance.SucceedAsync(["stage", .. from]);

        Assert.Contains($"download: zfs ZFS incremental 1 -> 2, object {incremental.Size} bytes", stage.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(second.Manifest.Sha256, await Sha256File.ComputeAsync(Path.Combine(appliance.Images, "2.img"), default));
    }

    public void Dispose() => directory.Dispose();
}
