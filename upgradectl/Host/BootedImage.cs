using System.Globalization;
using Appliance.Core.Boot;
using Appliance.Core.Errors;
using Appliance.Core.Layout;

namespace Appliance.Upgradectl.Host;

/// <summary>Which image this boot runs and how GRUB chose it, from the kernel command line GRUB wrote.</summary>
public sealed record BootedImage(int Version, BootMode Mode)
{
    public const string DefaultCommandLine = "/proc/cmdline";

    public static BootedImage FromCommandLine(string commandLine) =>
        TryFromCommandLine(commandLine)
        ?? throw new ApplianceException(ExitCode.NotFound,
            $"The kernel command line has no {KernelCommandLine.Version}=: this system was not booted from an appliance image.");

    /// <summary>The booted image, or null when the command line is not an appliance boot's.</summary>
    public static BootedImage? TryFromCommandLine(string commandLine)
    {
        if (!int.TryParse(KernelCommandLine.ValueOf(commandLine, KernelCommandLine.Version), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return null;
        }
        var mode = Enum.TryParse<BootMode>(KernelCommandLine.ValueOf(commandLine, KernelCommandLine.BootMode), ignoreCase: true, out var parsed)
            ? parsed
            : BootMode.Fallback;
        return new BootedImage(version, mode);
    }

    public override string ToString() => $"image {Version} ({GrubConfigRenderer.Mode(Mode)} boot)";
}
