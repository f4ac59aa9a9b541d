using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Platform.Cli;
using Appliance.Platform.Files;
using Serilog;

namespace Appliance.ImageBuild.Publishing;

/// <summary>
/// Writes a signed bundle for local installs (a USB stick, a support laptop): a directory with the image (sparse),
/// its manifest, <c>bundle.json</c> naming both by hash and the product line, and the release key's signature of it
/// under <c>signatures/</c> as in the repository. Made under a temporary name and renamed when complete.
/// </summary>
public static class BundleWriter
{
    public static async Task<BundleDocument> WriteAsync(string image, ISigner signer, string output, IStepProgress progress, CancellationToken cancellationToken)
    {
        output = Path.GetFullPath(output.TrimEnd('/'));
        if (Directory.Exists(output) || File.Exists(output))
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"{output} already exists; a bundle is never overwritten.");
        }
        var verified = await VerifiedImageFile.LoadAsync(image, progress, cancellationToken);
        var document = BundleDocument.Describe(verified.Manifest, verified.ManifestBytes);
        var content = RepositoryDocuments.Serialize(document);
        var signature = new DetachedSignature(signer.PublicKey.Id, await signer.SignAsync(content, cancellationToken));
        var version = new Core.Images.ImageVersion(document.ImageVersion);
        // Dot-prefixed beside the output: on the same filesystem, so the final rename is atomic.
        var incoming = Path.Combine(Path.GetDirectoryName(output)!, $".{Path.GetFileName(output)}.incoming-{Path.GetRandomFileName()}");
        try
        {
            Directory.CreateDirectory(Path.Combine(incoming, RepositoryLayout.SignaturesDirectory));
            await using (var source = new FileStream(verified.Image, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous))
            {
                var copied = await progress.RunAsync($"Copying {version.ImageFileName}",
                    _ => SparseCopy.CopyAsync(source, Path.Combine(incoming, version.ImageFileName), null, cancellationToken));
                if (copied != document.ImageSha256)
                {
                    throw new ApplianceException(ExitCode.VerificationFailed, $"{verified.Image} changed while it was copied into the bundle (sha256 {copied}).");
                }
            }
            AtomicFile.WriteAllBytes(Path.Combine(incoming, version.ManifestFileName), verified.ManifestBytes);
            AtomicFile.WriteAllBytes(Path.Combine(incoming, RepositoryLayout.SignaturePath(content, signature.KeyId)), signature.Der);
            AtomicFile.WriteAllBytes(Path.Combine(incoming, BundleDocument.FileName), content);
            Directory.Move(incoming, output);
        }
        finally
        {
            if (Directory.Exists(incoming))
            {
                Directory.Delete(incoming, recursive: true);
            }
        }
        Log.Information("Bundle {Output}: image {Version} ({Compatible}) signed by key {KeyId}", output, document.ImageVersion, document.Compatible, signer.PublicKey.Id);
        return document;
    }
}
