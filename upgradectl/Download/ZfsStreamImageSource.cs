using Appliance.Core.Zfs;
using Appliance.Platform.Cli;
using Appliance.Platform.Files;
using Appliance.Upgradectl.Host;
using Appliance.Upgradectl.Operations;
using Appliance.Upgradectl.Staging;

namespace Appliance.Upgradectl.Download;

/// <summary>
/// An image from a ZFS send stream of the repository, downloaded resumably and verified like any object, then either
/// received into the appliance's pool (<paramref name="pool"/>) and exported from the zvol, or, without ZFS, applied
/// in user space to a copy of the base image (core/Zfs). The stager then verifies and renames the result as always.
/// </summary>
public sealed class ZfsStreamImageSource(RepositoryClient repository, ZfsObjectChoice choice, HostLayout layout, ZfsPool? pool, IStepProgress progress) : IImageSource
{
    private readonly ResumableDownload download = new(repository, layout.Downloads);

    public long ReceivedBytes => download.ReceivedBytes;

    public void RemoveStaleFiles() => download.RemoveAllBut(choice.Object);

    public Task<long> SpaceNeededAsync(CancellationToken cancellationToken) =>
        Task.FromResult(choice.Release.ImageSize + choice.Object.Size);

    public async Task<string> WriteAsync(string partial, OperationJournal journal, CancellationToken cancellationToken)
    {
        journal.Step("downloading");
        var partialDownload = download.PartialPath(choice.Object);
        var start = File.Exists(partialDownload) ? new FileInfo(partialDownload).Length : 0;
        var file = await progress.RunTransferAsync($"Downloading {choice.Description}", choice.Object.Size, start,
            bytes => download.RunAsync(choice.Object, choice.Description, bytes, _ => FaultPoints.Reach(RepositoryImageSource.DataFaultPoint), cancellationToken));
        journal.Step("reconstructing");
        try
        {
            return pool is null
                ? await progress.RunAsync($"Applying the {choice.Description}", _ => ApplyAsync(file, partial, cancellationToken))
                : await ReceiveAndExportAsync(pool, file, partial, cancellationToken);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private Task<string> ApplyAsync(string stream, string partial, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            var release = choice.Release;
            var baseSha256 = choice.FromVersion is { } from ? ImageInventory.Manifest(layout, from)?.Sha256 : null;
            var expected = new ZfsApplyExpectations(release.ImageSize, release.ImageSha256, ZfsSnapshotGuid.ForImage(release.ImageSha256),
                choice.FromGuid, baseSha256);
            using var streamFile = new FileStream(stream, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
            using var baseImage = choice.FromVersion is { } version ? new FileStream(layout.ImagePath(version), FileMode.Open, FileAccess.Read, FileShare.Read) : null;
            using var output = new FileStream(partial, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
            // Checks the base before writing and the result's SHA-256 after: the hash returned is of what was written.
            ZfsStreamApplier.Apply(streamFile, baseImage, output, expected, cancellationToken);
            output.Flush(flushToDisk: true);
            return release.ImageSha256;
        }, cancellationToken);

    private async Task<string> ReceiveAndExportAsync(ZfsPool zfs, string stream, string partial, CancellationToken cancellationToken)
    {
        await progress.RunAsync($"zfs receive of the {choice.Description}", _ => zfs.ReceiveAsync(stream, choice.Release.ImageVersion, cancellationToken));
        var device = await zfs.DeviceAsync(cancellationToken);
        await using var zvol = new FileStream(device, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20, FileOptions.SequentialScan);
        var size = Math.Max(1, choice.Release.ImageSize);
        return await progress.RunAsync($"Exporting {zfs.Zvol} to the image file",
            fraction => SparseCopy.CopyAsync(zvol, partial,
                new Progress<long>(bytes => fraction.Report((double)bytes / size)), cancellationToken));
    }
}
