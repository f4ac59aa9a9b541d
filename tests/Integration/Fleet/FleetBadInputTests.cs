using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Appliance.Core.Fleet;
using Appliance.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Appliance.Tests.Integration.Fleet;

/// <summary>Malformed, oversized and replayed check-ins, unknown versions and a locked database, against the real fleet process.</summary>
[Collection(SerialCollection.Name)]
public sealed class FleetBadInputTests : IAsyncLifetime
{
    private readonly TempDirectory temp = new();
    private RunningFleet fleet = null!;

    public async Task InitializeAsync() => fleet = await RunningFleet.StartAsync(temp.File("fleet"), "--busy-timeout-ms", "500");

    public async Task DisposeAsync()
    {
        await fleet.DisposeAsync();
        temp.Dispose();
    }

    [Fact]
    public async Task Oversized_malformed_and_replayed_check_ins_are_refused_and_change_nothing()
    {
        using var device = await EnrolledAsync();
        Assert.Equal(HttpStatusCode.OK, await device.CheckInAsync());

        using var oversized = await device.SendAsync(Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', FleetProtocol.MaxRequestBytes) + "\"}"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
        using var notJson = await device.SendAsync(Encoding.UTF8.GetBytes("{\"sequence\": 5, \"status\": "));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        using var missingField = await device.SendAsync(Encoding.UTF8.GetBytes("{\"sequence\": 5, \"status\": {}, \"outcomes\": []}"));
        Assert.Equal(HttpStatusCode.BadRequest, missingField.StatusCode);
        var (sequence, status) = device.NextRequestParts();
        status.Remove("boot_state");
        using var noBootState = await device.SendAsync(Body(sequence, status));
        Assert.Equal(HttpStatusCode.BadRequest, noBootState.StatusCode);

        var (_, good) = device.NextRequestParts();
        using var replay = await device.SendAsync(Body(1, good));
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);

        var record = (await fleet.AdminAsync(HttpMethod.Get, "/devices/" + device.DeviceId)).GetProperty("device");
        Assert.Equal(1, record.GetProperty("last_sequence").GetInt64());
        Assert.Equal(HttpStatusCode.OK, await device.CheckInAsync());
    }

    [Fact]
    public async Task A_version_nobody_released_is_recorded_and_audited_without_harm()
    {
        using var device = await EnrolledAsync();
        var (sequence, status) = device.NextRequestParts();
        status["booted"]!["version"] = 999;
        status["boot_state"]!["default"] = 999;
        using var answer = await device.SendAsync(Body(sequence, status));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);

        var record = (await fleet.AdminAsync(HttpMethod.Get, "/devices/" + device.DeviceId)).GetProperty("device");
        Assert.Equal(999, record.GetProperty("unknown_version").GetInt32());
        var audit = await fleet.AdminAsync(HttpMethod.Get, "/audit?subject=device/" + device.DeviceId);
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "unknown_version");
    }

    [Fact]
    public async Task A_locked_database_answers_503_with_Retry_After_and_the_check_in_succeeds_afterwards()
    {
        using var device = await EnrolledAsync();
        await using (var locker = new SqliteConnection($"Data Source={Path.Combine(fleet.DataDirectory, "fleet.db")};Pooling=False"))
        {
            await locker.OpenAsync();
            await using var command = locker.CreateCommand();
            command.CommandText = "BEGIN EXCLUSIVE;";
            await command.ExecuteNonQueryAsync();

            var (sequence, status) = device.NextRequestParts();
            using var busy = await device.SendAsync(Body(sequence, status));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            Assert.NotNull(busy.Headers.RetryAfter);

            command.CommandText = "ROLLBACK;";
            await command.ExecuteNonQueryAsync();
        }
        Assert.Equal(HttpStatusCode.OK, await device.CheckInAsync());
    }

    private async Task<Appliance.Fleet.Simulation.SimulatedAppliance> EnrolledAsync()
    {
        var token = await fleet.GroupWithTokenAsync("g" + Guid.NewGuid().ToString("N")[..8], maxUses: 1);
        var device = fleet.NewAppliance(1);
        Assert.Equal(HttpStatusCode.OK, await device.EnrolAsync(token));
        return device;
    }

    private static byte[] Body(long sequence, JsonObject status) =>
        JsonSerializer.SerializeToUtf8Bytes(new CheckInRequest(sequence, JsonSerializer.SerializeToElement(status), [], null), FleetJsonContext.Default.CheckInRequest);
}
