using System.Collections.Concurrent;
using Appliance.Fleet.Storage;
using Serilog;

namespace Appliance.Fleet.Serving;

/// <summary>
/// Last-seen times and sequences of check-ins that changed nothing, kept in this node's memory and written in one
/// transaction per flush. Safe with several nodes: a flush never moves a device's stored sequence back (a report that
/// changed something is stored at once, by whichever node took it). Nothing the rollout engine decides reads these
/// times: the silence sweep reads the deadline of a switching device, and the report that ends switching is a change.
/// A crash loses at most one flush interval of last-seen times, never a report that changed anything.
/// </summary>
public sealed class LastSeenBuffer
{
    private ConcurrentDictionary<string, DeviceSeen> pending = new();

    public int Count => pending.Count;

    /// <summary>The newest sequence buffered for the device (0 when none): this node refuses a replay of it before it is flushed.</summary>
    public long SequenceOf(string deviceId) => pending.TryGetValue(deviceId, out var seen) ? seen.Sequence : 0;

    public void Record(string deviceId, long sequence, long seenAt) =>
        pending.AddOrUpdate(deviceId, new DeviceSeen(deviceId, sequence, seenAt),
            (_, old) => old.Sequence >= sequence ? old : new DeviceSeen(deviceId, sequence, seenAt));

    /// <summary>Writes everything buffered in one transaction; on failure the entries go back for the next flush.</summary>
    public async Task<int> FlushAsync(IFleetStore store, CancellationToken cancellationToken)
    {
        var taken = Interlocked.Exchange(ref pending, new ConcurrentDictionary<string, DeviceSeen>());
        if (taken.IsEmpty)
        {
            return 0;
        }
        var rows = taken.Values.ToList();
        try
        {
            await store.InTransactionAsync(async transaction =>
            {
                await transaction.RecordSeenAsync(rows);
                return true;
            }, cancellationToken);
            return rows.Count;
        }
        catch (Exception e) when (e is FleetStoreBusyException or OperationCanceledException)
        {
            foreach (var row in rows)
            {
                Record(row.DeviceId, row.Sequence, row.SeenAt);
            }
            Log.Warning("Last-seen flush of {Count} device(s) postponed: {Message}", rows.Count, e.Message);
            throw;
        }
    }
}
