using Appliance.Core.Delta;
using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Platform.Cli;
using Appliance.Platform.Files;
using Appliance.Upgradectl.Host;
using Appliance.Upgradectl.Operations;
using Appliance.Upgradectl.Staging;
using Serilog;

namespace Appliance.Upgradectl.Download;

/// <summary>
/// An image from the repository: the chosen object (delta or full) is downloaded, resumably, to the host partition,
/// then turned into the image: a delta applied to the local base image, or the full image decompressed sparse.
/// The downloaded object is removed once it was used (or refused); a full disk keeps it for the next run. A delta
/// the local base refuses (its bytes are not what its manifest says) falls back to the full image in the same run.
/// </summary>
public sealed class RepositoryImageSource(RepositoryClient repository, DownloadChoice choice, HostLayout layout, IStepProgress progress) : IImageSource
{
    /// <summary>Reached after each chunk written to the partial download: a kill there leaves a partial to resume.</summary>
    public const string DataFaultPoint = "stage.downloading-data";

    private readonly ResumableDownload download = new(repository, layout.Downloads);

    public long ReceivedBytes => download.ReceivedBytes;

    private DownloadChoice? fallback;

    /// <summary>The way the image finally came: the chosen path, or the full image after a refused delta.</summary>
    public DownloadChoice Used => fallback ?? choice;

    public Task<long> SpaceNeededAsync(CancellationToken cancellationToken) =>
        Task.FromResult(choice.Release.ImageSize + choice.Object.Size - LengthOf(download.PartialPath(choice.Object)));

    public void RemoveStaleFiles() => download.RemoveAllBut(choice.Object);

    public async Task<string> WriteAsync(string partial, OperationJournal journal, CancellationToken cancellationToken)
    {
        var file = await DownloadAsync(choice, journal, cancellationToken);
        if (choice.FromVersion is not null)
        {
            try
            {
                return await ReconstructAsync(choice, file, partial, journal, cancellationToken);
            }
            catch (ApplianceException e) when (e.ExitCode == ExitCode.VerificationFailed)
            {
                // The delta itself matched its signed hash: it is the local base (or the result) that does not fit.
                Log.Warning("The {Delta} could not be applied here ({Error}); downloading the full image instead", choice.Description, e.Message);
                File.Delete(partial);
                fallback = DownloadChoice.Full(choice.Release);
                FreeSpace.Require(layout.Images, choice.Release.ImageSize + Used.Object.Size, $"the full image {choice.Release.ImageVersion}");
                file = await DownloadAsync(Used, journal, cancellationToken);
            }
        }
        return await ReconstructAsync(Used, file, partial, journal, cancellationToken);
    }

    private Task<string> DownloadAsync(DownloadChoice way, OperationJournal journal, CancellationToken cancellationToken)
    {
        journal.Step("downloading");
        return progress.RunTransferAsync($"Downloading {way.Description}", way.Object.Size, LengthOf(download.PartialPath(way.Object)),
            bytes => download.RunAsync(way.Object, way.Description, bytes, _ => FaultPoints.Reach(DataFaultPoint), cancellationToken));
    }

    private async Task<string> ReconstructAsync(DownloadChoice way, string file, string partial, OperationJournal journal, CancellationToken cancellationToken)
    {
        journal.Step("reconstructing");
        try
        {
            var sha256 = way.FromVersion is { } from
                ? await progress.RunAsync($"Applying the delta to image {from}", _ => ApplyDeltaAsync(file, layout.ImagePath(from), partial, cancellationToken))
                : await progress.RunAsync("Decompressing the image", fraction => FullImageDecompressor.DecompressAsync(file, partial, way.Release.ImageSize, fraction, cancellationToken));
            File.Delete(file);
            return sha256;
        }
        catch (Exception e) when (!DiskFull.Is(e))
        {
            File.Delete(file);
            throw;
        }
    }

    private static long LengthOf(string file) => File.Exists(file) ? new FileInfo(file).Length : 0;

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
}
