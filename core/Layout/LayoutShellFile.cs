using System.Globalization;
using System.Text;

namespace Appliance.Core.Layout;

/// <summary>
/// The layout facts for shell: imagebuild writes this file into every image (<see cref="ImagePaths.LayoutShellFile"/>),
/// the initramfs hook copies it into the initramfs, and the boot scripts, the guest driver and the demo source it
/// instead of spelling the paths and arguments again (<c>imagebuild layout</c> prints it on a build host).
/// </summary>
public static class LayoutShellFile
{
    public static IReadOnlyList<LayoutFact> Facts { get; } =
    [
        new("APPLIANCE_LAYOUT_HOST", "/" + ImagePaths.HostMountPoint, "where the host partition is mounted in the running image"),
        new("APPLIANCE_LAYOUT_IMAGES", HostPartitionPaths.Images, "image files <N>.img and manifests, on the host partition"),
        new("APPLIANCE_LAYOUT_IMAGE_EXTENSION", Images.ImageVersion.ImageExtension, "an image file is <N> followed by this"),
        new("APPLIANCE_LAYOUT_GRUB_CONFIG", HostPartitionPaths.GrubConfig, "the boot menu, on the host partition"),
        new("APPLIANCE_LAYOUT_GRUB_ENVIRONMENT", HostPartitionPaths.GrubEnvironment, "the boot state, on the host partition"),
        new("APPLIANCE_LAYOUT_STATE_DIRECTORY", HostPartitionPaths.StateDirectory, "what the updater keeps, on the host partition"),
        new("APPLIANCE_LAYOUT_TRUST", HostPartitionPaths.Trust, "the repository root and channel versions trusted, on the host partition"),
        new("APPLIANCE_LAYOUT_DOWNLOADS", HostPartitionPaths.Downloads, "downloads in progress, on the host partition"),
        new("APPLIANCE_LAYOUT_OVERLAYS", HostPartitionPaths.Overlays, "writable layers: <this>/<N>/<directory>/{upper,work}, on the host partition"),
        new("APPLIANCE_LAYOUT_OVERLAY_UPPER", HostPartitionPaths.OverlayUpper, "an overlay's upper directory (the changes)"),
        new("APPLIANCE_LAYOUT_OVERLAY_WORK", HostPartitionPaths.OverlayWork, "an overlay's work directory"),
        new("APPLIANCE_LAYOUT_OVERLAID_DIRECTORIES", string.Join(' ', HostPartitionPaths.OverlaidDirectories), "the writable directories of an image"),
        new("APPLIANCE_LAYOUT_UPGRADECTL", "/" + ImagePaths.Upgradectl, "upgradectl in the image"),
        new("APPLIANCE_LAYOUT_ARG_IMAGE", KernelCommandLine.Image, "kernel argument: the image file, /<images>/<N>.img"),
        new("APPLIANCE_LAYOUT_ARG_VERSION", KernelCommandLine.Version, "kernel argument: the image version"),
        new("APPLIANCE_LAYOUT_ARG_BOOT", KernelCommandLine.BootMode, "kernel argument: how GRUB chose the entry"),
        new("APPLIANCE_LAYOUT_SECTOR_SIZE", Number(DiskGeometry.SectorSize), "factory disk: bytes per sector"),
        new("APPLIANCE_LAYOUT_ESP_OFFSET", Number(DiskGeometry.EspOffsetBytes), "factory disk: byte offset of the EFI system partition"),
        new("APPLIANCE_LAYOUT_ESP_SIZE", Number(DiskGeometry.EspSizeBytes), "factory disk: bytes of the EFI system partition"),
        new("APPLIANCE_LAYOUT_HOST_OFFSET", Number(DiskGeometry.HostOffsetBytes), "factory disk: byte offset of the host partition"),
    ];

    public static string Render()
    {
        var text = new StringBuilder();
        text.Append("# The appliance layout, generated from core/Layout by imagebuild. Do not edit: change core/Layout.\n");
        foreach (var fact in Facts)
        {
            text.Append(CultureInfo.InvariantCulture, $"# {fact.Meaning}\n{fact.Name}='{fact.Value}'\n");
        }
        return text.ToString();
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
