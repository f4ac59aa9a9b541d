using Appliance.Core.Boot;
using Appliance.Platform.Processes;

namespace Appliance.Tests.Support;

/// <summary>Reads a grubenv the way an operator would, with the real grub-editenv.</summary>
public static class GrubEditenv
{
    public static async Task<BootState> ReadBootStateAsync(string grubEnvironment)
    {
        var listing = await ProcessRunner.RunAsync("grub-editenv", [grubEnvironment, "list"]);
        return BootState.FromEnvironment(listing.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : ""));
    }
}
