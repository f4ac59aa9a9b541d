using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Appliance.Core.Boot;
using Appliance.Core.Errors;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Fleet;

/// <summary>
/// Real <c>upgradectl agent</c> processes on appliance roots with real ext4 images, against the real <c>fleet</c>
/// service on 127.0.0.1 (SQLite) and a real distributor serving a signed repository with image 2 as a delta from 1.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class AgentTests(PublishedReleases published) : IClassFixture<PublishedReleases>, IAsyncLifetime
{
    private const string Group = "lab";
    private readonly TempDirectory directory = new();
    private readonly List<TempDirectory> deviceDirectories = [];
    private RunningDistributor distributor = null!;
    private FleetUnderTest fleet = null!;
    private string token = null!;
    private string repository = null!;

    private string DistributorCertificate => Path.Combine(directory.File("certificates"), "distributor.crt.pem");

    public async Task InitializeAsync()
    {
        repository = await published.CopyRepositoryAsync(directory.File("repo"));
        distributor = await RunningDistributor.StartAsync(repository, directory.File("certificates"));
        fleet = await FleetUnderTest.StartAsync(directory.File("fleet"), intervalSeconds: 300);
        await fleet.CreateGroupAsync(Group, WindowOpenNow("Etc/UTC"));
        token = await fleet.CreateTokenAsync(Group);
    }

    public async Task DisposeAsync()
    {
        await fleet.DisposeAsync();
        await distributor.DisposeAsync();
        directory.Dispose();
        deviceDirectories.ForEach(d => d.Dispose());
    }

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task A_device_enrols_with_a_key_made_on_it_and_enrolling_again_keeps_its_id()
    {
        var device = await NewDeviceAsync();

        Assert.Matches("^d-[0-9a-f]{40}$", device.Id);
        var key = Path.Combine(device.FleetDirectory, "device.key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", await File.ReadAllTextAsync(key), StringComparison.Ordinal);
        var keyBefore = await File.ReadAllBytesAsync(key);
        await device.SucceedOnceAsync();
        Assert.Equal(1, (await fleet.DeviceAsync(device.Id)).GetProperty("device").GetProperty("version").GetInt32());

        var again = await device.EnrolAsync(fleet, token, DistributorCertificate);

        Assert.Equal(0, again.ExitCode);
        Assert.Contains($"enrolled as {device.Id};", again.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(keyBefore, await File.ReadAllBytesAsync(key));
        await device.SucceedOnceAsync();
        Assert.Equal(2, (await device.AgentStateAsync()).GetProperty("sequence").GetInt64());
    }

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task A_wrong_token_is_refused_and_leaves_the_device_unenrolled()
    {
        var device = await FleetDevice.CreateAsync(DeviceDirectory(), published, repository);

        var enrol = await device.EnrolAsync(fleet, "et-not-a-token", DistributorCertificate);
        var agent = await device.AgentOnceAsync();

        Assert.Equal((int)ExitCode.VerificationFailed, enrol.ExitCode);
        Assert.Contains("403", enrol.StandardError, StringComparison.Ordinal);
        Assert.Contains("unknown, expired or revoked", enrol.StandardError, StringComparison.Ordinal);
        Assert.Equal((int)ExitCode.VerificationFailed, agent.ExitCode);
        Assert.False(File.Exists(Path.Combine(device.FleetDirectory, "device.crt")));
    }

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task A_device_enrolled_in_another_fleet_is_refused_by_this_one()
    {
        await using var other = await FleetUnderTest.StartAsync(directory.File("other-fleet"), intervalSeconds: 300);
        await other.CreateGroupAsync(Group, null);
        var stranger = await FleetDevice.CreateAsync(DeviceDirectory(), published, repository);
        Assert.Equal(0, (await stranger.EnrolAsync(other, await other.CreateTokenAsync(Group), DistributorCertificate)).ExitCode);
        // Same device, now told to talk to our fleet (which trusts the same certificate file name, not its CA).
        var configuration = Path.Combine(stranger.FleetDirectory, "agent.json");
        await File.WriteAllTextAsync(configuration, (await File.ReadAllTextAsync(configuration)).Replace(other.Address.ToString(), fleet.Address.ToString(), StringComparison.Ordinal));
        File.Copy(fleet.CertificateFile, Path.Combine(stranger.FleetDirectory, "fleet-ca.crt"), overwrite: true);

        var result = await stranger.AgentOnceAsync();

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain(stranger.Id, (await fleet.DeviceListAsync()).EnumerateArray().Select(d => d.GetProperty("id").GetString()));
    }

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task Devices_offered_image_2_stage_it_apply_it_in_their_window_and_report_it_confirmed_after_the_health_check()
    {
        FleetDevice[] devices = [await NewDeviceAsync(), await NewDeviceAsync()];
        var rollout = await fleet.CreateRolloutAsync(2, distributor.Address);

        await Task.WhenAll(devices.Select(d => d.SucceedOnceAsync()));
        foreach (var device in devices)
        {
            // Staged, and since the window is open the answer to that report already handed out the apply.
            Assert.Equal("switching", await fleet.DeviceStateAsync(rollout, device.Id));
            Assert.Equal([("stage", 2, "succeeded", 0), ("apply", 2, null, null)], await fleet.ActionsAsync(device.Id));
            Assert.True(File.Exists(Path.Combine(device.Appliance.Images, "2.img")));
            Assert.False(device.AskedToReboot);
            Assert.Equal(new BootState(1, null, null, 0, null), await device.Appliance.BootStateAsync());
        }

        await Task.WhenAll(devices.Select(d => d.SucceedOnceAsync()));
        foreach (var device in devices)
        {
            Assert.Equal("switching", await fleet.DeviceStateAsync(rollout, device.Id));
            Assert.True(device.AskedToReboot);
            Assert.Equal((2, BootMode.Trial), await device.NextBootAsync());
            await device.RebootAsync();
            Assert.Equal(0, (await device.HealthCheckAsync(healthy: true)).ExitCode);
        }

        await Task.WhenAll(devices.Select(d => d.SucceedOnceAsync()));
        foreach (var device in devices)
        {
            Assert.Equal("confirmed", await fleet.DeviceStateAsync(rollout, device.Id));
            Assert.Equal([("stage", 2, "succeeded", 0), ("apply", 2, "succeeded", 0)], await fleet.ActionsAsync(device.Id));
            Assert.Empty((await device.AgentStateAsync()).GetProperty("unacknowledged").EnumerateArray());
        }
        Assert.Equal(2, (await fleet.RolloutAsync(rollout)).GetProperty("rollout").GetProperty("confirmed").GetInt32());
    }

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task A_trial_rejected_by_the_health_check_is_reported_failed_and_halts_the_rollout()
    {
        var device = await NewDeviceAsync();
        var rollout = await fleet.CreateRolloutAsync(2, distributor.Address);
        await device.SucceedOnceAsync();
        await device.SucceedOnceAsync();
        await device.RebootAsync();

        var health = await device.HealthCheckAsync(healthy: false);
        await device.BootNextAsync();
        await device.SucceedOnceAsync();

        Assert.Equal((int)ExitCode.VerificationFailed, health.ExitCode);
        Assert.Equal((1, BootMode.Default), await device.NextBootAsync());
        Assert.Equal("failed", await fleet.DeviceStateAsync(rollout, device.Id));
        Assert.Equal("halted", (await fleet.RolloutAsync(rollout)).GetProperty("rollout").GetProperty("state").GetString());
    }

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task A_forced_rollback_is_carried_out_at_the_next_check_in_and_reported()
    {
        var device = await NewDeviceAsync();
        await fleet.CreateRolloutAsync(2, distributor.Address);
        await device.SucceedOnceAsync();
        await device.SucceedOnceAsync();
        await device.RebootAsync();
        await device.HealthCheckAsync(healthy: true);
        await device.SucceedOnceAsync();

        await fleet.ForceRollbackAsync(device.Id, 1, "ticket 4711: the customer's scanner driver broke");
        await device.SucceedOnceAsync();
        await device.RebootAsync();
        await device.SucceedOnceAsync();

        Assert.Equal((1, BootMode.Default), await device.NextBootAsync());
        Assert.Equal(("rollback", 1, "succeeded", 0), (await fleet.ActionsAsync(device.Id))[^1]);
        Assert.Equal(1, (await fleet.DeviceAsync(device.Id)).GetProperty("device").GetProperty("version").GetInt32());
    }

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task An_apply_outside_the_window_by_the_devices_own_clock_is_refused_and_nothing_switches()
    {
        // The fleet hands out the apply in the window by its time zone data; the device's own data puts the zone
        // 12 hours elsewhere (stale tzdata, a wrong clock), so by the device's reckoning the window is closed.
        await fleet.CreateGroupAsync("far", WindowOpenNow("Etc/GMT+5"));
        var device = await NewDeviceAsync(await fleet.CreateTokenAsync("far"));
        var rollout = await fleet.CreateRolloutAsync(2, distributor.Address);
        await device.SucceedOnceAsync();
        var zones = directory.File("zoneinfo");
        Directory.CreateDirectory(Path.Combine(zones, "Etc"));
        File.Copy("/usr/share/zoneinfo/Etc/GMT-7", Path.Combine(zones, "Etc/GMT+5"));

        var result = await device.AgentOnceAsync(new Dictionary<string, string?> { ["TZDIR"] = zones });

        Assert.Equal(0, result.ExitCode);
        // The fleet took the refusal (the device went back to staged) and, its window being open, offers a new apply.
        Assert.Equal([("stage", 2, "succeeded", 0), ("apply", 2, "refused", (int)ExitCode.InvalidInput), ("apply", 2, null, null)], await fleet.ActionsAsync(device.Id));
        var refused = (await fleet.DeviceAsync(device.Id)).GetProperty("actions").EnumerateArray().Single(a => a.GetProperty("result").GetString() == "refused");
        Assert.StartsWith("outside the maintenance window '", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(device.AskedToReboot);
        Assert.Equal(new BootState(1, null, null, 0, null), await device.Appliance.BootStateAsync());
        Assert.Equal("switching", await fleet.DeviceStateAsync(rollout, device.Id));
    }

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task An_agent_killed_as_it_begins_an_action_reports_it_interrupted_after_the_fleet_returns_and_never_runs_it()
    {
        var device = await NewDeviceAsync();
        await fleet.CreateRolloutAsync(2, distributor.Address);

        var killed = await device.AgentOnceAsync(new Dictionary<string, string?> { ["UPGRADECTL_FAULT"] = "agent.action-started" });
        Assert.NotEqual(0, killed.ExitCode);
        Assert.Equal("stage", (await device.AgentStateAsync()).GetProperty("running").GetProperty("kind").GetString());

        var port = fleet.Address.Port;
        await fleet.StopAsync();
        var down = await device.AgentOnceAsync();
        Assert.Equal((int)ExitCode.DownloadFailed, down.ExitCode);
        Assert.Contains("cannot be reached", down.StandardError, StringComparison.Ordinal);
        var pending = Assert.Single((await device.AgentStateAsync()).GetProperty("unacknowledged").EnumerateArray());
        Assert.Equal(130, pending.GetProperty("exit_code").GetInt32());

        await fleet.StartAsync(port);
        await device.SucceedOnceAsync();

        Assert.Equal(("stage", 2, "failed", (int?)130), (await fleet.ActionsAsync(device.Id))[0]);
        Assert.StartsWith("interrupted:", (await fleet.DeviceAsync(device.Id)).GetProperty("actions").EnumerateArray().Last().GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(device.Appliance.Images, "2.img")));
        Assert.Empty((await device.AgentStateAsync()).GetProperty("unacknowledged").EnumerateArray());
    }

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task While_the_fleet_is_down_the_agent_backs_off_exponentially_and_checks_in_when_it_returns()
    {
        var device = await NewDeviceAsync();
        await device.SucceedOnceAsync();
        var port = fleet.Address.Port;
        await fleet.StopAsync();
        var seenBefore = (await device.AgentStateAsync()).GetProperty("sequence").GetInt64();

        await using var agent = ServerProcess.Start(Checkout.Upgradectl, ["agent", "--root", device.Appliance.Root, "--cmdline", device.Appliance.CommandLine]);
        await WaitForAsync(() => agent.Log.Contains("next try in 20 s", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => agent.Log);
        await fleet.StartAsync(port);
        await WaitForAsync(() => agent.Log.Contains("Checked in", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => agent.Log);

        var waits = agent.Log.Split('\n').Where(line => line.Contains("next try in", StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf("next try in ", StringComparison.Ordinal) + 12)..].Split(' ')[0]).ToList();
        Assert.Equal(["5", "10", "20"], waits.Take(3));
        Assert.False(agent.HasExited);
        Assert.True((await device.AgentStateAsync()).GetProperty("sequence").GetInt64() > seenBefore + 3);
        Assert.Equal(JsonValueKind.Number, (await fleet.DeviceAsync(device.Id)).GetProperty("device").GetProperty("last_seen").ValueKind);
    }

    private TempDirectory DeviceDirectory()
    {
        var created = new TempDirectory();
        deviceDirectories.Add(created);
        return created;
    }

    private async Task<FleetDevice> NewDeviceAsync(string? enrolToken = null)
    {
        var device = await FleetDevice.CreateAsync(DeviceDirectory(), published, repository);
        await Cli.SucceedAsync(device.EnrolAsync(fleet, enrolToken ?? token, DistributorCertificate));
        return device;
    }

    /// <summary>A daily two-hour window that opened at the start of this hour in <paramref name="timeZone"/>.</summary>
    private static object WindowOpenNow(string timeZone)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(timeZone));
        return new { cron = string.Create(CultureInfo.InvariantCulture, $"0 {local.Hour} * * *"), time_zone = timeZone, duration_minutes = 120 };
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, $"timed out after {timeout}:\n{describe()}");
            await Task.Delay(250);
        }
    }
}
