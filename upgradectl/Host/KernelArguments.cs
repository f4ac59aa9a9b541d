using Appliance.Core.Layout;

namespace Appliance.Upgradectl.Host;

/// <summary>
/// The site-specific part of the kernel command line (console, panic=, ...): what this boot got minus what the boot
/// menu generates per entry. Regenerated menus carry it over unchanged.
/// </summary>
public static class KernelArguments
{
    public static string Extra(string commandLine) => string.Join(' ',
        commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(argument => argument != "rw" && argument != "ro"
                && !KernelCommandLine.GeneratedPrefixes.Any(p => argument.StartsWith(p, StringComparison.Ordinal))));
}
