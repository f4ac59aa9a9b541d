using System.Net;
using System.Text.Json;
using Appliance.Fleet.Api;
using Appliance.Fleet.Rollouts;
using Appliance.Fleet.Simulation;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Fleet;

/// <summary>
/// Two real fleet processes in front of one PostgreSQL database (sharing the CA and certificate of one data
/// directory), each serving half of the devices, their reports racing: every rollout decision happens once.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class FleetTwoNodeRaceTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const int PerNode = 100;

    [Fact]
    public async Task Reports_racing_across_two_nodes_advance_the_ring_once_and_halt_once_with_exact_counters()
    {
        using var temp = new TempDirectory();
        var database = postgres.Cluster.NewDatabase();
        await using var nodeA = await RunningFleet.StartAsync(temp.File("fleet"), "--database", database);
        await using var nodeB = await RunningFleet.StartAsync(temp.File("fleet"), "--database", database);
        var token = await nodeA.GroupWithTokenAsync("fleet", maxUses: 2 * PerNode);
        using var onA = nodeA.NewPopulation(PerNode, version: 1);
        using var onB = nodeB.NewPopulation(PerNode, version: 1);
        Assert.All(await Task.WhenAll(onA.EnrolAllAsync(token), onB.EnrolAllAsync(token)), statuses => Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s)));
        var rings = new[] { 20, 100 };
        bool InCanary(SimulatedAppliance d) => RingAssignment.Ring(RingAssignment.Bucket(d.DeviceId), rings) == 0;
        // Ten failing devices behind each node, all outside the canary ring: the first failure already crosses 1 per 1000.
        var failing = onA.Devices.Where(d => !InCanary(d)).Take(10).Concat(onB.Devices.Where(d => !InCanary(d)).Take(10)).ToList();
        failing.ForEach(d => d.Behaviour = SimulatedBehaviour.FailsTrial);
        var id = (await nodeB.AdminAsync(HttpMethod.Post, "/rollouts",
            new RolloutRequest("stable", 2, "https://127.0.0.1:8443/", "20,100", RolloutPolicy.HaltOnly, null, 1, null))).GetProperty("id").GetInt64();

        for (var round = 0; round < 3; round++)
        {
            await BothAsync(onA.RoundAsync(InCanary), onB.RoundAsync(InCanary));
        }
        Assert.Equal(1, (await nodeA.RolloutAsync(id)).GetProperty("current_ring").GetInt32());
        for (var round = 0; round < 2; round++)
        {
            await BothAsync(onA.RoundAsync(), onB.RoundAsync());
        }
        // Every failing device reports its failed trial at the same moment, half of them to each node.
        Assert.All(await Task.WhenAll(failing.Select(d => d.CheckInAsync())), s => Assert.Equal(HttpStatusCode.OK, s));

        var detail = await nodeB.AdminAsync(HttpMethod.Get, $"/rollouts/{id}");
        var rollout = detail.GetProperty("rollout");
        Assert.Equal(RolloutState.Halted, rollout.GetProperty("state").GetString());
        var devices = detail.GetProperty("devices").EnumerateArray().ToList();
        int Count(string state) => devices.Count(d => d.GetProperty("state").GetString() == state);
        // Given the release: the apply went out (switching) or the device got there (confirmed or failed).
        Assert.Equal(Count(DeviceRolloutState.Switching) + Count(DeviceRolloutState.Confirmed) + Count(DeviceRolloutState.Failed), rollout.GetProperty("given").GetInt32());
        Assert.Equal(Count(DeviceRolloutState.Confirmed), rollout.GetProperty("confirmed").GetInt32());
        Assert.Equal(Count(DeviceRolloutState.Failed), rollout.GetProperty("failed").GetInt32());
        Assert.Equal(failing.Count, Count(DeviceRolloutState.Failed));
        foreach (var counter in new[] { "given", "confirmed", "failed" })
        {
            Assert.Equal(rollout.GetProperty(counter).GetInt32(), detail.GetProperty("rings").EnumerateArray().Sum(r => r.GetProperty(counter).GetInt32()));
        }
        var audit = (await nodeA.AdminAsync(HttpMethod.Get, $"/audit?subject=rollout/{id}")).EnumerateArray().ToList();
        Assert.Single(audit, e => Action(e) == "halt");
        Assert.Single(audit, e => Action(e) == "advance_ring");
    }

    private static string? Action(JsonElement entry) => entry.GetProperty("action").GetString();

    private static async Task BothAsync(params Task<IReadOnlyDictionary<HttpStatusCode, int>>[] rounds)
    {
        foreach (var counts in await Task.WhenAll(rounds))
        {
            Assert.True(counts.Keys.All(k => k == HttpStatusCode.OK), string.Join(", ", counts.Select(c => $"{c.Key}: {c.Value}")));
        }
    }
}
