using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Appliance.Core.Fleet;
using Appliance.Fleet.Simulation;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Fleet;

/// <summary>
/// What a check-in costs the database, once per store (the subclasses): one that changes nothing commits no write at
/// all (its last-seen time waits in the node's memory), and an orderly restart stores what was waiting.
/// </summary>
public abstract class FleetCheckInCostTests : IAsyncLifetime
{
    private readonly TempDirectory temp = new();
    private RunningFleet fleet = null!;

    /// <summary>The <c>fleet serve</c> options that choose the store.</summary>
    protected abstract string[] StoreOptions { get; }

    /// <summary>A value that changes whenever anything is committed to the store by anyone (not by reading it).</summary>
    protected abstract Task<string> WriteMarkAsync(RunningFleet node);

    // The flush interval is longer than the test: only the stop may write the batched times.
    public async Task InitializeAsync() => fleet = await RunningFleet.StartAsync(temp.File("fleet"), ["--last-seen-flush", "3600", .. StoreOptions]);

    public async Task DisposeAsync()
    {
        await fleet.DisposeAsync();
        temp.Dispose();
    }

    [Fact]
    public async Task A_check_in_that_changes_nothing_writes_nothing_and_a_restart_loses_no_report()
    {
        var token = await fleet.GroupWithTokenAsync("lab", maxUses: 1);
        using var device = fleet.NewAppliance(1);
        Assert.Equal(HttpStatusCode.OK, await device.EnrolAsync(token));
        Assert.Equal(HttpStatusCode.OK, await device.CheckInAsync());
        var before = await WriteMarkAsync(fleet);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await device.CheckInAsync());
        }
        // Only the uptime and the free space moved: still nothing new.
        var (sequence, status) = device.NextRequestParts();
        status["booted"]!["uptime_seconds"] = 4242.5;
        status["host"]!["free_bytes"] = 1234L;
        using (var moved = await device.SendAsync(Body(sequence, status)))
        {
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }

        Assert.Equal(before, await WriteMarkAsync(fleet));
        Assert.Equal(1, (await DeviceAsync()).GetProperty("last_sequence").GetInt64());
        // The node still refuses a replay of what it holds in memory.
        using (var replay = await device.SendAsync(Body(sequence, status)))
        {
            Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        }

        var stoppedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await fleet.StopAndRestartAsync();
        var stored = await DeviceAsync();
        Assert.Equal(sequence, stored.GetProperty("last_sequence").GetInt64());
        Assert.InRange(stored.GetProperty("last_seen").GetInt64(), stoppedAt - 60_000, stoppedAt);
        using (var replay = await device.SendAsync(Body(sequence, status)))
        {
            Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        }

        // A report that says something new is stored at once, before the answer.
        var (next, changed) = device.NextRequestParts();
        changed["images"] = new JsonArray(new JsonObject { ["version"] = 2, ["state"] = "staged" });
        using (var report = await device.SendAsync(Body(next, changed)))
        {
            Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        }
        Assert.Equal(next, (await DeviceAsync()).GetProperty("last_sequence").GetInt64());
    }

    private async Task<JsonElement> DeviceAsync() =>
        (await fleet.AdminAsync(HttpMethod.Get, "/devices/" + (await fleet.AdminAsync(HttpMethod.Get, "/devices"))[0].GetProperty("id").GetString())).GetProperty("device");

    private static byte[] Body(long sequence, JsonObject status) =>
        JsonSerializer.SerializeToUtf8Bytes(new CheckInRequest(sequence, JsonSerializer.SerializeToElement(status), [], null), FleetJsonContext.Default.CheckInRequest);
}
