using Appliance.Platform.Mounts;
using Appliance.Platform.Processes;

namespace Appliance.ImageBuild.Building;

/// <summary>
/// The Datto method: the new image starts as a copy of the previous one and the new tree is synced onto it,
/// so unchanged files keep their blocks and a same-offset block diff stays small.
/// </summary>
public static class LayoutPreservingImageWriter
{
    public static async Task WriteAsync(string baseImage, string image, string tree, string mountPoint, long sizeBytes, CancellationToken cancellationToken)
    {
        File.Delete(image);
        await ProcessRunner.RunAsync("cp", ["--sparse=always", "--reflink=auto", baseImage, image], cancellationToken: cancellationToken);
        if (new FileInfo(image).Length < sizeBytes)
        {
            await using (var file = new FileStream(image, FileMode.Open, FileAccess.Write))
            {
                file.SetLength(sizeBytes);
            }
            await ProcessRunner.RunAsync("resize2fs", ["-f", image], cancellationToken: cancellationToken);
        }

        await using (await Mounter.MountAsync(image, mountPoint, ["-o", "loop,noatime"], cancellationToken))
        {
            // --checksum: clamped timestamps make size+mtime a weak change test. --inplace: rewrite changed
            // files in their existing blocks instead of allocating new ones.
            await ProcessRunner.RunAsync("rsync",
                ["-aHAXx", "--delete", "--checksum", "--inplace", "--numeric-ids", "--exclude=/lost+found",
                 tree.TrimEnd('/') + "/", mountPoint.TrimEnd('/') + "/"],
                cancellationToken: cancellationToken);
        }
        await Ext4Image.ResetJournalAsync(image, cancellationToken);
        await Ext4Image.ZeroFreeBlocksAsync(image, cancellationToken);
    }
}
