using System.Globalization;
using System.Text.Json;
using Appliance.Platform.Files;
using Appliance.Tests.Support;
using Xunit.Abstractions;

namespace Appliance.Tests.EndToEnd;

/// <summary>
/// The fleet drives a real appliance VM, with real images: release CI published image 2 (with a delta from image 1)
/// and image 3 (image 2 with a health check that always fails, with a delta from 2) into a signed repository served by
/// the distributor; <c>fleet serve</c> runs on 127.0.0.1 with SQLite; an operator uses the fleet CLI. The VM's only
/// network is a qemu guestfwd of one address to each of the two services on the host's 127.0.0.1. The factory disk
/// holds image 1, the fleet URL and an enrolment token; everything after that is the agent's own doing: it enrols,
/// stages image 2 by delta in the background while its window is closed, applies it once the window opens, reboots,
/// and reports it confirmed; then it takes image 3 the same way, the health check rejects it, the appliance returns
/// to image 2 by itself, and the fleet counts the failure and halts that rollout. Also the delta path over HTTPS in a
/// real guest (the delta is small, the agent's stage used it, the staged image is bit-exact) and a trial its health
/// check rejects, each with as few boots as the story allows.
/// </summary>
[Collection(BuiltImagesCollection.Name)]
public sealed class FleetUpgradeInVmTests(BuiltImages images, ITestOutputHelper output) : IDisposable
{
    // The only addresses the guest can reach: qemu forwards them to the distributor and the fleet on the host's 127.0.0.1.
    private const string GuestRepository = "https://10.0.2.100:8443/";
    private const string GuestFleet = "https://10.0.2.100:9443/";
    private const string Agent = "appliance-agent.service";

    // Short, so the test waits seconds, not the default 5 minutes, for the agent's next check-in.
    private const string CheckInIntervalSeconds = "10";

    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    private readonly TempDirectory work = new();

    [RootFact("qemu-system-x86_64", "zstd", "socat", "debugfs")]
    public async Task An_enrolled_appliance_is_upgraded_by_a_fleet_rollout_and_a_release_whose_health_check_fails_comes_back_by_itself_and_halts_its_rollout()
    {
        var repository = await PublishAsync();
        var release = RepositoryOnDisk.VerifyAsNewAppliance(repository).Channel.Find(2)!;
        var delta = release.Deltas.Single();
        Assert.True(delta.Size * 10 < release.Full!.Size, $"delta {delta.Size} bytes, full {release.Full!.Size} bytes");
        await using var distributor = await RunningDistributor.StartAsync(repository, work.File("certificates"));
        await using var fleet = await RunningFleet.StartAsync(work.File("fleet"), "--checkin-interval", CheckInIntervalSeconds);

        // The operator: a group whose nightly window is closed now, a token for the factory, and image 2 rolled out on
        // one ring (with one device, the canary ring is the whole channel).
        await fleet.OperatorJsonAsync("groups", "create", "--name", "lab", "--max-switching", "1",
            "--cron", $"0 {DateTime.UtcNow.AddHours(12).Hour} * * *", "--tz", "UTC", "--duration", "60");
        var token = (await fleet.OperatorJsonAsync("tokens", "create", "--group", "lab")).GetProperty("token").GetString()!;
        var upgrade = await CreateRolloutAsync(fleet, 2);

        var disk = work.File("disk.raw");
        await Cli.SucceedAsync(Cli.ImageBuildAsync("disk", "--image", images.FirstImage, "--out", disk, "--size", "4096",
            "--trust-root", Path.Combine(repository, "root/1.json"),
            "--fleet-url", GuestFleet, "--enrol-token", token, "--fleet-ca", fleet.CertificateFile, "--repository-ca", distributor.CertificateFile));
        await using (var host = await HostPartition.MountAsync(disk, work.Path))
        {
            await GuestDriver.InstallAsync(host, 1, step: null, network: true, console: [Agent]);
        }
        var vm = new ApplianceVm(disk, work.Path, output, "user,model=virtio-net-pci,restrict=on" +
            $",guestfwd=tcp:10.0.2.100:8443-cmd:socat STDIO TCP:127.0.0.1:{distributor.Address.Port.ToString(CultureInfo.InvariantCulture)}" +
            $",guestfwd=tcp:10.0.2.100:9443-cmd:socat STDIO TCP:127.0.0.1:{fleet.Address.Port.ToString(CultureInfo.InvariantCulture)}");

        // Boot 1 (image 1): enrol, stage 2 at once; apply only after the operator opens the window; reboot.
        var windowOpened = 0L;
        var staging = await vm.BootUntilRebootAsync(async stopped =>
        {
            await DeviceStateAsync(fleet, upgrade, "staged", stopped);
            windowOpened = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await fleet.OperatorJsonAsync("groups", "set-window", "--name", "lab", "--cron", $"0 {DateTime.UtcNow.Hour} * * *", "--tz", "UTC", "--duration", "120");
        });
        Assert.True((staging.Version, staging.Mode, staging.RebootedByItself) == (1, "default", true), $"{staging}: {staging.ConsoleTail}");
        var device = Assert.Single((await fleet.OperatorJsonAsync("devices", "list")).EnumerateArray()).GetProperty("id").GetString()!;
        var actions = (await fleet.OperatorJsonAsync("devices", "show", device)).GetProperty("actions").EnumerateArray().ToList();
        var stage = actions.Single(a => (Text(a, "kind"), a.GetProperty("version").GetInt32()) == ("stage", 2));
        var apply = actions.Single(a => (Text(a, "kind"), a.GetProperty("version").GetInt32()) == ("apply", 2));
        Assert.Equal(("succeeded", "succeeded"), (Text(stage, "result"), Text(apply, "result")));
        Assert.Contains($"download: delta delta 1 -> 2, object {delta.Size} bytes", Text(stage, "message"), StringComparison.Ordinal);
        Assert.Contains("image 2 boots next as a trial", Text(apply, "message"), StringComparison.Ordinal);
        Assert.True(stage.GetProperty("finished_at").GetInt64() <= windowOpened, "image 2 was staged while the window was closed");
        Assert.True(apply.GetProperty("created_at").GetInt64() >= windowOpened, "the apply came only once the window was open");
        output.WriteLine($"download and stage of image 2 by the agent took {stage.GetProperty("finished_at").GetInt64() - stage.GetProperty("created_at").GetInt64()} ms");
        await using (var host = await HostPartition.MountAsync(disk, work.Path))
        {
            Assert.Equal(release.ImageSha256, await Sha256File.ComputeAsync(host.ImagePath(2), default));
            // apply gave image 2 fresh writable layers (only the carried configuration): its network goes in now.
            await GuestDriver.InstallAsync(host, 2, step: null, network: true, console: [Agent]);
        }

        // Boot 2 (image 2, trial): the health check confirms it and the fleet counts it updated; the operator closes
        // that rollout and rolls out image 3, which the agent stages and applies at once (the window is open); reboot.
        var fleetAfterUpgrade = default(JsonElement);
        var failing = 0L;
        var trial = await vm.BootUntilRebootAsync(async stopped =>
        {
            await DeviceStateAsync(fleet, upgrade, "confirmed", stopped);
            fleetAfterUpgrade = await fleet.OperatorJsonAsync("devices", "list");
            await fleet.OperatorJsonAsync("rollouts", "abort", Invariant(upgrade), "--reason", "every device is confirmed on 2");
            failing = await CreateRolloutAsync(fleet, 3);
        });
        Assert.True((trial.Version, trial.Mode, trial.Healthy, trial.RebootedByItself) == (2, "trial", true, true), $"{trial}: {trial.ConsoleTail}");
        Assert.Equal(2, Assert.Single(fleetAfterUpgrade.EnumerateArray()).GetProperty("version").GetInt32());
        var upgraded = await fleet.OperatorJsonAsync("rollouts", "show", Invariant(upgrade));
        Assert.Equal((1, 1, 0), Counters(upgraded));
        Assert.Equal("confirmed", Text(Assert.Single(upgraded.GetProperty("devices").EnumerateArray()), "state"));

        // Boot 3 (image 3, trial): the health check rejects it and reboots into the last good image by itself.
        var rejected = await vm.BootAsync();
        Assert.True((rejected.Version, rejected.Mode, rejected.Unhealthy, rejected.RebootedByItself) == (3, "trial", true, true), $"{rejected}: {rejected.ConsoleTail}");
        rejected.AssertShows("50-always-fails");

        // Boot 4 (image 2, default again): the agent's first check-in shows the failed trial; the fleet counts it and halts.
        var back = await vm.BootUntilAsync(stopped => DeviceStateAsync(fleet, failing, "failed", stopped));
        Assert.True((back.Version, back.Mode, back.Healthy) == (2, "default", true), $"{back}: {back.ConsoleTail}");
        var halted = await fleet.OperatorJsonAsync("rollouts", "show", Invariant(failing));
        Assert.Equal(("halted", (1, 0, 1)), (Text(halted.GetProperty("rollout"), "state"), Counters(halted)));
        Assert.Contains("trial of 3 failed", Text(Assert.Single(halted.GetProperty("devices").EnumerateArray()), "detail"), StringComparison.Ordinal);
        Assert.Equal(2, Assert.Single((await fleet.OperatorJsonAsync("devices", "list")).EnumerateArray()).GetProperty("version").GetInt32());
        await using (var host = await HostPartition.MountAsync(disk, work.Path))
        {
            var state = await GrubEditenv.ReadBootStateAsync(host.GrubEnvironment);
            Assert.Equal(((int?)2, (int?)null, (int?)3), (state.Default, state.Trial, state.TrialFailed));
            Assert.Contains("\"version\":3,\"mode\":\"trial\",\"outcome\":\"rejected\"",
                await File.ReadAllTextAsync(Path.Combine(host.Host, "var/lib/appliance/boot-history.jsonl")), StringComparison.Ordinal);
        }
    }

    public void Dispose() => work.Dispose();

    /// <summary>Publishes 2 (delta from 1) and 3 (2 with a failing health check, delta from 2); the repository.</summary>
    private async Task<string> PublishAsync()
    {
        var repository = work.File("repo");
        await Cli.SucceedAsync(Cli.ImageBuildAsync("keygen", "--out", work.Path, "--name", "release"));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("keygen", "--out", work.Path, "--name", "root"));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("repo", "init", "--repo", repository, "--root-key", work.File("root.pem"), "--release-key", work.File("release.pem")));
        var variants = Directory.CreateDirectory(work.File("variants")).FullName;
        var unhealthy = await ImageVariants.FailingHealthCheckAsync(images.LayoutPreservedImage, variants, 3);
        await ImageVariants.WriteManifestAsync(unhealthy, images.LayoutPreservedManifest, 3);
        // Image 1 itself need not be in the channel: the appliance has it, and a delta names its base by checksum. The full
        // objects only have to exist (the appliance takes the deltas): a fast level saves minutes of the suite's time.
        foreach (var (image, from) in new[] { (images.LayoutPreservedImage, images.FirstImage), (unhealthy, images.LayoutPreservedImage) })
        {
            var published = await Cli.SucceedAsync(Cli.ImageBuildAsync("publish", "--repo", repository, "--image", image, "--delta-from", from,
                "--recent-deltas", "0", "--key", work.File("release.pem"), "--full-level", "3"));
            output.WriteLine(published.StandardOutput.Trim());
        }
        return repository;
    }

    private static async Task<long> CreateRolloutAsync(RunningFleet fleet, int version) =>
        (await fleet.OperatorJsonAsync("rollouts", "create", "--version", Invariant(version), "--repository-url", GuestRepository, "--rings", "100"))
            .GetProperty("id").GetInt64();

    /// <summary>Waits until the fleet shows the (only) device in <paramref name="state"/> in the rollout; fails at once on a failure it did not wait for.</summary>
    private static async Task DeviceStateAsync(RunningFleet fleet, long rollout, string state, CancellationToken stopped)
    {
        while (true)
        {
            var devices = (await fleet.AdminAsync(HttpMethod.Get, $"/rollouts/{Invariant(rollout)}")).GetProperty("devices").EnumerateArray().ToList();
            var current = devices.Count == 1 ? Text(devices[0], "state") : null;
            if (current == state)
            {
                return;
            }
            if (current == "failed")
            {
                Assert.Fail($"the device failed in rollout {rollout} while the test waited for '{state}': {devices[0]}");
            }
            await Task.Delay(Poll, stopped);
        }
    }

    private static (int Given, int Confirmed, int Failed) Counters(JsonElement detail)
    {
        var rollout = detail.GetProperty("rollout");
        return (rollout.GetProperty("given").GetInt32(), rollout.GetProperty("confirmed").GetInt32(), rollout.GetProperty("failed").GetInt32());
    }

    private static string Text(JsonElement element, string property) => element.GetProperty(property).GetString() ?? "";

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
