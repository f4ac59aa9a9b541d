using Appliance.Core.Errors;
using Appliance.Core.Images;
using Appliance.Core.Manifests;
using Appliance.Core.Repository;
using Appliance.Platform.Cli;
using Appliance.Platform.Files;

namespace Appliance.ImageBuild.Publishing;

/// <summary>
/// Publishes a built image (<c>N.img</c> and <c>N.manifest.json</c> beside it) into a channel: the compressed image
/// and the manifest as objects, then the release entry, signed. Deltas already listed for the version are kept.
/// </summary>
public sealed class ImagePublisher(RepositoryWriter repository, IStepProgress progress)
{
    public async Task<ReleaseEntry> PublishAsync(string image, string channel, ISigner signer, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var manifestFile = RequireManifestBeside(image);
        var manifestBytes = await File.ReadAllBytesAsync(manifestFile, cancellationToken);
        var manifest = ManifestSerializer.Deserialize(manifestBytes, manifestFile);
        await RequireImageMatches(image, manifest, cancellationToken);

        var work = Path.Combine(repository.Directory, $".publish-{Path.GetRandomFileName()}");
        Directory.CreateDirectory(work);
        try
        {
            var compressed = Path.Combine(work, Path.GetFileName(image) + ".zst");
            await progress.RunAsync($"Compressing {Path.GetFileName(image)} (zstd -19)", _ => ZstdCliCompressor.CompressAsync(image, compressed, cancellationToken));
            var full = await repository.AddObjectAsync(compressed, cancellationToken);
            var manifestCopy = Path.Combine(work, Path.GetFileName(manifestFile));
            await File.WriteAllBytesAsync(manifestCopy, manifestBytes, cancellationToken);
            var manifestObject = await repository.AddObjectAsync(manifestCopy, cancellationToken);
            var deltas = repository.LoadChannel(channel).Find(manifest.Version)?.Deltas ?? [];
            var release = new ReleaseEntry(manifest.Version, manifest.Sha256, manifest.SizeBytes, manifestObject,
                new FullImageObject(full.Sha256, full.Size, FullImageObject.Zstd), deltas);
            await repository.AddReleaseAsync(channel, release, signer, lifetime, cancellationToken);
            return release;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string RequireManifestBeside(string image)
    {
        if (!ImageVersion.TryParseImageFileName(Path.GetFileName(image), out var version))
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"{image} is not named <N>.img.");
        }
        var manifest = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(image))!, version.ManifestFileName);
        return File.Exists(image) && File.Exists(manifest)
            ? manifest
            : throw new ApplianceException(ExitCode.NotFound, $"{image} and its manifest {manifest} must both exist.");
    }

    private async Task RequireImageMatches(string image, ImageManifest manifest, CancellationToken cancellationToken)
    {
        var size = new FileInfo(image).Length;
        var sha256 = await progress.RunAsync($"Hashing {Path.GetFileName(image)}", _ => Sha256File.ComputeAsync(image, cancellationToken));
        if (!ImageVersion.TryParseImageFileName(Path.GetFileName(image), out var version) || version.Number != manifest.Version
            || size != manifest.SizeBytes || sha256 != manifest.Sha256)
        {
            throw new ApplianceException(ExitCode.VerificationFailed,
                $"{image} (sha256 {sha256}, {size} bytes) is not the image its manifest describes (version {manifest.Version}, sha256 {manifest.Sha256}, {manifest.SizeBytes} bytes).");
        }
    }
}
