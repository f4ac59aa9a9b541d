namespace Appliance.Upgradectl.Host;

/// <summary>
/// The site-specific part of the kernel command line (console, panic=, ...): what this boot got minus what the boot
/// menu generates per entry. Regenerated menus carry it over unchanged.
/// </summary>
public static class KernelArguments
{
    private static readonly string[] GeneratedPrefixes = ["BOOT_IMAGE=", "root=", "appliance.", "initrd="];

    public static string Extra(string commandLine) => string.Join(' ',
        commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(argument => argument != "rw" && argument != "ro" && !GeneratedPrefixes.Any(p => argument.StartsWith(p, StringComparison.Ordinal))));
}
