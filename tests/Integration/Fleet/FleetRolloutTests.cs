using System.Net;
using System.Text.Json;
using Appliance.Core.Fleet;
using Appliance.Fleet.Api;
using Appliance.Fleet.Rollouts;
using Appliance.Fleet.Simulation;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Fleet;

/// <summary>
/// Rollouts driven by simulated appliances against the real fleet process, once per store (the subclasses: SQLite
/// and a real PostgreSQL).
/// </summary>
public abstract class FleetRolloutTests : IAsyncLifetime
{
    private const string Repository = "https://127.0.0.1:8443/";
    private readonly TempDirectory temp = new();
    private readonly List<SimulatedAppliance> appliances = [];
    private RunningFleet fleet = null!;

    /// <summary>The <c>fleet serve</c> options that choose the store.</summary>
    protected abstract string[] StoreOptions { get; }

    public async Task InitializeAsync() => fleet = await RunningFleet.StartAsync(temp.File("fleet"), ["--sweep-interval", "1", .. StoreOptions]);

    public async Task DisposeAsync()
    {
        await fleet.DisposeAsync();
        foreach (var appliance in appliances)
        {
            appliance.Dispose();
        }
        temp.Dispose();
    }

    [Fact]
    public async Task A_rollout_goes_through_its_rings_in_order_and_counts_only_confirmed_devices()
    {
        var token = await fleet.GroupWithTokenAsync("lab", maxUses: 4);
        var (first, second) = await InRingsAsync(token, [50, 100], 2, 2, version: 1);
        var rollout = await CreateRolloutAsync(new RolloutRequest("stable", 2, Repository, "50,100", RolloutPolicy.HaltOnly, null, 2, null));

        await RoundAsync([.. first, .. second]);
        Assert.All(first, d => Assert.Equal([FleetProtocol.StageAction], d.Actions.Select(a => a.Kind)));
        Assert.All(second, d => Assert.Empty(d.Actions));
        Assert.All(first, d => Assert.Equal(Repository, d.Actions[0].RepositoryUrl));

        await RoundAsync([.. first, .. second]);
        Assert.All(first, d => Assert.Equal([FleetProtocol.StageAction, FleetProtocol.ApplyAction], d.Actions.Select(a => a.Kind)));
        Assert.All(second, d => Assert.Empty(d.Actions));
        var staged = await fleet.RolloutAsync(rollout);
        Assert.Equal((2, 0, 0), (staged.GetProperty("given").GetInt32(), staged.GetProperty("confirmed").GetInt32(), staged.GetProperty("current_ring").GetInt32()));

        await RoundAsync(first);
        var advanced = await fleet.RolloutAsync(rollout);
        Assert.Equal((2, 1), (advanced.GetProperty("confirmed").GetInt32(), advanced.GetProperty("current_ring").GetInt32()));

        for (var round = 0; round < 3; round++)
        {
            await RoundAsync([.. first, .. second]);
        }
        var done = await fleet.AdminAsync(HttpMethod.Get, $"/rollouts/{rollout}");
        Assert.Equal((4, 4, 0), (done.GetProperty("rollout").GetProperty("given").GetInt32(), done.GetProperty("rollout").GetProperty("confirmed").GetInt32(),
            done.GetProperty("rollout").GetProperty("failed").GetInt32()));
        Assert.Equal([2, 2], done.GetProperty("rings").EnumerateArray().Select(r => r.GetProperty("confirmed").GetInt32()));
        Assert.All([.. first, .. second], d => Assert.Equal((2, 2), (d.Booted, d.Default)));
        var audit = await fleet.AdminAsync(HttpMethod.Get, $"/audit?subject=rollout/{rollout}");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "advance_ring" && e.GetProperty("actor").GetString() == "engine");
    }

    [Fact]
    public async Task A_failed_trial_and_a_silent_device_both_count_as_failures_and_a_canary_failure_halts()
    {
        var token = await fleet.GroupWithTokenAsync("lab", maxUses: 3);
        var devices = await EnrolAsync(token, 3, version: 1);
        devices[1].Behaviour = SimulatedBehaviour.FailsTrial;
        devices[2].Behaviour = SimulatedBehaviour.SilentAfterApply;
        var rollout = await CreateRolloutAsync(new RolloutRequest("stable", 2, Repository, "100", RolloutPolicy.HaltOnly, null, 1, 2));

        await RoundAsync(devices);
        await RoundAsync(devices);
        Assert.True(devices[2].Silent);
        await RoundAsync(devices);

        var halted = await fleet.RolloutAsync(rollout);
        Assert.Equal(RolloutState.Halted, halted.GetProperty("state").GetString());
        Assert.Contains("canary", halted.GetProperty("state_reason").GetString(), StringComparison.Ordinal);
        Assert.Equal((3, 1, 1), (halted.GetProperty("given").GetInt32(), halted.GetProperty("confirmed").GetInt32(), halted.GetProperty("failed").GetInt32()));

        // The silent device's deadline is 2 s after its apply (no window); the sweeper counts it.
        var failed = await WaitForAsync(async () => (await fleet.RolloutAsync(rollout)).GetProperty("failed").GetInt32(), n => n == 2, TimeSpan.FromSeconds(30));
        Assert.Equal(2, failed);
        var states = (await fleet.AdminAsync(HttpMethod.Get, $"/rollouts/{rollout}")).GetProperty("devices").EnumerateArray()
            .ToDictionary(d => d.GetProperty("device_id").GetString()!, d => (d.GetProperty("state").GetString(), d.GetProperty("detail").GetString()));
        Assert.Equal(DeviceRolloutState.Confirmed, states[devices[0].DeviceId].Item1);
        Assert.Equal(DeviceRolloutState.Failed, states[devices[1].DeviceId].Item1);
        Assert.Contains("trial of 2 failed", states[devices[1].DeviceId].Item2, StringComparison.Ordinal);
        Assert.Equal(DeviceRolloutState.Failed, states[devices[2].DeviceId].Item1);
        Assert.Contains("silent", states[devices[2].DeviceId].Item2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_policy_pull_back_a_halt_sends_the_devices_on_the_release_back_to_the_version_they_came_from()
    {
        var token = await fleet.GroupWithTokenAsync("lab", maxUses: 3);
        var devices = await EnrolAsync(token, 3, version: 1);
        devices[2].Behaviour = SimulatedBehaviour.FailsTrial;
        var rollout = await CreateRolloutAsync(new RolloutRequest("stable", 2, Repository, "100", RolloutPolicy.PullBack, null, 1, null));
        await RoundAsync(devices);
        await RoundAsync(devices);
        await RoundAsync(devices[..2]);
        Assert.All(devices[..2], d => Assert.Equal(2, d.Booted));

        await RoundAsync(devices[2..]);
        Assert.Equal(RolloutState.Halted, (await fleet.RolloutAsync(rollout)).GetProperty("state").GetString());
        await RoundAsync(devices);

        Assert.All(devices[..2], d =>
        {
            Assert.Equal(FleetProtocol.RollbackAction, d.Actions[^1].Kind);
            Assert.Equal(1, d.Actions[^1].Version);
            Assert.Equal(1, d.Booted);
        });
        Assert.Equal([FleetProtocol.StageAction, FleetProtocol.ApplyAction], devices[2].Actions.Select(a => a.Kind));
        await RoundAsync(devices);
        Assert.All(devices, d => Assert.Equal(1, d.Booted));
        var audit = await fleet.AdminAsync(HttpMethod.Get, $"/audit?subject=rollout/{rollout}");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "pull_back" && e.GetProperty("after").GetString()!.Contains("\"devices\":2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Operators_pause_resume_and_pull_back_by_hand()
    {
        var token = await fleet.GroupWithTokenAsync("lab", maxUses: 2);
        var devices = await EnrolAsync(token, 2, version: 1);
        var rollout = await CreateRolloutAsync(new RolloutRequest("stable", 2, Repository, "100", RolloutPolicy.HaltOnly, null, 1, null));
        await fleet.AdminAsync(HttpMethod.Post, $"/rollouts/{rollout}/pause", new ReasonRequest("weekend"));
        await RoundAsync(devices);
        Assert.All(devices, d => Assert.Empty(d.Actions));
        await fleet.AdminAsync(HttpMethod.Post, $"/rollouts/{rollout}/resume", new ReasonRequest("monday"));
        for (var round = 0; round < 3; round++)
        {
            await RoundAsync(devices);
        }
        Assert.All(devices, d => Assert.Equal(2, d.Booted));

        await fleet.AdminAsync(HttpMethod.Post, $"/rollouts/{rollout}/pull-back", new ReasonRequest("customer reports"));
        await RoundAsync(devices);
        Assert.All(devices, d => Assert.Equal((FleetProtocol.RollbackAction, 1, 1), (d.Actions[^1].Kind, d.Actions[^1].Version, d.Booted)));
        var actions = (await fleet.AdminAsync(HttpMethod.Get, $"/audit?subject=rollout/{rollout}")).EnumerateArray()
            .Select(e => (e.GetProperty("actor").GetString(), e.GetProperty("action").GetString())).ToList();
        Assert.Contains(("operator/admin", "pause"), actions);
        Assert.Contains(("operator/admin", "resume"), actions);
        Assert.Contains(("operator/admin", "pull_back"), actions);
    }

    [Fact]
    public async Task Support_forces_one_device_a_group_or_every_device_on_a_version_back_and_the_result_is_tracked()
    {
        var tokenA = await fleet.GroupWithTokenAsync("site-a", maxUses: 2);
        var tokenB = await fleet.GroupWithTokenAsync("site-b", maxUses: 2);
        var a = await EnrolAsync(tokenA, 2, version: 3);
        var b = await EnrolAsync(tokenB, 2, version: 3);
        SimulatedAppliance[] all = [.. a, .. b];
        await RoundAsync(all);

        await fleet.AdminAsync(HttpMethod.Post, "/rollback", new RollbackRequest(a[0].DeviceId, null, null, 2, "ticket 17"));
        await RoundAsync(all);
        Assert.Equal([2, 3, 3, 3], all.Select(d => d.Booted));

        var group = await fleet.AdminAsync(HttpMethod.Post, "/rollback", new RollbackRequest(null, "site-b", null, 1, "site b regression"));
        Assert.Equal(b.Select(d => d.DeviceId).Order(), group.GetProperty("devices").EnumerateArray().Select(d => d.GetString()!).Order());
        await RoundAsync(all);
        Assert.Equal([2, 3, 1, 1], all.Select(d => d.Booted));
        // The fleet knows what devices run from their next report.
        await RoundAsync(all);

        var onVersion = await fleet.AdminAsync(HttpMethod.Post, "/rollback", new RollbackRequest(null, null, 3, 2, "3 is bad"));
        Assert.Equal([a[1].DeviceId], onVersion.GetProperty("devices").EnumerateArray().Select(d => d.GetString()!));
        await RoundAsync(all);
        await RoundAsync(all);
        Assert.Equal([2, 2, 1, 1], all.Select(d => d.Booted));
        Assert.All(all, d => Assert.Single(d.Actions));

        var record = await fleet.AdminAsync(HttpMethod.Get, "/devices/" + a[1].DeviceId);
        var action = record.GetProperty("actions")[0];
        Assert.Equal((FleetProtocol.RollbackAction, "3 is bad", FleetProtocol.Succeeded),
            (action.GetProperty("kind").GetString(), action.GetProperty("reason").GetString(), action.GetProperty("result").GetString()));
        var audit = await fleet.AdminAsync(HttpMethod.Get, "/audit?subject=device/" + a[1].DeviceId);
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "force_rollback" && e.GetProperty("reason").GetString() == "3 is bad");
    }

    [Fact]
    public async Task Apply_is_handed_out_only_inside_the_window_and_under_the_groups_cap()
    {
        var closedHour = (DateTime.UtcNow.Hour + 12) % 24;
        var token = await fleet.GroupWithTokenAsync("night", maxUses: 3, maxSwitching: 1,
            window: new MaintenanceWindow($"0 {closedHour} * * *", "Etc/UTC", 60));
        var devices = await EnrolAsync(token, 3, version: 1);
        await CreateRolloutAsync(new RolloutRequest("stable", 2, Repository, "100", RolloutPolicy.HaltOnly, null, 1, null));
        for (var round = 0; round < 3; round++)
        {
            await RoundAsync(devices);
        }
        // Staged in the background, outside the window; nobody switches.
        Assert.All(devices, d => Assert.Equal([FleetProtocol.StageAction], d.Actions.Select(a => a.Kind)));

        var open = new MaintenanceWindow("* * * * *", "Europe/Berlin", 60);
        await fleet.AdminAsync(HttpMethod.Put, "/groups/night/window", new WindowRequest(open, null));
        var switchedPerRound = new List<int>();
        for (var round = 0; round < 6 && devices.Any(d => d.Booted != 2); round++)
        {
            var before = devices.Count(d => d.Actions.Any(a => a.Kind == FleetProtocol.ApplyAction));
            await RoundAsync(devices);
            switchedPerRound.Add(devices.Count(d => d.Actions.Any(a => a.Kind == FleetProtocol.ApplyAction)) - before);
            var switching = (await fleet.AdminAsync(HttpMethod.Get, "/rollouts/1")).GetProperty("devices").EnumerateArray()
                .Count(d => d.GetProperty("state").GetString() == DeviceRolloutState.Switching);
            Assert.InRange(switching, 0, 1);
        }
        Assert.All(devices, d => Assert.Equal(2, d.Booted));
        Assert.All(switchedPerRound, n => Assert.InRange(n, 0, 1));
        var apply = devices[0].Actions.Single(a => a.Kind == FleetProtocol.ApplyAction);
        Assert.Equal(open, apply.Window);
    }

    [Fact]
    public async Task The_fleet_killed_mid_rollout_resumes_exactly_and_no_device_gets_two_conflicting_actions()
    {
        var token = await fleet.GroupWithTokenAsync("lab", maxUses: 40);
        using var population = fleet.NewPopulation(40, version: 1);
        Assert.Empty(await population.EnrolAllAsync(token));
        var rollout = await CreateRolloutAsync(new RolloutRequest("stable", 2, Repository, "100", RolloutPolicy.HaltOnly, null, 1, 3600));
        await population.RoundAsync();

        // Killed while a round of check-ins is under way, then again between rounds.
        var round = population.RoundAsync();
        await Task.Delay(150);
        await fleet.KillAndRestartAsync();
        await round;
        await population.RoundAsync();
        await fleet.KillAndRestartAsync();
        for (var i = 0; i < 5 && population.Devices.Any(d => d.Booted != 2); i++)
        {
            await population.RoundAsync();
        }
        // The switch shows in the report after it.
        await population.RoundAsync();

        Assert.All(population.Devices, d =>
        {
            Assert.Equal(2, d.Booted);
            Assert.Equal([FleetProtocol.StageAction, FleetProtocol.ApplyAction], d.Actions.Select(a => a.Kind));
        });
        var done = await fleet.RolloutAsync(rollout);
        Assert.Equal((40, 40, 0), (done.GetProperty("given").GetInt32(), done.GetProperty("confirmed").GetInt32(), done.GetProperty("failed").GetInt32()));
    }

    private async Task<long> CreateRolloutAsync(RolloutRequest request) =>
        (await fleet.AdminAsync(HttpMethod.Post, "/rollouts", request)).GetProperty("id").GetInt64();

    private async Task<List<SimulatedAppliance>> EnrolAsync(string token, int count, int version)
    {
        var devices = Enumerable.Range(0, count).Select(_ => fleet.NewAppliance(version)).ToList();
        appliances.AddRange(devices);
        foreach (var device in devices)
        {
            Assert.Equal(HttpStatusCode.OK, await device.EnrolAsync(token));
        }
        return devices;
    }

    /// <summary>Keys are made until each ring has its count (a device's ring is a function of its key), then those enrol.</summary>
    private async Task<(List<SimulatedAppliance>, List<SimulatedAppliance>)> InRingsAsync(string token, int[] rings, int inFirst, int inSecond, int version)
    {
        var first = new List<SimulatedAppliance>();
        var second = new List<SimulatedAppliance>();
        while (first.Count < inFirst || second.Count < inSecond)
        {
            var device = fleet.NewAppliance(version);
            var target = RingAssignment.Ring(RingAssignment.Bucket(device.DeviceId), rings) == 0 ? first : second;
            if (target.Count < (target == first ? inFirst : inSecond))
            {
                target.Add(device);
                appliances.Add(device);
                Assert.Equal(HttpStatusCode.OK, await device.EnrolAsync(token));
            }
            else
            {
                device.Dispose();
            }
        }
        return (first, second);
    }

    private static async Task RoundAsync(IEnumerable<SimulatedAppliance> devices)
    {
        foreach (var device in devices)
        {
            var status = await device.CheckInAsync();
            Assert.True(status is null or HttpStatusCode.OK, $"check-in answered {status}");
        }
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }
            await Task.Delay(250);
        }
    }
}
