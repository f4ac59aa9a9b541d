using Appliance.Core.Compression;
using Appliance.Core.Errors;
using Appliance.Core.Images;
using Appliance.Core.Manifests;
using Appliance.Core.Repository;
using Appliance.Core.Zfs;
using Appliance.Platform.Cli;
using Appliance.Platform.Files;

namespace Appliance.ImageBuild.Publishing;

/// <summary>
/// Rebuilds an earlier published image and its manifest from the repository's own objects, as a delta base:
/// decompressed sparse into the work directory and checked against the signed release entry (object hashes, image
/// size and SHA-256), so a damaged object can never become the base of a delta the fleet would then refuse.
/// </summary>
public static class PublishedImageUnpacker
{
    public static async Task<VerifiedImageFile> UnpackAsync(
        RepositoryWriter repository, ReleaseEntry release, string work, IStepProgress progress, CancellationToken cancellationToken)
    {
        var version = new ImageVersion(release.ImageVersion);
        var manifestBytes = await File.ReadAllBytesAsync(repository.ObjectFile(release.Manifest), cancellationToken);
        try
        {
            ObjectIntegrityCheck.Verify(release.Manifest, $"its manifest object {release.Manifest.Sha256}", manifestBytes);
        }
        catch (ApplianceException e)
        {
            throw Damaged(repository, release, e.Message);
        }
        var manifest = ManifestSerializer.Deserialize(manifestBytes, release.Manifest.Sha256);
        if (!release.IsDescribedBy(manifest))
        {
            throw Damaged(repository, release, "its manifest describes another image than the release entry");
        }

        var image = Path.Combine(work, version.ImageFileName);
        await File.WriteAllBytesAsync(Path.Combine(work, version.ManifestFileName), manifestBytes, cancellationToken);
        var sha256 = release.Full is { } full
            ? await DecompressAsync(repository, release, full, image, progress, cancellationToken)
            : await ApplyFullStreamAsync(repository, release, image, progress, cancellationToken);
        if (sha256 != release.ImageSha256 || new FileInfo(image).Length != release.ImageSize)
        {
            throw Damaged(repository, release, $"its full {(release.Full is null ? "ZFS stream" : "object")} unpacks to sha256 {sha256}, not {release.ImageSha256}");
        }
        return new VerifiedImageFile(image, manifest, manifestBytes);
    }

    private static async Task<string> DecompressAsync(
        RepositoryWriter repository, ReleaseEntry release, FullImageObject full, string image, IStepProgress progress, CancellationToken cancellationToken)
    {
        try
        {
            return await progress.RunAsync($"Unpacking image {release.ImageVersion} from the repository",
                fraction => FullImageDecompressor.DecompressAsync(repository.ObjectFile(full.Object), image, release.ImageSize, fraction, cancellationToken));
        }
        catch (ZstdException e)
        {
            throw Damaged(repository, release, $"its full object {full.Sha256} does not decompress ({e.Message})");
        }
    }

    /// <summary>A release published as ZFS streams only: its full stream applied in user space (core/Zfs), every check included.</summary>
    private static Task<string> ApplyFullStreamAsync(
        RepositoryWriter repository, ReleaseEntry release, string image, IStepProgress progress, CancellationToken cancellationToken) =>
        progress.RunAsync($"Unpacking image {release.ImageVersion} from its ZFS full stream", _ => Task.Run(() =>
        {
            var stream = release.ZfsFull!;
            var expected = new ZfsApplyExpectations(release.ImageSize, release.ImageSha256, stream.SnapshotGuid, null);
            try
            {
                using var input = new FileStream(repository.ObjectFile(stream.Object), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
                using var output = new FileStream(image, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
                ZfsStreamApplier.Apply(input, null, output, expected, cancellationToken);
            }
            catch (ApplianceException e)
            {
                throw Damaged(repository, release, $"its full ZFS stream {stream.Sha256} does not apply ({e.Message})");
            }
            return release.ImageSha256; // the applier checked the SHA-256 of what it wrote
        }, cancellationToken));

    private static ApplianceException Damaged(RepositoryWriter repository, ReleaseEntry release, string why) =>
        new(ExitCode.VerificationFailed, $"Published version {release.ImageVersion} in {repository.Directory} cannot be a delta base: {why}. Repair the repository or pass --recent-deltas 0.");
}
