using Appliance.Core.Boot;
using Appliance.Platform.Files;

namespace Appliance.Upgradectl.Host;

/// <summary>Renders the host's grub.cfg from the images present and the boot state, and replaces it atomically.</summary>
public sealed class GrubConfigWriter(HostLayout layout, string kernelArguments)
{
    /// <param name="images">The images to list; by default every image present.</param>
    /// <param name="wholeMenu">False for the /etc/grub.d hook, whose entries follow grub-mkconfig's own.</param>
    public string Render(BootState state, IEnumerable<int>? images = null, bool wholeMenu = true)
    {
        var knownGood = new HashSet<int?> { state.Default, state.Previous };
        var entries = (images ?? ImageInventory.Versions(layout)).Select(version => new BootImageEntry(version, knownGood.Contains(version))).ToList();
        return GrubConfigRenderer.Render(entries, kernelArguments, wholeMenu);
    }

    public void Write(BootState state, IEnumerable<int>? images = null)
    {
        Directory.CreateDirectory(layout.GrubDirectory);
        AtomicFile.WriteAllText(layout.GrubConfig, Render(state, images));
    }
}
