using System.Diagnostics;
using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Platform.Processes;
using Appliance.Platform.Signing;
using Appliance.Tests.Support;
using Appliance.Upgradectl.Download;

namespace Appliance.Tests.Integration.Upgradectl;

/// <summary>
/// upgradectl against servers that trickle, stall, serve endless root chains or present the wrong certificate (real
/// Kestrel HTTPS on 127.0.0.1): it gives up within its deadlines (shortened here through
/// <see cref="NetworkDeadlines.Variable"/>) with a clear error, keeps what it downloaded, and leaves the host lock free.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class HostileServerTests(PublishedReleases published) : IClassFixture<PublishedReleases>, IAsyncLifetime
{
    private const string Tools = "mke2fs";
    private static readonly Dictionary<string, string?> ShortDeadlines = new()
    {
        [NetworkDeadlines.Variable] = "headers=5,metadata=6,window=2,window-bytes=4096,retry-delay=0.1",
    };

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

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
        // The distributor makes the self-signed certificate the faulty servers present.
        await using (await RunningDistributor.StartAsync(repository, Certificates))
        {
        }
    }

    public Task DisposeAsync()
    {
        directory.Dispose();
        return Task.CompletedTask;
    }

    [ToolTheory(Tools, "grub-editenv")]
    [InlineData(MetadataFault.Trickle)]
    [InlineData(MetadataFault.StallAfterHeaders)]
    public async Task A_channel_that_trickles_or_stalls_after_its_headers_gives_up_within_the_metadata_deadlines(MetadataFault fault)
    {
        await using var server = await FaultyRepositoryServer.StartAsync(repository, Certificates, new FaultyServerOptions(Metadata: fault));

        var clock = Stopwatch.StartNew();
        var result = await appliance.RunWithinAsync(Limit, ShortDeadlines, "check", "--from", server.Address.ToString(), "--ca-cert", CaCertificate);

        Assert.True(result.ExitCode == (int)ExitCode.DownloadFailed, result.StandardError);
        Assert.True(result.StandardError.Contains("channels/stable.json: the server sent fewer than 4096 bytes in 2 s", StringComparison.Ordinal), result.StandardError);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(15));
        await AssertHostLockFreeAsync();
    }

    [ToolTheory(Tools, "grub-editenv", "debugfs", "e2fsck")]
    [InlineData(ObjectFault.Trickle)]
    [InlineData(ObjectFault.StallAfterHeaders)]
    public async Task An_object_that_trickles_or_stalls_after_its_headers_gives_up_within_its_deadlines_and_keeps_the_partial_download(ObjectFault fault)
    {
        await using var server = await FaultyRepositoryServer.StartAsync(repository, Certificates, new FaultyServerOptions(fault));

        var clock = Stopwatch.StartNew();
        var result = await appliance.RunWithinAsync(Limit, ShortDeadlines, "stage", "--from", server.Address.ToString(), "--ca-cert", CaCertificate);

        Assert.Equal((int)ExitCode.DownloadFailed, result.ExitCode);
        Assert.Contains("failed 5 times", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("fewer than 4096 bytes in 2 s", result.StandardError, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        Assert.Equal(5, server.ObjectRequests.Count(request => request.Path == RepositoryLayout.ObjectPath(published.SecondRelease.Full!.Sha256)));
        var partial = Assert.Single(Directory.EnumerateFiles(appliance.Downloaded, "*.partial"));
        Assert.Equal(fault == ObjectFault.Trickle, new FileInfo(partial).Length > 0);
        Assert.False(File.Exists(Path.Combine(appliance.Images, "2.img")));
        await AssertHostLockFreeAsync();
    }

    [ToolFact(Tools, "grub-editenv")]
    public async Task An_endless_chain_of_unsigned_roots_is_refused_at_the_first_without_asking_for_signatures_of_keys_nobody_trusts()
    {
        await using var server = await FaultyRepositoryServer.StartAsync(repository, Certificates, new FaultyServerOptions(Metadata: MetadataFault.EndlessRootChain));
        var trustedKey = RepositoryOnDisk.FirstRoot(repository).Roles.Root.KeyIds.Single();

        var result = await appliance.RunWithinAsync(Limit, ShortDeadlines, "check", "--from", server.Address.ToString(), "--ca-cert", CaCertificate);

        Assert.True(result.ExitCode == (int)ExitCode.VerificationFailed, result.StandardError);
        Assert.Contains("root/2.json", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(["root/2.json"], server.Requests.Where(request => request.Path.StartsWith("root/", StringComparison.Ordinal)).Select(request => request.Path));
        var signatures = server.Requests.Where(request => request.Path.StartsWith("signatures/", StringComparison.Ordinal)).ToList();
        Assert.Equal([trustedKey], signatures.Select(request => request.Path.Split('.')[1]));
        await AssertHostLockFreeAsync();
    }

    [ToolFact(Tools, "grub-editenv")]
    public async Task An_endless_chain_of_signed_roots_is_walked_at_most_32_versions_per_check()
    {
        var signer = new KeyFileSigner(published.RootKey);
        var first = RepositoryOnDisk.FirstRoot(repository);
        await using var server = await FaultyRepositoryServer.StartAsync(repository, Certificates, new FaultyServerOptions(MakeRoot: async version =>
        {
            var content = RepositoryDocuments.Serialize(first with { Version = version });
            await File.WriteAllBytesAsync(Path.Combine(repository, RepositoryLayout.RootPath(version)), content);
            var signature = Path.Combine(repository, RepositoryLayout.SignaturePath(content, first.Roles.Root.KeyIds.Single()));
            Directory.CreateDirectory(Path.GetDirectoryName(signature)!);
            await File.WriteAllBytesAsync(signature, await signer.SignAsync(content, CancellationToken.None));
        }));

        var firstCheck = await appliance.RunWithinAsync(Limit, ShortDeadlines, "check", "--from", server.Address.ToString(), "--ca-cert", CaCertificate);
        Assert.True(firstCheck.ExitCode == 0, firstCheck.StandardError);
        var afterFirst = RootRequests(server);
        var second = await appliance.RunWithinAsync(Limit, ShortDeadlines, "check", "--from", server.Address.ToString(), "--ca-cert", CaCertificate);

        Assert.Equal(RepositoryClient.MaxRootSteps, afterFirst);
        Assert.Equal(2 * RepositoryClient.MaxRootSteps, RootRequests(server));
        Assert.True(second.ExitCode == 0, second.StandardError);
        Assert.Equal(1 + (2 * RepositoryClient.MaxRootSteps), RepositoryOnDisk.ReadRoot(Path.Combine(appliance.Host, "var/lib/appliance/trust/root.json")).Version);
    }

    [ToolFact(Tools, "grub-editenv", "openssl")]
    public async Task A_server_with_another_certificate_than_the_pinned_one_is_refused()
    {
        var other = directory.File("other");
        Directory.CreateDirectory(other);
        await ProcessRunner.RunAsync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", Path.Combine(other, "distributor.key.pem"), "-out", Path.Combine(other, "distributor.crt.pem")]);
        await using var impostor = await FaultyRepositoryServer.StartAsync(repository, other, new FaultyServerOptions());

        var result = await appliance.RunWithinAsync(Limit, ShortDeadlines, "check", "--from", impostor.Address.ToString(), "--ca-cert", CaCertificate);

        Assert.Equal((int)ExitCode.DownloadFailed, result.ExitCode);
        Assert.Contains("SSL", result.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(impostor.Requests);
    }

    [ToolFact(Tools, "grub-editenv")]
    public async Task A_root_rotation_is_verified_with_signatures_of_the_old_and_new_root_keys_and_the_timestamp_and_channel_with_the_new_release_key_only()
    {
        var oldKey = RepositoryOnDisk.FirstRoot(repository).Roles.Root.KeyIds.Single();
        await Cli.SucceedAsync(Cli.ImageBuildAsync("keygen", "--out", directory.Path, "--name", "second"));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("keygen", "--out", directory.Path, "--name", "second-release"));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("repo", "rotate-root", "--repo", repository, "--root-key", published.RootKey,
            "--new-root-key", directory.File("second.pem"), "--release-key", directory.File("second-release.pem")));
        var rootTwoDocument = RepositoryOnDisk.ReadRoot(Path.Combine(repository, RepositoryLayout.RootPath(2)));
        var newKey = rootTwoDocument.Roles.Root.KeyIds.Single();
        var releaseKey = rootTwoDocument.Roles.Channels.KeyIds.Single();
        await using var server = await FaultyRepositoryServer.StartAsync(repository, Certificates, new FaultyServerOptions());

        await Cli.SucceedAsync(appliance.RunWithinAsync(Limit, ShortDeadlines, "check", "--from", server.Address.ToString(), "--ca-cert", CaCertificate));

        var rootTwo = await File.ReadAllBytesAsync(Path.Combine(repository, RepositoryLayout.RootPath(2)));
        var channel = await File.ReadAllBytesAsync(Path.Combine(repository, RepositoryLayout.ChannelPath("stable")));
        var timestamp = await File.ReadAllBytesAsync(Path.Combine(repository, RepositoryLayout.TimestampPath));
        var asked = server.Requests.Select(request => request.Path).Where(path => path.StartsWith("signatures/", StringComparison.Ordinal)).ToList();
        Assert.NotEqual(oldKey, newKey);
        Assert.Equal(
            [RepositoryLayout.SignaturePath(rootTwo, oldKey), RepositoryLayout.SignaturePath(rootTwo, newKey),
             RepositoryLayout.SignaturePath(timestamp, releaseKey), RepositoryLayout.SignaturePath(channel, releaseKey)],
            asked);
    }

    [ToolFact(Tools, "grub-editenv")]
    public async Task The_health_verdict_does_not_wait_for_a_stage_stuck_on_a_stalled_download()
    {
        await using var server = await FaultyRepositoryServer.StartAsync(repository, Certificates, new FaultyServerOptions(ObjectFault.StallAfterHeaders));
        // Production deadlines: the stage stays stuck in the download for a long time.
        var stage = appliance.RunWithinAsync(TimeSpan.FromSeconds(40), new Dictionary<string, string?>(),
            "stage", "--from", server.Address.ToString(), "--ca-cert", CaCertificate);
        var fullObject = RepositoryLayout.ObjectPath(published.SecondRelease.Full!.Sha256);
        for (var waited = 0; waited < 200 && server.ObjectRequests.All(request => request.Path != fullObject); waited++)
        {
            await Task.Delay(100);
        }
        Assert.Contains(server.ObjectRequests, request => request.Path == fullObject);

        var clock = Stopwatch.StartNew();
        var verdict = await appliance.RunWithinAsync(TimeSpan.FromSeconds(30), new Dictionary<string, string?>(), "mark-good", "--wait", "3");

        // Waiting for the host lock would end in exit 14 after --wait 3; the bound only allows for a slow process start.
        Assert.True(verdict.ExitCode == 0, verdict.StandardError);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(20));
        Assert.False(stage.IsCompleted);
        await Assert.ThrowsAnyAsync<Exception>(() => stage);
    }

    private static int RootRequests(FaultyRepositoryServer server) =>
        server.Requests.Count(request => request.Path.StartsWith("root/", StringComparison.Ordinal) && request.Path != RepositoryLayout.RootPath(1));

    private async Task AssertHostLockFreeAsync()
    {
        var prune = await appliance.RunAsync("prune", "--wait", "0");
        Assert.True(prune.ExitCode == 0, prune.StandardError);
    }
}
