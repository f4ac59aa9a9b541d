using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Platform.Files;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Upgradectl;

/// <summary>
/// What an appliance does when staging from the repository meets its own trouble: a local image whose bytes are not
/// what its manifest says, a full disk, old downloads, a rollback to an image that trusts an older root.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class DownloadRecoveryTests(PublishedReleases published) : IClassFixture<PublishedReleases>, IAsyncLifetime
{
    private const string Tools = "mke2fs";
    private readonly TempDirectory directory = new();
    private SmallFilesystem? host;
    private ApplianceRoot appliance = null!;
    private string repository = null!;

    private string Certificates => directory.File("certificates");

    private string CaCertificate => Path.Combine(Certificates, "distributor.crt.pem");

    public async Task InitializeAsync()
    {
        repository = await published.CopyRepositoryAsync(directory.File("repo"));
        await using (await RunningDistributor.StartAsync(repository, Certificates))
        {
        }
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }
        directory.Dispose();
    }

    [ToolFact(Tools, "grub-editenv", "debugfs", "e2fsck")]
    public async Task A_delta_whose_local_base_differs_from_its_manifest_falls_back_to_the_full_image_in_the_same_run()
    {
        await CreateApplianceAsync();
        // The manifest of the published image 1 (so the delta is chosen) next to other bytes (as after a bad copy).
        File.Copy(published.First.ManifestPath, Path.Combine(appliance.Images, "1.manifest.json"), overwrite: true);
        await using var server = await FaultyRepositoryServer.StartAsync(repository, Certificates, new FaultyServerOptions());

        var stage = await appliance.SucceedAsync("stage", "--from", server.Address.ToString(), "--ca-cert", CaCertificate);

        var full = published.SecondRelease.Full!;
        Assert.Contains($"download: full full image 2, object {full.Size} bytes", stage.StandardOutput, StringComparison.Ordinal);
        Assert.Equal([RepositoryLayout.ObjectPath(published.Delta.Sha256), RepositoryLayout.ObjectPath(full.Sha256)],
            server.ObjectRequests.Select(request => request.Path).Where(path => path != RepositoryLayout.ObjectPath(published.SecondRelease.Manifest.Sha256)));
        Assert.Equal(published.Second.Manifest.Sha256, await Sha256File.ComputeAsync(Path.Combine(appliance.Images, "2.img"), default));
        Assert.Empty(Directory.EnumerateFileSystemEntries(appliance.Downloaded));
    }

    [ToolFact(Tools, "grub-editenv", "debugfs", "e2fsck")]
    public async Task Stage_from_with_full_downloads_the_full_image_even_when_a_delta_fits()
    {
        await CreateApplianceAsync();
        appliance.ReplaceImage(published.First);
        await using var server = await FaultyRepositoryServer.StartAsync(repository, Certificates, new FaultyServerOptions());

        var stage = await appliance.SucceedAsync("stage", "--from", server.Address.ToString(), "--ca-cert", CaCertificate, "--full");

        Assert.Contains("download: full full image 2", stage.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(server.ObjectRequests, request => request.Path == RepositoryLayout.ObjectPath(published.Delta.Sha256));
        Assert.Equal(published.Second.Manifest.Sha256, await Sha256File.ComputeAsync(Path.Combine(appliance.Images, "2.img"), default));
    }

    [RootFact(Tools, "grub-editenv", "debugfs", "e2fsck")]
    public async Task A_disk_that_fills_while_downloading_exits_disk_full_and_keeps_the_partial_download()
    {
        await CreateApplianceAsync(onSmallFilesystem: true);
        var before = await appliance.BootStateAsync();
        await using var server = await FaultyRepositoryServer.StartAsync(repository, Certificates,
            new FaultyServerOptions(ObjectFault.FillDiskHalfway, FillPath: Path.Combine(appliance.Host, "filler")));

        var result = await appliance.RunAsync("stage", "--from", server.Address.ToString(), "--ca-cert", CaCertificate, "--reserve-mib", "0");

        Assert.True(result.ExitCode == (int)ExitCode.InsufficientSpace, result.StandardError);
        Assert.Contains("disk is full while downloading", result.StandardError, StringComparison.Ordinal);
        Assert.InRange(new FileInfo(Assert.Single(Directory.EnumerateFiles(appliance.Downloaded, "*.partial"))).Length, 1, published.SecondRelease.Full!.Size - 1);
        Assert.Single(server.ObjectRequests, request => request.Path == RepositoryLayout.ObjectPath(published.SecondRelease.Full!.Sha256));
        Assert.Equal(["1.img", "1.manifest.json"], Directory.EnumerateFiles(appliance.Images).Select(Path.GetFileName).Order());
        Assert.Equal(before, await appliance.BootStateAsync());
    }

    [RootFact(Tools, "grub-editenv", "debugfs", "e2fsck")]
    public async Task A_disk_that_fills_while_applying_a_delta_exits_disk_full_and_keeps_the_downloaded_delta()
    {
        await CreateApplianceAsync(onSmallFilesystem: true);
        appliance.ReplaceImage(published.First);
        var before = await appliance.BootStateAsync();
        await using var server = await FaultyRepositoryServer.StartAsync(repository, Certificates,
            new FaultyServerOptions(ObjectFault.FillDiskBeforeLastByte, FillPath: Path.Combine(appliance.Host, "filler")));

        var result = await appliance.RunAsync("stage", "--from", server.Address.ToString(), "--ca-cert", CaCertificate, "--reserve-mib", "0");

        Assert.True(result.ExitCode == (int)ExitCode.InsufficientSpace, result.StandardError);
        Assert.Contains("disk is full while writing image 2", result.StandardError, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(appliance.Downloaded, published.Delta.Sha256)), "the verified delta is kept for the next run");
        Assert.Equal(["1.img", "1.manifest.json"], Directory.EnumerateFiles(appliance.Images).Select(Path.GetFileName).Order());
        Assert.Equal(before, await appliance.BootStateAsync());
    }

    [RootFact(Tools, "grub-editenv", "debugfs", "e2fsck")]
    public async Task Old_downloads_are_removed_before_free_space_is_checked()
    {
        await CreateApplianceAsync(onSmallFilesystem: true);
        var needed = published.SecondRelease.ImageSize + published.SecondRelease.Full!.Size;
        var available = host!.AvailableBytes;
        Assert.True(available > needed, $"{available} bytes free, {needed} needed");
        Directory.CreateDirectory(appliance.Downloaded);
        var stale = Path.Combine(appliance.Downloaded, new string('a', 64) + ".partial");
        await using (new FileStream(stale, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, PreallocationSize = available - needed + (4 << 20) }))
        {
        }
        await using var server = await FaultyRepositoryServer.StartAsync(repository, Certificates, new FaultyServerOptions());

        var stage = await appliance.RunAsync("stage", "--from", server.Address.ToString(), "--ca-cert", CaCertificate, "--reserve-mib", "0");

        Assert.True(stage.ExitCode == 0, stage.StandardError);
        Assert.False(File.Exists(stale));
        Assert.Equal(published.Second.Manifest.Sha256, await Sha256File.ComputeAsync(Path.Combine(appliance.Images, "2.img"), default));
    }

    [ToolFact(Tools, "grub-editenv")]
    public async Task Prune_removes_downloads_and_partial_images_left_behind()
    {
        await CreateApplianceAsync();
        Directory.CreateDirectory(appliance.Downloaded);
        var download = Path.Combine(appliance.Downloaded, new string('b', 64) + ".partial");
        await File.WriteAllTextAsync(download, "abandoned");
        await File.WriteAllTextAsync(Path.Combine(appliance.Images, "3.img.partial"), "abandoned");

        await appliance.SucceedAsync("prune");

        Assert.Empty(Directory.EnumerateFileSystemEntries(appliance.Downloaded));
        Assert.Equal(["1.img", "1.manifest.json"], Directory.EnumerateFiles(appliance.Images).Select(Path.GetFileName).Order());
    }

    [ToolFact(Tools, "grub-editenv")]
    public async Task After_a_rollback_to_an_image_with_an_older_root_the_newer_root_stays_trusted()
    {
        await CreateApplianceAsync();
        var attacker = await published.CopyRepositoryAsync(directory.File("attacker"));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("keygen", "--out", directory.Path, "--name", "second"));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("repo", "rotate-root", "--repo", repository, "--root-key", published.RootKey, "--release-key", directory.File("second.pem")));
        // Image 1 was built with root version 2 (the rotation, which revokes the first release key); the factory's copy is version 1.
        var rootInImage = Path.Combine(appliance.Root, TrustLocations.RootInImage);
        Directory.CreateDirectory(Path.GetDirectoryName(rootInImage)!);
        File.Copy(Path.Combine(repository, RepositoryLayout.RootPath(2)), rootInImage);
        await using (var genuine = await FaultyRepositoryServer.StartAsync(repository, Certificates, new FaultyServerOptions()))
        {
            await appliance.SucceedAsync("check", "--from", genuine.Address.ToString(), "--ca-cert", CaCertificate);
        }
        // A rollback to an older build that still has root version 1; then a mirror signs with the revoked key.
        File.Copy(Path.Combine(repository, RepositoryLayout.RootPath(1)), rootInImage, overwrite: true);
        for (var i = 0; i < 3; i++)
        {
            await Cli.SucceedAsync(Cli.ImageBuildAsync("repo", "sign", "--repo", attacker, "--key", published.Key));
        }
        await using var mirror = await FaultyRepositoryServer.StartAsync(attacker, Certificates, new FaultyServerOptions());

        var result = await appliance.RunAsync("check", "--from", mirror.Address.ToString(), "--ca-cert", CaCertificate);

        Assert.Equal((int)ExitCode.VerificationFailed, result.ExitCode);
        Assert.Contains("root version 2", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, RepositoryOnDisk.ReadRoot(Path.Combine(appliance.Host, TrustLocations.TrustDirectoryOnHost, TrustLocations.RootFileName)).Version);
    }

    private async Task CreateApplianceAsync(bool onSmallFilesystem = false)
    {
        if (onSmallFilesystem)
        {
            host = await SmallFilesystem.MountAsync(Path.Combine(directory.File("root"), "host"), 96);
        }
        appliance = await ApplianceRoot.CreateAsync(directory);
        appliance.ProvisionTrustRoot(repository);
    }
}
