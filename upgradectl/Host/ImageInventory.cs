using Appliance.Core.Images;

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
}
