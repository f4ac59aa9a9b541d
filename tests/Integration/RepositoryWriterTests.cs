using System.Security.Cryptography;
using Appliance.Core.Delta;
using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.ImageBuild.Publishing;
using Appliance.Platform.Cli;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration;

/// <summary>Repositories written on disk, checked with the appliance's verifier.</summary>
[Collection(SerialCollection.Name)]
public sealed class RepositoryWriterTests : IDisposable
{
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);
    private static readonly TimeSpan Month = TimeSpan.FromDays(30);
    private readonly TempDirectory directory = new();
    private readonly InMemorySigner rootKey = new();
    private readonly InMemorySigner key = new();
    private readonly InMemorySigner newKey = new();
    private readonly RepositoryWriter writer;

    public RepositoryWriterTests()
    {
        writer = new RepositoryWriter(directory.File("repo"), TimeProvider.System);
    }

    [Fact]
    public async Task A_new_repository_verifies_against_its_own_first_root_and_has_an_empty_channel()
    {
        await writer.InitAsync(new RootKeySet([rootKey], [], 1), key, "stable", Year, Month, CancellationToken.None);

        var verified = RepositoryOnDisk.VerifyAsNewAppliance(writer.Directory);

        Assert.Equal(1, verified.Root.Version);
        Assert.Empty(verified.Channel.Releases);
        await Assert.ThrowsAsync<ApplianceException>(() => writer.InitAsync(new RootKeySet([rootKey], [], 1), key, "stable", Year, Month, CancellationToken.None));
    }

    [Fact]
    public async Task A_new_release_key_signed_in_by_the_root_key_is_accepted_by_an_appliance_that_only_trusts_the_first_root()
    {
        await writer.InitAsync(new RootKeySet([rootKey], [], 1), key, "stable", Year, Month, CancellationToken.None);

        await writer.RotateRootAsync([rootKey], null, newKey, Year, Month, CancellationToken.None);

        var verified = RepositoryOnDisk.VerifyAsNewAppliance(writer.Directory);
        Assert.Equal(2, verified.Root.Version);
        Assert.Equal([newKey.Id], verified.Root.Roles.Channels.KeyIds);
        Assert.Equal([newKey.Id], verified.Root.Roles.Timestamp.KeyIds);
        Assert.Equal([rootKey.Id], verified.Root.Roles.Root.KeyIds);
        Assert.Equal(2, verified.Channel.Version);
        Assert.Equal([newKey.Id], RepositoryOnDisk.Fetch(writer.Directory, "channels/stable.json").Signatures.Select(signature => signature.KeyId));
        Assert.Equal([newKey.Id], RepositoryOnDisk.Fetch(writer.Directory, RepositoryLayout.TimestampPath).Signatures.Select(signature => signature.KeyId));
    }

    [Fact]
    public async Task The_release_key_alone_cannot_make_a_new_root()
    {
        await writer.InitAsync(new RootKeySet([rootKey], [], 1), key, "stable", Year, Month, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ApplianceException>(() => writer.RotateRootAsync([key], null, newKey, Year, Month, CancellationToken.None));

        Assert.Equal(ExitCode.VerificationFailed, error.ExitCode);
        Assert.Contains($"signed only by key(s) {key.Id}, which may not sign roots", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(writer.Directory, RepositoryLayout.RootPath(2))));
    }

    [Fact]
    public async Task The_release_key_cannot_also_be_a_root_key()
    {
        var error = await Assert.ThrowsAsync<ApplianceException>(() =>
            writer.InitAsync(new RootKeySet([rootKey, key], [], 1), key, "stable", Year, Month, CancellationToken.None));

        Assert.Equal(ExitCode.InvalidInput, error.ExitCode);
        Assert.False(File.Exists(Path.Combine(writer.Directory, RepositoryLayout.RootPath(1))));
    }

    [Fact]
    public async Task Two_of_three_root_keys_rotate_the_root_keys_and_one_alone_cannot()
    {
        using var second = new InMemorySigner();
        using var third = new InMemorySigner();
        using var replacement = new InMemorySigner();
        await writer.InitAsync(new RootKeySet([rootKey, second], [third.PublicKey], 2), key, "stable", Year, Month, CancellationToken.None);
        var newRootKeys = new RootKeySet([replacement, second], [third.PublicKey], 2);

        var alone = await Assert.ThrowsAsync<ApplianceException>(() => writer.RotateRootAsync([rootKey], newRootKeys with { Signers = [replacement] }, null, Year, Month, CancellationToken.None));
        await writer.RotateRootAsync([rootKey], newRootKeys, null, Year, Month, CancellationToken.None);

        Assert.Contains("1 of the 2 signatures needed are valid", alone.Message, StringComparison.Ordinal);
        var verified = RepositoryOnDisk.VerifyAsNewAppliance(writer.Directory);
        Assert.Equal(2, verified.Root.Version);
        Assert.Equal([replacement.Id, second.Id, third.Id], verified.Root.Roles.Root.KeyIds);
        Assert.Equal(2, verified.Root.Roles.Root.Threshold);
        Assert.Equal([key.Id], verified.Root.Roles.Channels.KeyIds);
    }

    [Fact]
    public async Task Every_channel_change_and_the_scheduled_re_signing_write_a_short_lived_timestamp_naming_the_current_edition()
    {
        var hourly = new RepositoryWriter(writer.Directory, TimeProvider.System, TimeSpan.FromHours(6));
        await hourly.InitAsync(new RootKeySet([rootKey], [], 1), key, "stable", Year, Month, CancellationToken.None);
        await hourly.SignChannelAsync("stable", key, Month, CancellationToken.None);

        var timestamp = await hourly.SignTimestampAsync(key, CancellationToken.None);

        Assert.Equal(3, timestamp.Version);
        Assert.InRange(timestamp.Expires, DateTimeOffset.UtcNow.AddHours(5.9), DateTimeOffset.UtcNow.AddHours(6));
        var channel = await File.ReadAllBytesAsync(Path.Combine(writer.Directory, "channels/stable.json"));
        Assert.Equal(new ChannelSnapshot("stable", 2, Convert.ToHexStringLower(SHA256.HashData(channel)), channel.Length), timestamp.Channels.Single());
        Assert.Equal(3, RepositoryOnDisk.VerifyAsNewAppliance(writer.Directory).Timestamp.Version);
        var notRelease = await Assert.ThrowsAsync<ApplianceException>(() => hourly.SignTimestampAsync(rootKey, CancellationToken.None));
        Assert.Contains("may not sign the timestamp", notRelease.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rotation_without_the_current_root_key_is_refused()
    {
        await writer.InitAsync(new RootKeySet([rootKey], [], 1), key, "stable", Year, Month, CancellationToken.None);

        await Assert.ThrowsAsync<ApplianceException>(() => writer.RotateRootAsync([newKey], new RootKeySet([newKey], [], 1), null, Year, Month, CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(writer.Directory, RepositoryLayout.RootPath(2))));
    }

    [Fact]
    public async Task Signing_a_channel_raises_its_version_so_the_older_copy_becomes_a_rollback()
    {
        await writer.InitAsync(new RootKeySet([rootKey], [], 1), key, "stable", Year, TimeSpan.FromDays(1), CancellationToken.None);
        var first = RepositoryOnDisk.Fetch(writer.Directory, "channels/stable.json");

        await writer.SignChannelAsync("stable", key, Month, CancellationToken.None);

        var verified = RepositoryOnDisk.VerifyAsNewAppliance(writer.Directory);
        Assert.Equal(2, verified.Channel.Version);
        Assert.True(verified.Channel.Expires > DateTimeOffset.UtcNow.AddDays(29));
        Assert.Throws<ApplianceException>(() =>
            RepositoryVerifier.VerifyChannel(verified.Root, "stable", first, verified.Channel.Version, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task A_channel_signed_with_a_key_the_root_does_not_allow_is_not_written()
    {
        await writer.InitAsync(new RootKeySet([rootKey], [], 1), key, "stable", Year, Month, CancellationToken.None);
        var before = await File.ReadAllBytesAsync(Path.Combine(writer.Directory, "channels/stable.json"));

        var error = await Assert.ThrowsAsync<ApplianceException>(() => writer.SignChannelAsync("stable", newKey, Month, CancellationToken.None));

        Assert.Equal(ExitCode.VerificationFailed, error.ExitCode);
        Assert.Equal(before, await File.ReadAllBytesAsync(Path.Combine(writer.Directory, "channels/stable.json")));
    }

    [Fact]
    public async Task An_object_is_stored_once_under_its_sha256_and_never_rewritten()
    {
        var file = directory.File("payload");
        await File.WriteAllBytesAsync(file, [.. Enumerable.Range(0, 100_000).Select(i => (byte)(i * 31))]);

        var first = await writer.AddObjectAsync(file, CancellationToken.None);
        var stored = Path.Combine(writer.Directory, RepositoryLayout.ObjectPath(first.Sha256));
        var written = new FileInfo(stored).LastWriteTimeUtc;
        var second = await writer.AddObjectAsync(file, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(await Sha256Of(file), first.Sha256);
        Assert.Equal(written, new FileInfo(stored).LastWriteTimeUtc);
        Assert.Single(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(stored)!));
    }

    [ToolFact("zstd")]
    public async Task Publishing_an_image_adds_its_zstd_object_its_manifest_and_a_signed_release()
    {
        await writer.InitAsync(new RootKeySet([rootKey], [], 1), key, "stable", Year, Month, CancellationToken.None);
        var image = await FakeImage.WriteAsync(directory.Path, 7);

        var release = await new ImagePublisher(writer, Logging.Progress).PublishAsync(image, [], 3, "stable", key, Month, CancellationToken.None);

        var verified = RepositoryOnDisk.VerifyAsNewAppliance(writer.Directory);
        var listed = verified.Channel.Releases.Single();
        Assert.Equal((7, release.Full, release.Manifest), (listed.ImageVersion, listed.Full, listed.Manifest));
        Assert.Equal(await Sha256Of(image), release.ImageSha256);
        var restored = directory.File("restored.img");
        await ProcessRunner.RunAsync("zstd", ["-d", "-q", "-o", restored, Path.Combine(writer.Directory, RepositoryLayout.ObjectPath(release.Full!.Sha256))]);
        Assert.Equal(release.ImageSha256, await Sha256Of(restored));
        Assert.Equal(await File.ReadAllBytesAsync(directory.File("7.manifest.json")),
            await File.ReadAllBytesAsync(Path.Combine(writer.Directory, RepositoryLayout.ObjectPath(release.Manifest.Sha256))));
        Assert.Equal([RepositoryLayout.WriterLock], Directory.EnumerateFileSystemEntries(writer.Directory, ".*").Select(Path.GetFileName));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(writer.Directory, RepositoryLayout.ObjectsDirectory), ".*"));
    }

    [Fact]
    public async Task Publishing_with_a_delta_base_adds_a_signed_delta_that_rebuilds_the_image_from_that_base()
    {
        await writer.InitAsync(new RootKeySet([rootKey], [], 1), key, "stable", Year, Month, CancellationToken.None);
        var first = await FakeImage.WriteAsync(directory.Path, 6);
        var second = await FakeImage.WriteAsync(directory.Path, 7);

        var release = await new ImagePublisher(writer, Logging.Progress).PublishAsync(second, [first], 0, "stable", key, Month, CancellationToken.None);

        var delta = Assert.Single(RepositoryOnDisk.VerifyAsNewAppliance(writer.Directory).Channel.Releases.Single().Deltas);
        Assert.Equal((6, await Sha256Of(first)), (delta.FromVersion, delta.FromImageSha256));
        Assert.Equal(release.ImageSha256, await RebuiltSha256(delta, first));
    }

    [Fact]
    public async Task Publishing_makes_deltas_from_the_newest_earlier_versions_unpacked_from_the_repository()
    {
        await writer.InitAsync(new RootKeySet([rootKey], [], 1), key, "stable", Year, Month, CancellationToken.None);
        var publisher = new ImagePublisher(writer, Logging.Progress);
        var earlier = new List<string>();
        foreach (var version in new[] { 4, 5, 6 })
        {
            earlier.Add(await FakeImage.WriteAsync(directory.Path, version));
            await publisher.PublishAsync(earlier[^1], [], 0, "stable", key, Month, CancellationToken.None);
        }
        // CI kept none of them: only the repository has their bytes.
        var images = directory.File("ci");
        Directory.CreateDirectory(images);
        var image = await FakeImage.WriteAsync(images, 7);

        var release = await publisher.PublishAsync(image, [], 2, "stable", key, Month, CancellationToken.None);

        var listed = RepositoryOnDisk.VerifyAsNewAppliance(writer.Directory).Channel.Find(7)!;
        Assert.Equal([5, 6], listed.Deltas.Select(delta => delta.FromVersion));
        Assert.Equal(listed.Deltas, release.Deltas);
        foreach (var delta in listed.Deltas)
        {
            Assert.Equal(release.ImageSha256, await RebuiltSha256(delta, earlier[delta.FromVersion - 4]));
        }
        Assert.Empty(Directory.EnumerateDirectories(writer.Directory, ".publish-*"));
    }

    [Fact]
    public async Task An_earlier_version_whose_full_object_is_damaged_is_not_used_as_a_delta_base()
    {
        await writer.InitAsync(new RootKeySet([rootKey], [], 1), key, "stable", Year, Month, CancellationToken.None);
        var publisher = new ImagePublisher(writer, Logging.Progress);
        var first = await publisher.PublishAsync(await FakeImage.WriteAsync(directory.Path, 6), [], 0, "stable", key, Month, CancellationToken.None);
        var channelBefore = await File.ReadAllBytesAsync(Path.Combine(writer.Directory, "channels/stable.json"));
        await using (var damaged = new FileStream(Path.Combine(writer.Directory, RepositoryLayout.ObjectPath(first.Full!.Sha256)), FileMode.Open, FileAccess.Write))
        {
            damaged.Seek(damaged.Length / 2, SeekOrigin.Begin);
            damaged.Write(new byte[64]);
        }

        var image = await FakeImage.WriteAsync(directory.Path, 7);

        var error = await Assert.ThrowsAsync<ApplianceException>(() => publisher.PublishAsync(image, [], 3, "stable", key, Month, CancellationToken.None));

        Assert.Equal(ExitCode.VerificationFailed, error.ExitCode);
        Assert.Contains("version 6", error.Message, StringComparison.Ordinal);
        Assert.Equal(channelBefore, await File.ReadAllBytesAsync(Path.Combine(writer.Directory, "channels/stable.json")));
    }

    [Fact]
    public async Task A_release_waits_for_the_writer_lock_and_is_signed_on_top_of_what_the_holder_wrote()
    {
        await writer.InitAsync(new RootKeySet([rootKey], [], 1), key, "stable", Year, Month, CancellationToken.None);
        var publisher = new ImagePublisher(writer, Logging.Progress);
        Task<ReleaseEntry> waiting;
        using (await Platform.Files.FileLock.TryAcquireAsync(Path.Combine(writer.Directory, RepositoryLayout.WriterLock), TimeSpan.Zero, CancellationToken.None))
        {
            waiting = publisher.PublishAsync(await FakeImage.WriteAsync(directory.Path, 7), [], 0, "stable", key, Month, CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.False(waiting.IsCompleted);
            Assert.Empty(RepositoryOnDisk.VerifyAsNewAppliance(writer.Directory).Channel.Releases);
        }

        await waiting;

        Assert.Equal(7, RepositoryOnDisk.VerifyAsNewAppliance(writer.Directory).Channel.Releases.Single().ImageVersion);
    }

    [Fact]
    public async Task An_image_that_does_not_match_its_manifest_is_not_published()
    {
        await writer.InitAsync(new RootKeySet([rootKey], [], 1), key, "stable", Year, Month, CancellationToken.None);
        var image = await FakeImage.WriteAsync(directory.Path, 7);
        await File.AppendAllTextAsync(image, "changed after the build");

        var error = await Assert.ThrowsAsync<ApplianceException>(() =>
            new ImagePublisher(writer, Logging.Progress).PublishAsync(image, [], 3, "stable", key, Month, CancellationToken.None));

        Assert.Equal(ExitCode.VerificationFailed, error.ExitCode);
    }

    public void Dispose()
    {
        rootKey.Dispose();
        key.Dispose();
        newKey.Dispose();
        directory.Dispose();
    }

    private async Task<string> RebuiltSha256(DeltaObject delta, string baseImagePath)
    {
        await using var deltaObject = File.OpenRead(Path.Combine(writer.Directory, RepositoryLayout.ObjectPath(delta.Sha256)));
        await using var baseImage = File.OpenRead(baseImagePath);
        using var rebuilt = new MemoryStream();
        DeltaApplier.Apply(deltaObject, baseImage, rebuilt, CancellationToken.None);
        return Convert.ToHexStringLower(SHA256.HashData(rebuilt.ToArray()));
    }

    private static Task<string> Sha256Of(string path) => Platform.Files.Sha256File.ComputeAsync(path, CancellationToken.None);
}
