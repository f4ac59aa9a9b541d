using System.Net;
using System.Net.Http.Headers;
using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Platform.Files;
using Serilog;

namespace Appliance.Upgradectl.Download;

/// <summary>
/// Downloads one object into <c>&lt;sha256&gt;.partial</c> and renames it to <c>&lt;sha256&gt;</c> once its signed size
/// and SHA-256 match. A cut connection, in this run or a killed earlier one, continues with an HTTP Range from the
/// partial file's length; a server that ignores the range (200) makes it start over. Bytes beyond the signed size
/// are refused before they are written. Each attempt must keep up the minimum rate (<see cref="NetworkDeadlines"/>);
/// a full disk stops at once (exit 13) and keeps the partial file for the next run.
/// </summary>
public sealed class ResumableDownload(RepositoryClient repository, string directory)
{
    private const int MaxAttempts = 5;

    /// <summary>Bytes received over the network by this run (a resume counts only what it fetched).</summary>
    public long ReceivedBytes { get; private set; }

    public string CompletePath(ObjectReference reference) => Path.Combine(directory, reference.Sha256);

    public string PartialPath(ObjectReference reference) => CompletePath(reference) + ".partial";

    /// <summary>Removes downloads of other objects, abandoned since another release or object was chosen: their space is needed.</summary>
    public void RemoveAllBut(ObjectReference keep)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }
        var kept = new[] { CompletePath(keep), PartialPath(keep) };
        foreach (var file in Directory.EnumerateFiles(directory).Where(file => !kept.Contains(file)))
        {
            Log.Information("Removing the abandoned download {File}", Path.GetFileName(file));
            File.Delete(file);
        }
    }

    /// <param name="onData">Called after each chunk is written with the partial file's length (a fault-injection point).</param>
    /// <returns>The downloaded, verified file.</returns>
    public async Task<string> RunAsync(ObjectReference reference, string description, IProgress<long>? progress, Action<long> onData, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var complete = CompletePath(reference);
        if (File.Exists(complete) && await VerifiedAsync(complete, reference, description, cancellationToken))
        {
            Log.Information("{Description} was downloaded before", description);
            return complete;
        }
        var partial = PartialPath(reference);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await AttemptAsync(reference, description, partial, progress, onData, cancellationToken);
                File.Move(partial, complete, overwrite: true);
                return complete;
            }
            catch (ApplianceException e) when (e.ExitCode == ExitCode.VerificationFailed)
            {
                File.Delete(partial);
                throw;
            }
            catch (IOException e) when (DiskFull.Is(e))
            {
                throw DiskFull.Error($"downloading {description} (byte {LengthOf(partial)} of {reference.Size} kept for the next run)", e);
            }
            catch (Exception e) when (RepositoryClient.IsNetworkFailure(e, cancellationToken) && attempt < MaxAttempts)
            {
                Log.Warning("Download of {Description} interrupted at byte {Length} ({Error}); retrying", description, LengthOf(partial), e.Message);
                await Task.Delay(repository.Deadlines.RetryDelay * attempt, cancellationToken);
            }
            catch (Exception e) when (RepositoryClient.IsNetworkFailure(e, cancellationToken))
            {
                throw new ApplianceException(ExitCode.DownloadFailed,
                    $"Download of {description} failed {MaxAttempts} times, last at byte {LengthOf(partial)} of {reference.Size} ({e.Message}); run stage again to resume.", e);
            }
        }
    }

    private async Task AttemptAsync(ObjectReference reference, string description, string partial, IProgress<long>? progress, Action<long> onData, CancellationToken cancellationToken)
    {
        var have = LengthOf(partial);
        if (have > reference.Size)
        {
            File.Delete(partial);
            have = 0;
        }
        using var check = new ObjectIntegrityCheck(reference, description);
        if (have == reference.Size)
        {
            await HashExistingAsync(partial, check, cancellationToken);
            check.Complete();
            return;
        }
        var path = RepositoryLayout.ObjectPath(reference.Sha256);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
        }
        await ReceiveAsync(request, reference, description, partial, have, check, progress, onData, cancellationToken);
    }

    private async Task ReceiveAsync(HttpRequestMessage request, ObjectReference reference, string description, string partial, long have,
        ObjectIntegrityCheck check, IProgress<long>? progress, Action<long> onData, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.OriginalString;
        using var response = await repository.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        RepositoryClient.RequireSuccess(response, path);
        if (have > 0 && response.StatusCode != HttpStatusCode.PartialContent)
        {
            Log.Information("The server ignored the range request for {Description}: starting over", description);
            have = 0;
        }
        else if (have > 0)
        {
            Log.Information("Resuming {Description} at byte {Start} of {Size}", description, have, reference.Size);
            if (response.Content.Headers.ContentRange?.From != have)
            {
                throw new HttpRequestException($"the server answered range {response.Content.Headers.ContentRange} to a request from byte {have}");
            }
            await HashExistingAsync(partial, check, cancellationToken);
        }
        if (response.Content.Headers.ContentLength is { } declared)
        {
            check.CheckDeclaredLength(declared);
        }
        // The headers had their own deadline (HttpClient.Timeout); the minimum rate starts with the body.
        using var rate = new RateWatchdog(repository.Deadlines, cancellationToken);
        try
        {
            await ReadBodyAsync(response, partial, have, check, rate, progress, onData, cancellationToken);
        }
        catch (OperationCanceledException e) when (rate.Stalled(cancellationToken) is { } stalled)
        {
            throw new StalledTransferException(stalled.Message, e);
        }
        if (check.Received < reference.Size)
        {
            throw new IOException($"the response ended after {check.Received} of {reference.Size} bytes");
        }
        check.Complete();
    }

    private async Task ReadBodyAsync(HttpResponseMessage response, string partial, long have, ObjectIntegrityCheck check, RateWatchdog rate,
        IProgress<long>? progress, Action<long> onData, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(rate.Token);
        await using (var output = new FileStream(partial, have == 0 ? FileMode.Create : FileMode.Append, FileAccess.Write, FileShare.None, 0))
        {
            var buffer = new byte[256 * 1024];
            while (true)
            {
                var read = await body.ReadAsync(buffer, rate.Token);
                if (read == 0)
                {
                    break;
                }
                rate.Received(read);
                // Checked before written: bytes beyond the signed size never reach the disk.
                check.Append(buffer.AsSpan(0, read));
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                ReceivedBytes += read;
                progress?.Report(output.Length);
                onData(output.Length);
            }
            output.Flush(flushToDisk: true);
        }
    }

    private static async Task<bool> VerifiedAsync(string file, ObjectReference reference, string description, CancellationToken cancellationToken)
    {
        using var check = new ObjectIntegrityCheck(reference, description);
        try
        {
            await HashExistingAsync(file, check, cancellationToken);
            check.Complete();
            return true;
        }
        catch (ApplianceException)
        {
            File.Delete(file);
            return false;
        }
    }

    private static async Task HashExistingAsync(string file, ObjectIntegrityCheck check, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            check.Append(buffer.AsSpan(0, read));
        }
    }

    private static long LengthOf(string file) => File.Exists(file) ? new FileInfo(file).Length : 0;
}
