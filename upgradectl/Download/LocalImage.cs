using Appliance.Upgradectl.Host;

namespace Appliance.Upgradectl.Download;

/// <summary>
/// An image present on the host partition with the SHA-256 of its manifest. Images are only ever mounted read-only,
/// so each keeps exactly those bytes: a delta base needs no re-hash to be chosen (applying one still checks it).
/// </summary>
public sealed record LocalImage(int Version, string Sha256)
{
    public static IReadOnlyList<LocalImage> Present(HostLayout layout) =>
        ImageInventory.Versions(layout)
            .Select(version => (Version: version, Manifest: ImageInventory.Manifest(layout, version)))
            .Where(image => image.Manifest is not null)
            .Select(image => new LocalImage(image.Version, image.Manifest!.Sha256))
            .ToList();
}
