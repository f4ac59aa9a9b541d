using System.Text;
using System.Text.Json;
using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.ImageBuild.Publishing;
using Appliance.Platform.Files;
using Appliance.Platform.Signing;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Upgradectl;

/// <summary>
/// <c>upgradectl check</c> and <c>stage --from</c> against a real distributor (or a misbehaving server with its
/// certificate) on 127.0.0.1 over HTTPS, with real ext4 images published by the real imagebuild.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class DownloadStageTests(PublishedReleases published) : IClassFixture<PublishedReleases>, IAsyncLifetime
{
    private const string Tools = "mke2fs";
    private readonly TempDirectory directory = new();
    private ApplianceRoot appliance = null!;
    private string repository = null!;

    private string Certificates => directory.File("certificates");

    private string CaCertificate => Path.Combine(Certificates, "distributor.crt.pem");

    public async Task InitializeAsync()
    {
        appliance = await ApplianceRoot.CreateAsync(directory);
        repository = await published.CopyRepositoryAsync(directory.File("repo"));
        appliance.ProvisionTrustRoot(repository);
    }

    [ToolFact(Tools, "grub-editenv", "debugfs", "e2fsck")]
    public async Task Stage_from_the_repository_downloads_only_the_delta_and_rebuilds_the_published_image()
    {
        appliance.ReplaceImage(published.First);
        await using var distributor = await RunningDistributor.StartAsync(repository, Certificates);

        var check = await appliance.SucceedAsync("check", "--from", distributor.Address.ToString(), "--ca-cert", CaCertificate, "--json");
        var stage = await appliance.SucceedAsync("stage", "--from", distributor.Address.ToString(), "--ca-cert", CaCertificate);

        using var report = JsonDocument.Parse(check.StandardOutput);
        Assert.Equal(("delta", 1, 2), (report.RootElement.GetProperty("download").GetString(), report.RootElement.GetProperty("delta_from").GetInt32(), report.RootElement.GetProperty("image_version").GetInt32()));
        Assert.Equal(published.Delta.Size, report.RootElement.GetProperty("download_bytes").GetInt64());
        Assert.True(published.Delta.Size * 4 < published.SecondRelease.Full!.Size, $"delta {published.Delta.Size} bytes, full {published.SecondRelease.Full!.Size}");
        Assert.Contains($"download: delta delta 1 -> 2, object {published.Delta.Size} bytes, received {published.Delta.Size} bytes", stage.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(published.Second.Manifest.Sha256, await Sha256File.ComputeAsync(Path.Combine(appliance.Images, "2.img"), default));
        Assert.Empty(Directory.EnumerateFileSystemEntries(appliance.Downloaded));
        Assert.Contains("\"stable\"", await File.ReadAllTextAsync(Path.Combine(appliance.Host, "var/lib/appliance/trust/seen-channels.json")), StringComparison.Ordinal);
    }

    [ToolFact(Tools, "grub-editenv", "debugfs", "e2fsck")]
    public async Task Stage_from_the_repository_falls_back_to_the_full_image_when_no_local_image_is_a_delta_base()
    {
        await using var distributor = await RunningDistributor.StartAsync(repository, Certificates);

        var stage = await appliance.SucceedAsync("stage", "--from", distributor.Address.ToString(), "--ca-cert", CaCertificate);

        var full = published.SecondRelease.Full!.Size;
        Assert.Contains($"download: full full image 2, object {full} bytes, received {full} bytes", stage.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(published.Second.Manifest.Sha256, await Sha256File.ComputeAsync(Path.Combine(appliance.Images, "2.img"), default));
    }

    [ToolFact(Tools, "grub-editenv", "debugfs", "e2fsck")]
    public async Task A_connection_cut_mid_download_is_resumed_with_a_range_from_where_it_stopped()
    {
        const long cutAfter = 1 << 20;
        await using var server = await StartFaultyServerAsync(ObjectFault.CutOnce, cutAfter);

        await appliance.SucceedAsync("stage", "--from", server.Address.ToString(), "--ca-cert", CaCertificate);

        var fullObject = RepositoryLayout.ObjectPath(published.SecondRelease.Full!.Sha256);
        Assert.Equal([null, cutAfter], server.ObjectRequests.Where(request => request.Path == fullObject).Select(request => request.RangeStart));
        Assert.Equal(published.Second.Manifest.Sha256, await Sha256File.ComputeAsync(Path.Combine(appliance.Images, "2.img"), default));
    }

    [ToolFact(Tools, "grub-editenv", "debugfs", "e2fsck")]
    public async Task Upgradectl_killed_mid_download_resumes_from_its_partial_file_on_the_next_run()
    {
        await using var server = await StartFaultyServerAsync(ObjectFault.None);
        string[] stage = ["stage", "--from", server.Address.ToString(), "--ca-cert", CaCertificate];

        var killed = await appliance.RunWithFaultAsync("stage.downloading-data", stage);
        var partial = Assert.Single(Directory.EnumerateFiles(appliance.Downloaded, "*.partial"));
        var kept = new FileInfo(partial).Length;
        await appliance.SucceedAsync(stage);

        Assert.NotEqual(0, killed.ExitCode);
        Assert.InRange(kept, 1, published.SecondRelease.Full!.Size - 1);
        Assert.Equal(kept, server.ObjectRequests[^1].RangeStart);
        Assert.Equal(published.Second.Manifest.Sha256, await Sha256File.ComputeAsync(Path.Combine(appliance.Images, "2.img"), default));
        Assert.Empty(Directory.EnumerateFileSystemEntries(appliance.Downloaded));
    }

    [ToolFact(Tools, "grub-editenv", "debugfs", "e2fsck")]
    public async Task A_stale_channel_served_with_a_fresh_timestamp_gives_way_to_the_edition_the_timestamp_names()
    {
        // What a cache does for up to its max-age after a publish, or an attacker replaying an unexpired older edition.
        var channel = Path.Combine(repository, RepositoryLayout.ChannelPath("stable"));
        var stale = await File.ReadAllBytesAsync(channel);
        await Cli.SucceedAsync(Cli.ImageBuildAsync("repo", "sign", "--repo", repository, "--key", published.Key));
        var current = RepositoryDocuments.ParseChannel(await File.ReadAllBytesAsync(channel), "channels/stable.json").Version;
        await File.WriteAllBytesAsync(channel, stale);
        await using var distributor = await RunningDistributor.StartAsync(repository, Certificates);

        var check = await appliance.SucceedAsync("check", "--from", distributor.Address.ToString(), "--ca-cert", CaCertificate, "--json");

        using var report = JsonDocument.Parse(check.StandardOutput);
        Assert.True(current > RepositoryDocuments.ParseChannel(stale, "stale").Version);
        Assert.Equal(current, report.RootElement.GetProperty("channel_version").GetInt32());
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "bad-signature", "bad signature from key" },
        // Signatures are asked for only under key ids the trusted root names: the forger's is never fetched.
        { "unknown-key", "root/2.json: no signature" },
        { "rollback", "refused as a rollback attack" },
        { "expired", "freeze attack" },
        { "expired-timestamp", "timestamp.json version" },
        { "longer-than-signed", "longer than its signed size" },
        { "sha256-mismatch", "but the signed metadata says" },
    };

    [ToolTheory(Tools, "grub-editenv", "debugfs", "e2fsck")]
    [MemberData(nameof(Refusals))]
    public async Task Stage_from_the_repository_refuses_and_leaves_the_appliance_as_it_was(string attack, string reason)
    {
        appliance.ReplaceImage(published.First);
        var before = await appliance.BootStateAsync();
        await using var distributor = await RunningDistributor.StartAsync(repository, Certificates);
        await PrepareAsync(attack, distributor);
        // A correct manifest, then the delta with more bytes than signed: refused at the object check itself.
        await using var server = attack == "longer-than-signed" ? await FaultyRepositoryServer.StartAsync(repository, Certificates, ObjectFault.LongerThanDeclared) : null;

        var result = await appliance.RunAsync("stage", "--from", (server?.Address ?? distributor.Address).ToString(), "--ca-cert", CaCertificate);

        Assert.Equal((int)ExitCode.VerificationFailed, result.ExitCode);
        Assert.Contains(reason, result.StandardError, StringComparison.Ordinal);
        Assert.Equal(["1.img", "1.manifest.json"], Directory.EnumerateFiles(appliance.Images).Select(Path.GetFileName).Order());
        Assert.Equal(published.First.Manifest.Sha256, await Sha256File.ComputeAsync(Path.Combine(appliance.Images, "1.img"), default));
        Assert.Equal(before, await appliance.BootStateAsync());
        Assert.False(Directory.Exists(appliance.Downloaded) && Directory.EnumerateFileSystemEntries(appliance.Downloaded).Any());
        if (server is not null)
        {
            Assert.Contains("delta 1 -> 2", result.StandardError, StringComparison.Ordinal);
            Assert.Contains(server.ObjectRequests, request => request.Path == RepositoryLayout.ObjectPath(published.Delta.Sha256));
        }
    }

    public Task DisposeAsync()
    {
        directory.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The faulty server uses the distributor's self-signed certificate, which the distributor makes on its first start.</summary>
    private async Task<FaultyRepositoryServer> StartFaultyServerAsync(ObjectFault fault, long cutAfter = 0)
    {
        await using (await RunningDistributor.StartAsync(repository, Certificates))
        {
        }
        return await FaultyRepositoryServer.StartAsync(repository, Certificates, fault, cutAfter);
    }

    private async Task PrepareAsync(string attack, RunningDistributor distributor)
    {
        var channel = Path.Combine(repository, RepositoryLayout.ChannelPath("stable"));
        switch (attack)
        {
            case "bad-signature":
                // A changed document served with the genuine signature of the original, under the name the appliance asks for.
                var genuine = RepositoryOnDisk.Fetch(repository, RepositoryLayout.ChannelPath("stable")).Signatures.Single();
                var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(await File.ReadAllBytesAsync(channel))
                    .Replace("\"image_size\": ", "\"image_size\": 1", StringComparison.Ordinal));
                await File.WriteAllBytesAsync(channel, tampered);
                await File.WriteAllBytesAsync(Path.Combine(repository, RepositoryLayout.SignaturePath(tampered, genuine.KeyId)), genuine.Der);
                break;
            case "unknown-key":
                using (var attacker = new InMemorySigner())
                {
                    var forged = RepositoryDocuments.Serialize(SignedDocuments.Root(2, attacker, attacker, DateTimeOffset.UtcNow.AddDays(30)));
                    await File.WriteAllBytesAsync(Path.Combine(repository, "root/2.json"), forged);
                    await File.WriteAllBytesAsync(Path.Combine(repository, RepositoryLayout.SignaturePath(forged, attacker.Id)), attacker.Sign(forged));
                }
                break;
            case "rollback":
                var old = directory.File("old-channel");
                await published.CopyRepositoryAsync(old);
                await Cli.SucceedAsync(Cli.ImageBuildAsync("repo", "sign", "--repo", repository, "--key", published.Key));
                await appliance.SucceedAsync("check", "--from", distributor.Address.ToString(), "--ca-cert", CaCertificate);
                // The whole older state replayed: the channel and the timestamp that named it.
                foreach (var file in Directory.EnumerateFiles(Path.Combine(old, "channels")))
                {
                    File.Copy(file, Path.Combine(repository, "channels", Path.GetFileName(file)), overwrite: true);
                }
                File.Copy(Path.Combine(old, RepositoryLayout.TimestampPath), Path.Combine(repository, RepositoryLayout.TimestampPath), overwrite: true);
                break;
            case "expired-timestamp":
                var yesterday = new RepositoryWriter(repository, new FixedClock(DateTimeOffset.UtcNow.AddHours(-25)));
                await yesterday.SignTimestampAsync(new KeyFileSigner(published.Key), CancellationToken.None);
                break;
            case "expired":
                var lastMonth = new RepositoryWriter(repository, new FixedClock(DateTimeOffset.UtcNow.AddDays(-60)));
                await lastMonth.SignChannelAsync("stable", new KeyFileSigner(published.Key), TimeSpan.FromDays(30), CancellationToken.None);
                break;
            case "sha256-mismatch":
                var delta = Path.Combine(repository, RepositoryLayout.ObjectPath(published.Delta.Sha256));
                var bytes = await File.ReadAllBytesAsync(delta);
                bytes[^100] ^= 0xff;
                await File.WriteAllBytesAsync(delta, bytes);
                break;
        }
    }
}
