using Appliance.Core.Errors;
using Appliance.Core.Images;
using Appliance.Core.Manifests;
using Appliance.Platform.Cli;
using Appliance.Platform.Files;

namespace Appliance.ImageBuild.Publishing;

/// <summary>An <c>N.img</c> proven to be the image its <c>N.manifest.json</c> beside it describes (version, size, SHA-256).</summary>
public sealed record VerifiedImageFile(string Image, ImageManifest Manifest, byte[] ManifestBytes)
{
    public static async Task<VerifiedImageFile> LoadAsync(string image, IStepProgress progress, CancellationToken cancellationToken)
    {
        if (!ImageVersion.TryParseImageFileName(Path.GetFileName(image), out var version))
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"{image} is not named <N>.img.");
        }
        var manifestFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(image))!, version.ManifestFileName);
        if (!File.Exists(image) || !File.Exists(manifestFile))
        {
            throw new ApplianceException(ExitCode.NotFound, $"{image} and its manifest {manifestFile} must both exist.");
        }
        var manifestBytes = await File.ReadAllBytesAsync(manifestFile, cancellationToken);
        var manifest = ManifestSerializer.Deserialize(manifestBytes, manifestFile);
        var size = new FileInfo(image).Length;
        var sha256 = await progress.RunAsync($"Hashing {Path.GetFileName(image)}", _ => Sha256File.ComputeAsync(image, cancellationToken));
        if (version.Number != manifest.Version || size != manifest.SizeBytes || sha256 != manifest.Sha256)
        {
            throw new ApplianceException(ExitCode.VerificationFailed,
                $"{image} (sha256 {sha256}, {size} bytes) is not the image its manifest describes (version {manifest.Version}, sha256 {manifest.Sha256}, {manifest.SizeBytes} bytes).");
        }
        return new VerifiedImageFile(Path.GetFullPath(image), manifest, manifestBytes);
    }
}
