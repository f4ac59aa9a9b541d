using Appliance.Core.Errors;
using Appliance.Core.Images;
using Appliance.Core.Manifests;
using Appliance.Core.Repository;

namespace Appliance.Upgradectl.Staging;

/// <summary>
/// A bundle directory made by <c>imagebuild bundle</c> (docs/repository.md, "Bundles"): <c>bundle.json</c> signed by
/// the release key, its signatures under <c>signatures/</c> named as in the repository, <c>&lt;N&gt;.manifest.json</c>
/// and <c>&lt;N&gt;.img</c> (sparse). Opening it checks everything but the image's bytes, which staging hashes.
/// </summary>
public sealed record SignedBundle(BundleDocument Document, ImageManifest Manifest, string ImagePath)
{
    public static bool IsBundle(string path) => Directory.Exists(path) && File.Exists(Path.Combine(path, BundleDocument.FileName));

    /// <param name="trusted">The root this appliance trusts: its release keys must have signed the bundle.</param>
    /// <param name="productLine">This appliance's product line: the bundle must be compatible with it.</param>
    public static SignedBundle Open(string directory, RootDocument trusted, string productLine)
    {
        var documentPath = Path.Combine(directory, BundleDocument.FileName);
        var content = File.ReadAllBytes(documentPath);
        // Every signature file of this document, so that a bundle signed by the wrong key says which key that was.
        var prefix = RepositoryLayout.SignatureFilePrefix(content);
        var signatureDirectory = Path.Combine(directory, RepositoryLayout.SignaturesDirectory);
        var signatures = (Directory.Exists(signatureDirectory) ? Directory.EnumerateFiles(signatureDirectory, prefix + "*.sig") : [])
            .Select(file => (KeyId: Path.GetFileName(file)[prefix.Length..^".sig".Length], File: file))
            .Where(signature => RepositoryLayout.IsSha256(signature.KeyId))
            .Select(signature => new DetachedSignature(signature.KeyId, File.ReadAllBytes(signature.File)))
            .ToList();
        var document = RepositoryVerifier.VerifyBundle(trusted, new SignedMetadata(documentPath, content, signatures));
        ProductLine.RequireCompatible(productLine, document.Compatible, $"The bundle {directory} (image {document.ImageVersion})");
        var version = new ImageVersion(document.ImageVersion);
        var manifestPath = Path.Combine(directory, version.ManifestFileName);
        if (!File.Exists(manifestPath))
        {
            throw new ApplianceException(ExitCode.NotFound, $"The bundle {directory} has no {Path.GetFileName(manifestPath)}.");
        }
        var manifest = document.ReadManifest(File.ReadAllBytes(manifestPath), manifestPath);
        return new SignedBundle(document, manifest, Path.Combine(directory, version.ImageFileName));
    }
}
