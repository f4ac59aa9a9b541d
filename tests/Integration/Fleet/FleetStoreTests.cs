using Appliance.Fleet.Rollouts;
using Appliance.Fleet.Storage;
using Appliance.Fleet.Storage.Sqlite;
using Appliance.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Appliance.Tests.Integration.Fleet;

/// <summary>The SQLite store on a real file: migrations once, and two nodes sweeping the same database count a silent device once.</summary>
[Collection(SerialCollection.Name)]
public sealed class FleetStoreTests
{
    [Fact]
    public async Task Migrations_are_applied_once_and_recorded()
    {
        using var temp = new TempDirectory();
        var file = temp.File("fleet.db");
        using (var store = new SqliteFleetStore(file, TimeSpan.FromSeconds(5)))
        {
            await store.MigrateAsync(CancellationToken.None);
            await store.MigrateAsync(CancellationToken.None);
        }
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM schema_migrations; PRAGMA journal_mode;";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(FleetMigrations.ForSqlite.Count, reader.GetInt32(0));
        Assert.True(await reader.NextResultAsync() && await reader.ReadAsync());
        Assert.Equal("wal", reader.GetString(0));
    }

    [Fact]
    public async Task Two_nodes_sweeping_at_once_count_a_silent_device_as_failed_once()
    {
        using var temp = new TempDirectory();
        var file = temp.File("fleet.db");
        using var nodeA = new SqliteFleetStore(file, TimeSpan.FromSeconds(10));
        using var nodeB = new SqliteFleetStore(file, TimeSpan.FromSeconds(10));
        await nodeA.MigrateAsync(CancellationToken.None);
        var engine = new RolloutEngine(new EngineSettings(300), TimeProvider.System);
        var past = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();
        var rolloutId = await nodeA.InTransactionAsync(async t =>
        {
            await t.InsertGroupAsync(new GroupRow { Name = "lab", Channel = "stable", MaxSwitching = 10 }, past);
            var devices = Enumerable.Range(0, 5).Select(i => $"d-{i:x40}").ToList();
            foreach (var id in devices)
            {
                await t.InsertDeviceAsync(new DeviceRow { Id = id, GroupName = "lab", Hostname = "h", Bucket = RingAssignment.Bucket(id), EnrolledAt = past, Version = 1 });
            }
            var rollout = await t.InsertRolloutAsync(new RolloutRow
            {
                Channel = "stable", Version = 2, RepositoryUrl = "https://127.0.0.1/", Rings = "100", State = RolloutState.Active,
                Policy = RolloutPolicy.HaltOnly, AdvancePerMille = 999, MinConfirmed = 1, SilenceSeconds = 1, CreatedAt = past,
            }, 1);
            foreach (var id in devices)
            {
                await t.InsertRolloutDeviceAsync(new RolloutDeviceRow
                {
                    RolloutId = rollout, DeviceId = id, Ring = 0, State = DeviceRolloutState.Switching, FromVersion = 1, DeadlineAt = past, UpdatedAt = past,
                });
                await t.AddToCountersAsync(rollout, 0, 1, 0, 0);
            }
            return rollout;
        }, CancellationToken.None);

        var sweeps = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            (i % 2 == 0 ? nodeA : nodeB).InTransactionAsync(t => engine.SweepAsync(t, 100), CancellationToken.None)));

        Assert.Equal(5, sweeps.Sum());
        var (rollout, audit) = await nodeB.InTransactionAsync(async t => (await t.GetRolloutAsync(rolloutId), await t.QueryAuditAsync(0, null, 100)), CancellationToken.None);
        Assert.Equal((5, 5, RolloutState.Halted), (rollout!.Given, rollout.Failed, rollout.State));
        Assert.Equal(5, audit.Count(e => e.Action == "device_failed"));
        Assert.Single(audit, e => e.Action == "halt");
    }
}
