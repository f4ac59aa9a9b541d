using System.Diagnostics;
using System.Globalization;
using Appliance.Core.Errors;
using Appliance.Platform.Processes;
using Serilog;

namespace Appliance.Upgradectl.Download;

/// <summary>
/// The appliance's pool, as the article keeps releases: one zvol <c>&lt;dataset&gt;/image</c> whose snapshot
/// <c>@N</c> holds image N. Receiving a stream adds the next snapshot; the newest stays as the next incremental's base.
/// </summary>
public sealed class ZfsPool(string dataset)
{
    private static readonly TimeSpan DeviceWait = TimeSpan.FromSeconds(60);

    public string Zvol => $"{dataset}/image";

    public string DevicePath => $"/dev/zvol/{Zvol}";

    /// <summary>The image snapshots present: version -> GUID (none when the zvol does not exist yet).</summary>
    public async Task<IReadOnlyDictionary<int, ulong>> SnapshotsAsync(CancellationToken cancellationToken)
    {
        var exists = await ProcessRunner.RunAsync(Tool, ["list", "-H", "-o", "name", Zvol], new ProcessOptions(AllowedExitCodes: [0, 1]), cancellationToken);
        if (exists.ExitCode != 0)
        {
            return new Dictionary<int, ulong>();
        }
        var listing = await ProcessRunner.RunAsync(Tool, ["list", "-H", "-p", "-t", "snapshot", "-o", "name,guid", "-d", "1", Zvol], cancellationToken: cancellationToken);
        var snapshots = new Dictionary<int, ulong>();
        foreach (var line in listing.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('\t');
            var name = fields[0];
            if (fields.Length == 2 && name.StartsWith(Zvol + "@", StringComparison.Ordinal)
                && int.TryParse(name[(Zvol.Length + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                && ulong.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var guid))
            {
                snapshots[version] = guid;
            }
        }
        return snapshots;
    }

    /// <summary>
    /// <c>zfs receive -F &lt;zvol&gt;@&lt;version&gt;</c> from the stream file: a full stream creates (or replaces) the
    /// zvol, an incremental needs its base as the newest snapshot (-F rolls back any change made since).
    /// </summary>
    public async Task ReceiveAsync(string streamFile, int version, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(ToolLocator.Require(Tool))
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["receive", "-F", $"{Zvol}@{version}"])
        {
            startInfo.ArgumentList.Add(argument);
        }
        using var process = Process.Start(startInfo)!;
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await using (var stream = new FileStream(streamFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
            {
                await stream.CopyToAsync(process.StandardInput.BaseStream, cancellationToken);
            }
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // zfs receive stopped reading (a refused stream): its exit code and message say why.
        }
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new ApplianceException(ExitCode.VerificationFailed, $"zfs receive refused the stream into {Zvol}@{version}: {(await stderr).Trim()}");
        }
        Log.Information("Received {Zvol}@{Version}", Zvol, version);
    }

    /// <summary>The zvol's block device, once udev made it (it appears asynchronously after a receive).</summary>
    public async Task<string> DeviceAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (!File.Exists(DevicePath))
        {
            if (waited.Elapsed > DeviceWait)
            {
                throw new ApplianceException(ExitCode.ExternalToolFailed, $"{DevicePath} did not appear within {DeviceWait.TotalSeconds:F0} s of the receive.");
            }
            await Task.Delay(250, cancellationToken);
        }
        return DevicePath;
    }

    /// <summary>Destroys the image snapshots not in <paramref name="keep"/>, never the newest (the next incremental's base).</summary>
    public async Task<IReadOnlyList<int>> PruneAsync(IReadOnlySet<int> keep, CancellationToken cancellationToken)
    {
        var snapshots = await SnapshotsAsync(cancellationToken);
        if (snapshots.Count == 0)
        {
            return [];
        }
        var newest = snapshots.Keys.Max();
        var doomed = snapshots.Keys.Where(version => version != newest && !keep.Contains(version)).Order().ToList();
        foreach (var version in doomed)
        {
            await ProcessRunner.RunAsync(Tool, ["destroy", $"{Zvol}@{version}"], cancellationToken: cancellationToken);
            Log.Information("Destroyed snapshot {Zvol}@{Version}", Zvol, version);
        }
        return doomed;
    }

    private const string Tool = "zfs";
}
