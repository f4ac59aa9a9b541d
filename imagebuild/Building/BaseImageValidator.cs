using Appliance.Core.Errors;
using Appliance.Core.Ext4;
using Appliance.Core.Specs;
using Appliance.Platform.Processes;

namespace Appliance.ImageBuild.Building;

/// <summary>Everything that must hold of a --base image before a build starts writing.</summary>
public static class BaseImageValidator
{
    public static async Task ValidateAsync(string baseImage, ImageSpec spec, CancellationToken cancellationToken)
    {
        if (!File.Exists(baseImage))
        {
            throw new ApplianceException(ExitCode.NotFound, $"Base image {baseImage} does not exist.");
        }
        var superblock = new byte[SuperblockStamp.Size];
        await using (var file = new FileStream(baseImage, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            file.Position = SuperblockStamp.Size;
            if (await file.ReadAtLeastAsync(superblock, superblock.Length, throwOnEndOfStream: false, cancellationToken) < superblock.Length
                || !SuperblockStamp.HasMagic(superblock))
            {
                throw new ApplianceException(ExitCode.InvalidInput, $"Base image {baseImage} is not an ext4 filesystem image.");
            }
            if (file.Length > (long)spec.ImageSizeMiB * 1024 * 1024)
            {
                throw new ApplianceException(ExitCode.InvalidInput,
                    $"Base image {baseImage} is larger than the spec's image_size_mib ({spec.ImageSizeMiB}); images never shrink.");
            }
        }
        var uuid = new Guid(superblock.AsSpan(0x68, 16), bigEndian: true);
        if (uuid != spec.FilesystemUuid)
        {
            throw new ApplianceException(ExitCode.InvalidInput,
                $"Base image {baseImage} has filesystem UUID {uuid}, not {spec.FilesystemUuid} of spec '{spec.Name}': it was built from another spec.");
        }
        var attached = await ProcessRunner.RunAsync("losetup", ["--associated", Path.GetFullPath(baseImage)], cancellationToken: cancellationToken);
        if (!string.IsNullOrWhiteSpace(attached.StandardOutput))
        {
            throw new ApplianceException(ExitCode.Busy,
                $"Base image {baseImage} is in use (attached to {attached.StandardOutput.Split(':')[0]}); unmount it first.");
        }
        await Ext4Image.CheckAsync(baseImage, cancellationToken);
    }
}
