using System.Diagnostics;
using System.Net;
using Appliance.Fleet.Api;
using Appliance.Fleet.Rollouts;
using Appliance.Fleet.Simulation;
using Appliance.Tests.Support;
using Xunit.Abstractions;

namespace Appliance.Tests.Integration.Fleet;

/// <summary>Meta's rule with a population large enough for it to mean something: 1,200 simulated appliances over real mutual TLS.</summary>
[Collection(SerialCollection.Name)]
public sealed class FleetHaltAtScaleTests(ITestOutputHelper output)
{
    private const int Population = 1200;

    [Fact]
    public async Task The_rollout_halts_on_the_report_that_takes_failures_above_one_per_thousand_given()
    {
        using var temp = new TempDirectory();
        await using var fleet = await RunningFleet.StartAsync(temp.File("fleet"));
        var token = await fleet.GroupWithTokenAsync("fleet", maxUses: Population);
        using var population = fleet.NewPopulation(Population, version: 1, parallelism: 8);
        var clock = Stopwatch.StartNew();
        Assert.Empty(await population.EnrolAllAsync(token));
        var enrolled = clock.Elapsed;
        // Two devices outside the canary ring fail their trial: the first failure is 1 of 1200 (within the rule), the second crosses it.
        var rings = new[] { 1, 100 };
        var failing = population.Devices.Where(d => RingAssignment.Ring(RingAssignment.Bucket(d.DeviceId), rings) == 1).Take(2).ToList();
        failing.ForEach(d => d.Behaviour = SimulatedBehaviour.FailsTrial);
        var canary = population.Devices.Where(d => RingAssignment.Ring(RingAssignment.Bucket(d.DeviceId), rings) == 0).ToHashSet();
        var id = (await fleet.AdminAsync(HttpMethod.Post, "/rollouts",
            new RolloutRequest("stable", 2, "https://127.0.0.1:8443/", "1,100", RolloutPolicy.HaltOnly, null, 1, null))).GetProperty("id").GetInt64();

        await AllOkAsync(population.RoundAsync());
        Assert.All(population.Devices, d => Assert.Equal(canary.Contains(d) ? 1 : 0, d.Actions.Count));
        await AllOkAsync(population.RoundAsync(canary.Contains));
        await AllOkAsync(population.RoundAsync(canary.Contains));
        Assert.Equal(1, (await fleet.RolloutAsync(id)).GetProperty("current_ring").GetInt32());

        await AllOkAsync(population.RoundAsync(d => !failing.Contains(d)));
        await AllOkAsync(population.RoundAsync(d => !failing.Contains(d)));
        foreach (var device in failing)
        {
            Assert.Equal(HttpStatusCode.OK, await device.CheckInAsync());
            Assert.Equal(HttpStatusCode.OK, await device.CheckInAsync());
        }
        var given = await fleet.RolloutAsync(id);
        Assert.Equal((Population, RolloutState.Active), (given.GetProperty("given").GetInt32(), given.GetProperty("state").GetString()));

        Assert.Equal(HttpStatusCode.OK, await failing[0].CheckInAsync());
        var oneFailed = await fleet.RolloutAsync(id);
        Assert.Equal((1, RolloutState.Active), (oneFailed.GetProperty("failed").GetInt32(), oneFailed.GetProperty("state").GetString()));

        Assert.Equal(HttpStatusCode.OK, await failing[1].CheckInAsync());
        var halted = await fleet.RolloutAsync(id);
        Assert.Equal((2, RolloutState.Halted), (halted.GetProperty("failed").GetInt32(), halted.GetProperty("state").GetString()));
        Assert.Equal($"2 failed of {Population} given the release: more than 1 per 1000", halted.GetProperty("state_reason").GetString());
        var halt = (await fleet.AdminAsync(HttpMethod.Get, $"/audit?subject=rollout/{id}")).EnumerateArray().Single(e => e.GetProperty("action").GetString() == "halt");
        Assert.Equal("engine", halt.GetProperty("actor").GetString());
        output.WriteLine($"{Population} devices enrolled in {enrolled.TotalSeconds:F1} s; whole test {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task AllOkAsync(Task<IReadOnlyDictionary<HttpStatusCode, int>> round)
    {
        var counts = await round;
        Assert.True(counts.Keys.All(k => k == HttpStatusCode.OK), string.Join(", ", counts.Select(c => $"{c.Key}: {c.Value}")));
    }
}
