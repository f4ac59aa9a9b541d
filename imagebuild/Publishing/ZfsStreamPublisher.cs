using Appliance.Core.Repository;
using Appliance.Core.Zfs;
using Appliance.Platform.Cli;
using Appliance.Platform.Files;

namespace Appliance.ImageBuild.Publishing;

/// <summary>Writes a release's ZFS send streams (core/Zfs, no ZFS needed) and adds them to the repository as objects.</summary>
public static class ZfsStreamPublisher
{
    public static async Task<ZfsFullObject> AddFullAsync(
        RepositoryWriter repository, IStepProgress progress, VerifiedImageFile target, string work, CancellationToken cancellationToken)
    {
        var file = Path.Combine(work, $"{target.Manifest.Version}.zfs");
        await progress.RunAsync($"ZFS full stream {target.Manifest.Version}", _ => Task.Run(() =>
        {
            using var image = Open(target.Image);
            return AtomicFile.Write(file, output => ZvolStreamWriter.WriteFull(Zvol(image, target), output, cancellationToken));
        }, cancellationToken));
        var added = await repository.AddObjectAsync(file, cancellationToken);
        File.Delete(file);
        return new ZfsFullObject(ZfsSnapshotGuid.ForImage(target.Manifest.Sha256), ZfsStreamFormat.VolBlockSize, added.Sha256, added.Size);
    }

    public static async Task<ZfsIncrementalObject> AddIncrementalAsync(
        RepositoryWriter repository, IStepProgress progress, VerifiedImageFile from, VerifiedImageFile to, string work, CancellationToken cancellationToken)
    {
        var file = Path.Combine(work, $"{from.Manifest.Version}-{to.Manifest.Version}.zfs");
        await progress.RunAsync($"ZFS incremental stream {from.Manifest.Version} -> {to.Manifest.Version}", _ => Task.Run(() =>
        {
            using var baseImage = Open(from.Image);
            using var target = Open(to.Image);
            return AtomicFile.Write(file, output => ZvolStreamWriter.WriteIncremental(Zvol(baseImage, from), Zvol(target, to), output, cancellationToken));
        }, cancellationToken));
        var added = await repository.AddObjectAsync(file, cancellationToken);
        File.Delete(file);
        return new ZfsIncrementalObject(from.Manifest.Version, from.Manifest.Sha256, ZfsSnapshotGuid.ForImage(from.Manifest.Sha256), added.Sha256, added.Size);
    }

    private static FileStream Open(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);

    private static ZvolImage Zvol(Stream bytes, VerifiedImageFile image) => new(bytes, image.Manifest.Sha256, image.Manifest.Version);
}
