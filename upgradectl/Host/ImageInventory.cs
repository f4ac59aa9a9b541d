using Appliance.Core.Images;
using Appliance.Core.Manifests;
using Appliance.Platform.Files;

namespace Appliance.Upgradectl.Host;

/// <summary>The finished images on the host partition (partial downloads and other files never count).</summary>
public static class ImageInventory
{
    public static IReadOnlyList<int> Versions(HostLayout layout) =>
        !Directory.Exists(layout.Images)
            ? []
            : Directory.EnumerateFiles(layout.Images)
                .Select(path => ImageVersion.TryParseImageFileName(Path.GetFileName(path), out var version) ? version.Number : 0)
                .Where(version => version > 0)
                .Order()
                .ToList();

    /// <summary>The manifest staged next to an image, or null when it has none.</summary>
    public static ImageManifest? Manifest(HostLayout layout, int version) =>
        File.Exists(layout.ManifestPath(version)) ? ManifestFile.Read(layout.ManifestPath(version)) : null;
}
