using Appliance.Core.Errors;
using Appliance.Core.Layout;
using Appliance.Core.Manifests;
using Appliance.Platform.Ext4;

namespace Appliance.Upgradectl.Staging;

/// <summary>
/// Decides whether an image file may become bootable: its size and SHA-256 are those of its manifest, it is a clean
/// ext4 filesystem, and GRUB will find a kernel and an initramfs at its root.
/// </summary>
public static class ImageVerifier
{
    private static readonly string[] BootFiles = ["/" + KernelCommandLine.Kernel, "/" + KernelCommandLine.Initramfs];

    public static async Task VerifyAsync(string image, ImageManifest manifest, string sha256, CancellationToken cancellationToken)
    {
        var size = new FileInfo(image).Length;
        if (size != manifest.SizeBytes)
        {
            Refuse(manifest, $"it has {size} bytes, its manifest says {manifest.SizeBytes}");
        }
        if (!string.Equals(sha256, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            Refuse(manifest, $"its SHA-256 is {sha256}, its manifest says {manifest.Sha256}");
        }
        await CheckFilesystemAsync(image, manifest, cancellationToken);
    }

    /// <summary>The checks that do not need the manifest's hash: a clean ext4 filesystem with a kernel and an initramfs.</summary>
    private static async Task CheckFilesystemAsync(string image, ImageManifest manifest, CancellationToken cancellationToken)
    {
        if (await Ext4Check.ProblemsAsync(image, cancellationToken) is { } problems)
        {
            Refuse(manifest, $"it is not a clean ext4 filesystem ({problems})");
        }
        foreach (var file in BootFiles)
        {
            if (!await ImageContents.ExistsAsync(image, file, cancellationToken))
            {
                Refuse(manifest, $"it has no {file}, so GRUB could not boot it");
            }
        }
    }

    private static void Refuse(ImageManifest manifest, string reason) =>
        throw new ApplianceException(ExitCode.VerificationFailed, $"Image {manifest.Version} is not usable: {reason}.");
}
