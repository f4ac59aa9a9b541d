using Appliance.Core.Repository;
using Appliance.Core.Zfs;
using Appliance.ImageBuild.Publishing;
using Appliance.Platform.Cli;
using Appliance.Platform.Files;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration;

/// <summary>imagebuild publish with ZFS streams: listed in the signed channel, objects that rebuild the image.</summary>
[Collection(SerialCollection.Name)]
public sealed class ZfsPublishTests : IDisposable
{
    private static readonly TimeSpan Month = TimeSpan.FromDays(30);
    private readonly TempDirectory directory = new();
    private readonly InMemorySigner rootKey = new();
    private readonly InMemorySigner key = new();
    private readonly RepositoryWriter writer;

    public ZfsPublishTests()
    {
        writer = new RepositoryWriter(directory.File("repo"), TimeProvider.System);
    }

    [ToolFact("zstd")]
    public async Task Publishing_with_zfs_streams_lists_a_full_stream_and_incrementals_from_the_recent_releases_in_the_signed_channel()
    {
        await writer.InitAsync(new RootKeySet([rootKey], [], 1), key, "stable", TimeSpan.FromDays(365), Month, CancellationToken.None);
        var publisher = new ImagePublisher(writer, Logging.Progress);
        var earlier = new List<string>();
        foreach (var version in new[] { 5, 6 })
        {
            earlier.Add(await FakeImage.WriteAsync(directory.Path, version));
            await publisher.PublishAsync(earlier[^1], [], 0, "stable", key, Month, CancellationToken.None, zfsStreams: true);
        }
        var ci = directory.File("ci");
        Directory.CreateDirectory(ci);
        var image = await FakeImage.WriteAsync(ci, 7);

        var release = await publisher.PublishAsync(image, [], 2, "stable", key, Month, CancellationToken.None, zfsStreams: true);

        var listed = RepositoryOnDisk.VerifyAsNewAppliance(writer.Directory).Channel.Find(7)!;
        Assert.Equal(release.ZfsFull, listed.ZfsFull);
        var full = listed.ZfsFull!;
        Assert.Equal((ZfsSnapshotGuid.ForImage(release.ImageSha256), ZfsStreamFormat.VolBlockSize), (full.SnapshotGuid, full.VolBlockSize));
        Assert.Equal([5, 6], listed.ZfsIncrementals!.Select(stream => stream.FromVersion));
        Assert.Equal(release.ImageSha256, Rebuild(full.Sha256, null, listed));
        foreach (var stream in listed.ZfsIncrementals!)
        {
            var baseImage = earlier[stream.FromVersion - 5];
            var baseSha256 = await Sha256File.ComputeAsync(baseImage, CancellationToken.None);
            Assert.Equal((baseSha256, ZfsSnapshotGuid.ForImage(baseSha256)), (stream.FromImageSha256, stream.FromGuid));
            Assert.Equal(release.ImageSha256, Rebuild(stream.Sha256, baseImage, listed));
        }
    }

    [ToolFact("zstd")]
    public async Task Publishing_again_without_streams_keeps_the_streams_already_listed()
    {
        await writer.InitAsync(new RootKeySet([rootKey], [], 1), key, "stable", TimeSpan.FromDays(365), Month, CancellationToken.None);
        var publisher = new ImagePublisher(writer, Logging.Progress);
        var image = await FakeImage.WriteAsync(directory.Path, 6);
        var first = await publisher.PublishAsync(image, [], 0, "stable", key, Month, CancellationToken.None, zfsStreams: true);

        await publisher.PublishAsync(image, [], 0, "stable", key, Month, CancellationToken.None);

        Assert.Equal(first.ZfsFull, RepositoryOnDisk.VerifyAsNewAppliance(writer.Directory).Channel.Find(6)!.ZfsFull);
    }

    private string Rebuild(string streamSha256, string? baseImage, ReleaseEntry release)
    {
        using var stream = File.OpenRead(Path.Combine(writer.Directory, RepositoryLayout.ObjectPath(streamSha256)));
        using var baseBytes = baseImage is null ? null : File.OpenRead(baseImage);
        var rebuilt = directory.File($"rebuilt-{streamSha256[..8]}.img");
        using var destination = new FileStream(rebuilt, FileMode.CreateNew, FileAccess.ReadWrite);
        var expected = new ZfsApplyExpectations(release.ImageSize, release.ImageSha256, ZfsSnapshotGuid.ForImage(release.ImageSha256),
            baseBytes is null ? null : ZfsSnapshotGuid.ForImage(Sha256File.ComputeAsync(baseImage!, CancellationToken.None).Result));
        ZfsStreamApplier.Apply(stream, baseBytes, destination, expected, CancellationToken.None);
        destination.Position = 0;
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(destination));
    }

    public void Dispose()
    {
        key.Dispose();
        directory.Dispose();
    }
}
