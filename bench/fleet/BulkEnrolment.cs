using Appliance.Fleet.Rollouts;
using Appliance.Fleet.Storage;

namespace Appliance.Bench.Fleet;

/// <summary>
/// Puts the cached population into a fresh fleet database the way enrolment would have (the device row, the known
/// version, the "enrol" audit entry), plus the status each device reported at its previous check-in, so the bench
/// starts in the steady state of a fleet that has been running for an interval. Runs before the node starts.
/// </summary>
public static class BulkEnrolment
{
    public const string Group = "bench";
    private const int BatchSize = 5000;

    public static async Task RunAsync(string dataDirectory, string? database, IReadOnlyList<DeviceCredentials> devices, string statusJson, int version)
    {
        using var store = FleetStores.Open(database, dataDirectory, TimeSpan.FromSeconds(60));
        await store.MigrateAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await store.InTransactionAsync(async t =>
        {
            await t.InsertGroupAsync(new GroupRow { Name = Group, Channel = "stable", MaxSwitching = 1000 }, now);
            await t.AddKnownVersionAsync(version);
            return true;
        }, CancellationToken.None);
        foreach (var batch in devices.Chunk(BatchSize))
        {
            await store.InTransactionAsync(async t =>
            {
                foreach (var device in batch)
                {
                    await t.InsertDeviceAsync(new DeviceRow
                    {
                        Id = device.DeviceId, GroupName = Group, Hostname = "sim-" + device.DeviceId[2..10], Bucket = RingAssignment.Bucket(device.DeviceId),
                        EnrolledAt = now, Version = version,
                    });
                    await AuditLog.AppendAsync(t, now, "token/bench", "enrol", RolloutEngine.DeviceSubject(device.DeviceId), null, null,
                        new { group = Group, hostname = "sim-" + device.DeviceId[2..10], version });
                    await t.RecordCheckInAsync(device.DeviceId, 0, version, null, statusJson, now);
                }
                return true;
            }, CancellationToken.None);
        }
    }

    public static string Serialize(System.Text.Json.Nodes.JsonObject status) => status.ToJsonString();
}
