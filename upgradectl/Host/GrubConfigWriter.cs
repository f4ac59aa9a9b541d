using Appliance.Core.Boot;
using Appliance.Platform.Files;

namespace Appliance.Upgradectl.Host;

/// <summary>Renders the host's grub.cfg from the images present and the boot state, and replaces it atomically.</summary>
public sealed class GrubConfigWriter(HostLayout layout, string kernelArguments)
{
    public string Render(BootState state)
    {
        var knownGood = new HashSet<int?> { state.Default, state.Previous };
        var entries = ImageInventory.Versions(layout).Select(version => new BootImageEntry(version, knownGood.Contains(version))).ToList();
        return GrubConfigRenderer.Render(entries, kernelArguments);
    }

    public void Write(BootState state)
    {
        Directory.CreateDirectory(layout.GrubDirectory);
        AtomicFile.WriteAllText(layout.GrubConfig, Render(state));
    }
}
