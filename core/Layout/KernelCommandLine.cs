using System.Globalization;

namespace Appliance.Core.Layout;

/// <summary>
/// The kernel arguments the boot menu gives each entry and the initramfs and upgradectl read back; and the names GRUB
/// uses to load them.
/// </summary>
public static class KernelCommandLine
{
    /// <summary>Every argument the menu generates for the appliance starts with this.</summary>
    public const string Prefix = "appliance.";

    /// <summary>The image file to loop-mount as /, relative to the host partition: <c>/images/&lt;N&gt;.img</c>.</summary>
    public const string Image = Prefix + "image";

    public const string Version = Prefix + "version";

    /// <summary>How GRUB chose the entry (default, trial, fallback).</summary>
    public const string BootMode = Prefix + "boot";

    /// <summary>GRUB's loopback device for an image's entry: one per entry, because GRUB's fallback entry cannot reuse a name the failed entry already took.</summary>
    public static string GrubLoopDevice(int version) => $"image{version}";

    public const string Kernel = "vmlinuz";

    public const string Initramfs = "initrd.img";

    /// <summary>The argument that names the host partition (the initramfs mounts it, then the image file on it).</summary>
    public const string HostPartition = "root=UUID=";

    /// <summary>
    /// The command line one image boots with: what each menu entry gives the kernel (with GRUB variables for the host
    /// UUID and the mode) and what a kexec gives it (with their values). Spelled here once, for both.
    /// </summary>
    /// <param name="extraArguments">The site-specific rest (console, panic=), carried over from the running boot.</param>
    public static string ForImage(string hostUuid, int version, string bootMode, string extraArguments) =>
        $"{HostPartition}{hostUuid} rw {Image}=/{HostPartitionPaths.Image(version)} {Version}={version.ToString(CultureInfo.InvariantCulture)} {BootMode}={bootMode} {extraArguments}";

    /// <summary>The host partition's UUID in a command line that <see cref="ForImage"/> built, or null.</summary>
    public static string? HostUuidOf(string commandLine) =>
        commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(argument => argument.StartsWith(HostPartition, StringComparison.Ordinal) && argument.Length > HostPartition.Length)
            .Select(argument => argument[HostPartition.Length..])
            .LastOrDefault();

    /// <summary>Arguments of other parts of the boot chain that every menu entry sets itself.</summary>
    public static readonly IReadOnlyList<string> GeneratedPrefixes = ["BOOT_IMAGE=", "root=", Prefix, "initrd="];

    /// <summary>The value of <c>name=value</c> in a command line, or null.</summary>
    public static string? ValueOf(string commandLine, string name) =>
        commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(argument => argument.StartsWith(name + "=", StringComparison.Ordinal))
            .Select(argument => argument[(name.Length + 1)..])
            .LastOrDefault();
}
