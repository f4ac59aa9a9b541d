using Appliance.Core.Boot;
using Appliance.Core.Errors;
using Appliance.Upgradectl.Host;
using Appliance.Upgradectl.Operations;

namespace Appliance.Upgradectl.Boot;

/// <summary>
/// Which staged image <c>apply</c> switches to: the one asked for, else the newest image newer than the default. Never
/// the running, default or previous good image: migration replaces the target's writable layers, and those images'
/// layers are the configuration they go back to (rollback switches to them instead).
/// </summary>
public static class StagedImageSelector
{
    public static int Select(HostLayout layout, BootState state, UpdaterState updater, BootedImage booted, int? requested)
    {
        var present = ImageInventory.Versions(layout);
        if (requested is { } version)
        {
            if (!present.Contains(version))
            {
                throw new ApplianceException(ExitCode.NotFound, $"Image {version} is not staged ({layout.ImagePath(version)} does not exist).");
            }
            if (version == booted.Version)
            {
                throw new ApplianceException(ExitCode.InvalidInput, $"Image {version} is the running image; there is nothing to switch to.");
            }
            if (version == state.Default || version == state.Previous)
            {
                throw new ApplianceException(ExitCode.InvalidInput,
                    $"Image {version} is the {(version == state.Default ? "confirmed default" : "previous good image")}: apply would replace its configuration; use upgradectl rollback --to {version} to switch to it as it is.");
            }
            return version;
        }
        var newest = present.Where(v => v > (state.Default ?? 0) && v != booted.Version && !updater.Failed.Contains(v)).DefaultIfEmpty().Max();
        return newest > 0
            ? newest
            : throw new ApplianceException(ExitCode.NotFound, "No staged image is newer than the confirmed default; run upgradectl stage first.");
    }
}
