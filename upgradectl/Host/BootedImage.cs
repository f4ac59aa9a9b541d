using System.Globalization;
using Appliance.Core.Boot;
using Appliance.Core.Errors;

namespace Appliance.Upgradectl.Host;

/// <summary>Which image this boot runs and how GRUB chose it, from the kernel command line GRUB wrote.</summary>
public sealed record BootedImage(int Version, BootMode Mode)
{
    public const string DefaultCommandLine = "/proc/cmdline";

    public static BootedImage FromCommandLine(string commandLine)
    {
        int? version = null;
        BootMode? mode = null;
        foreach (var argument in commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (argument.StartsWith("appliance.version=", StringComparison.Ordinal)
                && int.TryParse(argument["appliance.version=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                version = number;
            }
            else if (argument.StartsWith("appliance.boot=", StringComparison.Ordinal)
                && Enum.TryParse<BootMode>(argument["appliance.boot=".Length..], ignoreCase: true, out var parsed))
            {
                mode = parsed;
            }
        }
        return version is { } v
            ? new BootedImage(v, mode ?? BootMode.Fallback)
            : throw new ApplianceException(ExitCode.NotFound, "The kernel command line has no appliance.version=: this system was not booted from an appliance image.");
    }

    public static BootedImage Read(string commandLineFile) => FromCommandLine(File.ReadAllText(commandLineFile));

    public override string ToString() => $"image {Version} ({GrubConfigRenderer.Mode(Mode)} boot)";
}
