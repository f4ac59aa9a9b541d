using Appliance.Core.Errors;
using Appliance.Core.Manifests;

namespace Appliance.Upgradectl.Host;

/// <summary>
/// This appliance's own product line (<see cref="ProductLine"/>): <c>APPLIANCE_SPEC</c> in the running image's
/// /etc/appliance-release, else the <c>spec_name</c> of the booted image's manifest on the host partition.
/// </summary>
public static class InstalledProductLine
{
    public static string Read(HostLayout layout, BootedImage? booted)
    {
        if (File.Exists(layout.ApplianceRelease)
            && OsReleaseParser.Parse(File.ReadAllText(layout.ApplianceRelease)).TryGetValue(ProductLine.ReleaseKey, out var line) && line.Length > 0)
        {
            return line;
        }
        if (booted is not null && ImageInventory.Manifest(layout, booted.Version) is { } manifest)
        {
            return manifest.SpecName;
        }
        throw new ApplianceException(ExitCode.NotFound,
            $"Cannot tell which product line this appliance is: {layout.ApplianceRelease} has no {ProductLine.ReleaseKey}= and the booted image's manifest is not on the host partition.");
    }
}
