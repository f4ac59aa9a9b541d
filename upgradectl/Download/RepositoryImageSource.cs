using Appliance.Core.Delta;
using Appliance.Core.Repository;
using Appliance.Platform.Cli;
using Appliance.Platform.Files;
using Appliance.Upgradectl.Host;
using Appliance.Upgradectl.Operations;
using Appliance.Upgradectl.Staging;

namespace Appliance.Upgradectl.Download;

/// <summary>
/// An image from the repository: the chosen object (delta or full) is downloaded, resumably, to the host partition,
/// then turned into the image: a delta applied to the local base image, or the full image decompressed sparse.
/// The downloaded object is removed once it was used (or refused).
/// </summary>
public sealed class RepositoryImageSource(RepositoryClient repository, DownloadChoice choice, HostLayout layout, IStepProgress progress) : IImageSource
{
    /// <summary>Reached after each chunk written to the partial download: a kill there leaves a partial to resume.</summary>
    public const string DataFaultPoint = "stage.downloading-data";

    private readonly ResumableDownload download = new(repository, layout.Downloads);

    public long ReceivedBytes => download.ReceivedBytes;

    public Task<long> SpaceNeededAsync(CancellationToken cancellationToken) =>
        Task.FromResult(choice.Release.ImageSize + choice.Object.Size);

    public async Task<string> WriteAsync(string partial, OperationJournal journal, CancellationToken cancellationToken)
    {
        journal.Step("downloading");
        RemoveOtherDownloads();
        var partialDownload = download.PartialPath(choice.Object);
        var start = File.Exists(partialDownload) ? new FileInfo(partialDownload).Length : 0;
        var file = await progress.RunTransferAsync($"Downloading {choice.Description}", choice.Object.Size, start,
            bytes => download.RunAsync(choice.Object, choice.Description, bytes, _ => FaultPoints.Reach(DataFaultPoint), cancellationToken));

        journal.Step("reconstructing");
        try
        {
            return choice.FromVersion is { } from
                ? await progress.RunAsync($"Applying the delta to image {from}", _ => ApplyDeltaAsync(file, layout.ImagePath(from), partial, cancellationToken))
                : await progress.RunAsync("Decompressing the image", fraction => FullImageDecompressor.DecompressAsync(file, partial, choice.Release.ImageSize, fraction, cancellationToken));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static Task<string> ApplyDeltaAsync(string delta, string baseImage, string partial, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            using var deltaStream = new FileStream(delta, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
            using var baseStream = new FileStream(baseImage, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var output = new FileStream(partial, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
            // Checks the base's hash before writing and the result's hash after: the returned hash is of what was written.
            var header = DeltaApplier.Apply(deltaStream, baseStream, output, cancellationToken);
            output.Flush(flushToDisk: true);
            return header.TargetSha256;
        }, cancellationToken);

    /// <summary>Downloads of other objects were abandoned (another release was chosen since): their space is needed.</summary>
    private void RemoveOtherDownloads()
    {
        if (!Directory.Exists(layout.Downloads))
        {
            return;
        }
        var keep = new[] { download.CompletePath(choice.Object), download.PartialPath(choice.Object) };
        foreach (var file in Directory.EnumerateFiles(layout.Downloads).Where(file => !keep.Contains(file)))
        {
            File.Delete(file);
        }
    }
}
