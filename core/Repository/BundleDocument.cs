using System.Security.Cryptography;
using Appliance.Core.Errors;
using Appliance.Core.Manifests;

namespace Appliance.Core.Repository;

/// <summary>
/// <c>bundle.json</c> of a signed bundle for local installs (<c>imagebuild bundle</c>, <c>upgradectl stage DIR</c>):
/// what the release key vouches for, the product line it is <see cref="Compatible"/> with, the image and the exact
/// bytes of its manifest. The image's bytes are checked against <see cref="ImageSha256"/> while it is staged.
/// </summary>
public sealed record BundleDocument(string Compatible, int ImageVersion, string ImageSha256, long ImageSize, ObjectReference Manifest)
{
    public const string FileName = "bundle.json";

    public static BundleDocument Describe(ImageManifest manifest, byte[] manifestBytes) =>
        new(manifest.SpecName, manifest.Version, manifest.Sha256, manifest.SizeBytes,
            new ObjectReference(Convert.ToHexStringLower(SHA256.HashData(manifestBytes)), manifestBytes.Length));

    /// <summary>The manifest in the bundle, accepted only when its bytes are the ones signed and it describes the signed image.</summary>
    public ImageManifest ReadManifest(byte[] manifestBytes, string origin)
    {
        using (var check = new ObjectIntegrityCheck(Manifest, $"The bundle's manifest {origin}"))
        {
            check.Append(manifestBytes);
            check.Complete();
        }
        var manifest = ManifestSerializer.Deserialize(manifestBytes, origin);
        if (manifest.Version != ImageVersion || manifest.Sha256 != ImageSha256 || manifest.SizeBytes != ImageSize || manifest.SpecName != Compatible)
        {
            throw new ApplianceException(ExitCode.VerificationFailed,
                $"{origin} (image {manifest.Version}, sha256 {manifest.Sha256}) does not describe the image the bundle signs (image {ImageVersion}, sha256 {ImageSha256}): refused.");
        }
        return manifest;
    }
}
