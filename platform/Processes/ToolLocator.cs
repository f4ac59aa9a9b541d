using Appliance.Core.Errors;

namespace Appliance.Platform.Processes;

/// <summary>Finds external tools on PATH and names the Debian package that provides a missing one.</summary>
public static class ToolLocator
{
    private static readonly Dictionary<string, string> PackageOfTool = new(StringComparer.Ordinal)
    {
        ["debootstrap"] = "debootstrap",
        ["mke2fs"] = "e2fsprogs",
        ["e2fsck"] = "e2fsprogs",
        ["debugfs"] = "e2fsprogs",
        ["dumpe2fs"] = "e2fsprogs",
        ["tune2fs"] = "e2fsprogs",
        ["resize2fs"] = "e2fsprogs",
        ["zerofree"] = "zerofree",
        ["rsync"] = "rsync",
        ["grub-editenv"] = "grub-common",
        ["grub-script-check"] = "grub-common",
        ["grub-emu"] = "grub-emu",
        ["grub-mkstandalone"] = "grub-efi-amd64-bin",
        ["sfdisk"] = "fdisk",
        ["mkfs.vfat"] = "dosfstools",
        ["mcopy"] = "mtools",
        ["mmd"] = "mtools",
        ["qemu-system-x86_64"] = "qemu-system-x86",
        ["zstd"] = "zstd",
        ["openssl"] = "openssl",
        ["losetup"] = "mount",
        ["mount"] = "mount",
        ["umount"] = "mount",
        ["chroot"] = "coreutils",
    };

    private static readonly string[] SearchPath =
        [.. (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries), "/usr/sbin", "/sbin"];

    public static string? Find(string tool)
    {
        if (tool.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(tool) ? tool : null;
        }
        return SearchPath.Select(directory => Path.Combine(directory, tool)).FirstOrDefault(File.Exists);
    }

    public static string Require(string tool) =>
        Find(tool) ?? throw new ApplianceException(ExitCode.NotFound,
            PackageOfTool.TryGetValue(tool, out var package)
                ? $"The tool '{tool}' is not installed; install the Debian package '{package}'."
                : $"The tool '{tool}' is not installed.");
}
