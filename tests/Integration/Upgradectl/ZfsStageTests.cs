using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Platform.Files;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Upgradectl;

/// <summary>
/// <c>upgradectl stage --from --object zfs</c> on an appliance without ZFS: the ZFS stream published by the real
/// imagebuild (--zfs-streams), served by the real distributor over HTTPS on 127.0.0.1, applied in user space.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class ZfsStageTests : IAsyncLifetime
{
    private const string Tools = "mke2fs";
    private readonly TempDirectory directory = new();
    private ApplianceRoot appliance = null!;
    private TestImage first = null!;
    private TestImage second = null!;
    private ReleaseEntry release = null!;

    private string Repository => directory.File("repo");

    private string Certificates => directory.File("certificates");

    private string CaCertificate => Path.Combine(Certificates, "distributor.crt.pem");

    public async Task InitializeAsync()
    {
        var images = directory.File("images");
        Directory.CreateDirectory(images);
        first = await TestImage.CreateAsync(images, 1);
        second = await TestImage.DeriveAsync(first, images, 2);
        var key = directory.File("release.pem");
        await Cli.SucceedAsync(Cli.ImageBuildAsync("keygen", "--out", directory.Path, "--name", "release"));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("keygen", "--out", directory.Path, "--name", "root"));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("repo", "init", "--repo", Repository, "--root-key", directory.File("root.pem"), "--release-key", key));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("publish", "--repo", Repository, "--image", first.ImagePath, "--key", key, "--zfs-streams"));
        var published = await Cli.SucceedAsync(Cli.ImageBuildAsync("publish", "--repo", Repository, "--image", second.ImagePath, "--key", key, "--zfs-streams"));
        Assert.Contains("2 zfs-from-1 ", published.StandardOutput, StringComparison.Ordinal);
        release = RepositoryOnDisk.VerifyAsNewAppliance(Repository).Channel.Find(2)!;
        appliance = await ApplianceRoot.CreateAsync(directory);
        appliance.ProvisionTrustRoot(Repository);
    }

    [ToolFact(Tools, "grub-editenv", "debugfs", "e2fsck")]
    public async Task Stage_by_zfs_object_downloads_the_incremental_from_the_image_present_and_applies_it_in_user_space()
    {
        appliance.ReplaceImage(first);
        await using var distributor = await RunningDistributor.StartAsync(Repository, Certificates);

        var stage = await appliance.SucceedAsync("stage", "--from", distributor.Address.ToString(), "--ca-cert", CaCertificate, "--object", "zfs");

        var incremental = Assert.Single(release.ZfsIncrementals!);
        Assert.Contains($"download: zfs ZFS incremental 1 -> 2, object {incremental.Size} bytes, received {incremental.Size} bytes", stage.StandardOutput, StringComparison.Ordinal);
        Assert.True(incremental.Size * 4 < release.ZfsFull!.Size, $"incremental {incremental.Size} bytes, full stream {release.ZfsFull.Size}");
        Assert.Equal(second.Manifest.Sha256, await Sha256File.ComputeAsync(Path.Combine(appliance.Images, "2.img"), default));
        Assert.Empty(Directory.EnumerateFileSystemEntries(appliance.Downloaded));
    }

    [ToolFact(Tools, "grub-editenv", "debugfs", "e2fsck")]
    public async Task Stage_by_zfs_object_takes_the_full_stream_when_no_image_here_is_a_base()
    {
        await using var distributor = await RunningDistributor.StartAsync(Repository, Certificates);

        var stage = await appliance.SucceedAsync("stage", "--from", distributor.Address.ToString(), "--ca-cert", CaCertificate, "--object", "zfs");

        Assert.Contains($"download: zfs ZFS full stream 2, object {release.ZfsFull!.Size} bytes", stage.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(second.Manifest.Sha256, await Sha256File.ComputeAsync(Path.Combine(appliance.Images, "2.img"), default));
    }

    [ToolFact(Tools, "grub-editenv", "debugfs", "e2fsck")]
    public async Task A_tampered_base_image_is_refused_and_nothing_is_staged()
    {
        appliance.ReplaceImage(first);
        // The base's bytes changed after it was staged (its manifest still names the signed hash).
        await using (var image = new FileStream(Path.Combine(appliance.Images, "1.img"), FileMode.Open, FileAccess.Write))
        {
            image.Position = 1 << 20;
            image.WriteByte(0x5a);
        }
        await using var distributor = await RunningDistributor.StartAsync(Repository, Certificates);

        var result = await appliance.RunAsync("stage", "--from", distributor.Address.ToString(), "--ca-cert", CaCertificate, "--object", "zfs");

        Assert.Equal((int)ExitCode.VerificationFailed, result.ExitCode);
        Assert.Contains("not the stream's base", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(appliance.Images, "2.img")));
    }

    public Task DisposeAsync()
    {
        directory.Dispose();
        return Task.CompletedTask;
    }
}
