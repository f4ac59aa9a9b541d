using Appliance.Core.Delta;
using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Platform.Cli;
using Appliance.Platform.Files;

namespace Appliance.ImageBuild.Publishing;

/// <summary>
/// Publishes a built image (<c>N.img</c> and <c>N.manifest.json</c> beside it) into a channel: the compressed image,
/// the manifest and deltas as objects, then the release entry, signed. Deltas come from the earlier images given
/// and from the <c>recentBases</c> newest earlier versions of the channel, which are unpacked from the repository's
/// own full objects, so CI needs to keep no old image. Deltas already listed for the version are kept. With
/// <c>zfsStreams</c>, ZFS send streams of the zvol holding the image are added too (docs/zfs-streams.md): a full one
/// and an incremental from each of the same bases. With <c>zfsStreamsOnly</c> they are the only image objects: no
/// full object, no deltas (a repository whose operator serves ZFS streams only).
/// </summary>
/// <param name="fullLevel">zstd level of the full object (<see cref="FullImageCompressor.DefaultLevel"/> unless the publisher trades size for time).</param>
public sealed class ImagePublisher(RepositoryWriter repository, IStepProgress progress, int fullLevel = FullImageCompressor.DefaultLevel)
{
    public async Task<ReleaseEntry> PublishAsync(
        string image, IReadOnlyList<string> deltaBases, int recentBases, string channel, ISigner signer, TimeSpan lifetime, CancellationToken cancellationToken,
        bool zfsStreams = false, bool zfsStreamsOnly = false)
    {
        zfsStreams |= zfsStreamsOnly;
        var target = await VerifiedImageFile.LoadAsync(image, progress, cancellationToken);
        var bases = new List<VerifiedImageFile>();
        foreach (var baseImage in deltaBases)
        {
            bases.Add(RequireOlder(await VerifiedImageFile.LoadAsync(baseImage, progress, cancellationToken), target));
        }
        var published = repository.LoadChannel(channel);
        var unpacked = RecentReleasesWithoutDelta(published, target.Manifest.Version, recentBases, bases, zfsStreamsOnly);

        var work = Path.Combine(repository.Directory, $".publish-{Path.GetRandomFileName()}");
        Directory.CreateDirectory(work);
        try
        {
            var full = zfsStreamsOnly ? null : await AddFullAsync(image, work, cancellationToken);
            var manifestCopy = Path.Combine(work, "manifest.json");
            await File.WriteAllBytesAsync(manifestCopy, target.ManifestBytes, cancellationToken);
            var manifestObject = await repository.AddObjectAsync(manifestCopy, cancellationToken);
            var deltas = new List<DeltaObject>();
            var streams = new List<ZfsIncrementalObject>();
            foreach (var baseImage in bases)
            {
                if (!zfsStreamsOnly)
                {
                    deltas.Add(await AddDeltaAsync(baseImage, target, work, cancellationToken));
                }
                if (zfsStreams)
                {
                    streams.Add(await ZfsStreamPublisher.AddIncrementalAsync(repository, progress, baseImage, target, work, cancellationToken));
                }
            }
            foreach (var release in unpacked)
            {
                // One unpacked base at a time: each is as large as an image.
                var baseImage = await PublishedImageUnpacker.UnpackAsync(repository, release, work, progress, cancellationToken);
                if (!zfsStreamsOnly)
                {
                    deltas.Add(await AddDeltaAsync(baseImage, target, work, cancellationToken));
                }
                if (zfsStreams)
                {
                    streams.Add(await ZfsStreamPublisher.AddIncrementalAsync(repository, progress, baseImage, target, work, cancellationToken));
                }
                File.Delete(baseImage.Image);
            }
            var zfsFull = zfsStreams ? await ZfsStreamPublisher.AddFullAsync(repository, progress, target, work, cancellationToken) : null;
            var manifest = target.Manifest;
            var entry = new ReleaseEntry(manifest.Version, manifest.Sha256, manifest.SizeBytes, manifestObject,
                full, [.. deltas.OrderBy(delta => delta.FromVersion)],
                zfsFull, streams.Count == 0 ? null : [.. streams.OrderBy(stream => stream.FromVersion)]);
            return await repository.AddReleaseAsync(channel, entry, signer, lifetime, cancellationToken);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static VerifiedImageFile RequireOlder(VerifiedImageFile baseImage, VerifiedImageFile target) =>
        baseImage.Manifest.Version < target.Manifest.Version
            ? baseImage
            : throw new ApplianceException(ExitCode.InvalidInput,
                $"A delta base must be older than the image: {baseImage.Image} is version {baseImage.Manifest.Version}, the image {target.Manifest.Version}.");

    /// <summary>The newest <paramref name="count"/> earlier releases, less those with a delta (or incremental stream) given or already listed.</summary>
    private static List<ReleaseEntry> RecentReleasesWithoutDelta(ChannelDocument channel, int version, int count, List<VerifiedImageFile> given, bool zfsStreamsOnly)
    {
        var existing = channel.Find(version);
        var listed = zfsStreamsOnly
            ? (existing?.ZfsIncrementals ?? []).Select(stream => stream.FromVersion)
            : existing?.Deltas.Select(delta => delta.FromVersion) ?? [];
        var covered = given.Select(baseImage => baseImage.Manifest.Version).Concat(listed).ToHashSet();
        return [.. channel.Releases
            .Where(release => release.ImageVersion < version)
            .OrderByDescending(release => release.ImageVersion)
            .Take(count)
            .Where(release => !covered.Contains(release.ImageVersion))];
    }

    private async Task<FullImageObject> AddFullAsync(string image, string work, CancellationToken cancellationToken)
    {
        var compressed = Path.Combine(work, Path.GetFileName(image) + ".zst");
        await progress.RunAsync($"Compressing {Path.GetFileName(image)} ({FullImageCompressor.Description(fullLevel)})",
            fraction => FullImageCompressor.CompressAsync(image, compressed, fullLevel, fraction, cancellationToken));
        var full = await repository.AddObjectAsync(compressed, cancellationToken);
        File.Delete(compressed);
        return new FullImageObject(full.Sha256, full.Size, FullImageObject.Zstd);
    }

    private async Task<DeltaObject> AddDeltaAsync(VerifiedImageFile from, VerifiedImageFile to, string work, CancellationToken cancellationToken)
    {
        var file = Path.Combine(work, $"{from.Manifest.Version}-{to.Manifest.Version}.delta");
        await progress.RunAsync($"Delta {from.Manifest.Version} -> {to.Manifest.Version}", _ => Task.Run(() =>
        {
            using var baseImage = new FileStream(from.Image, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var target = new FileStream(to.Image, FileMode.Open, FileAccess.Read, FileShare.Read);
            return AtomicFile.Write(file, delta => DeltaWriter.Write(baseImage, target, delta, new DeltaOptions(), cancellationToken));
        }, cancellationToken));
        var added = await repository.AddObjectAsync(file, cancellationToken);
        File.Delete(file);
        return new DeltaObject(from.Manifest.Version, from.Manifest.Sha256, added.Sha256, added.Size);
    }
}
