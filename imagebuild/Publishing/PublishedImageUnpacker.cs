using Appliance.Core.Compression;
using Appliance.Core.Errors;
using Appliance.Core.Images;
using Appliance.Core.Manifests;
using Appliance.Core.Repository;
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
        string sha256;
        try
        {
            sha256 = await progress.RunAsync($"Unpacking image {version} from the repository",
                fraction => FullImageDecompressor.DecompressAsync(repository.ObjectFile(release.Full.Object), image, release.ImageSize, fraction, cancellationToken));
        }
        catch (ZstdException e)
        {
            throw Damaged(repository, release, $"its full object {release.Full.Sha256} does not decompress ({e.Message})");
        }
        if (sha256 != release.ImageSha256 || new FileInfo(image).Length != release.ImageSize)
        {
            throw Damaged(repository, release, $"its full object {release.Full.Sha256} unpacks to sha256 {sha256}, not {release.ImageSha256}");
        }
        return new VerifiedImageFile(image, manifest, manifestBytes);
    }

    private static ApplianceException Damaged(RepositoryWriter repository, ReleaseEntry release, string why) =>
        new(ExitCode.VerificationFailed, $"Published version {release.ImageVersion} in {repository.Directory} cannot be a delta base: {why}. Repair the repository or pass --recent-deltas 0.");
}
