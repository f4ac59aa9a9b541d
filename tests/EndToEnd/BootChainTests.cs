using System.Globalization;
using Appliance.Core.Boot;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;
using Xunit.Abstractions;

namespace Appliance.Tests.EndToEnd;

/// <summary>
/// The boot chain in real VMs (OVMF, GRUB loopback, the initramfs loop root, systemd, the health check), one fresh
/// factory disk per scenario. Every outcome is read from the serial console: the kernel echoes the command line GRUB
/// built, so each boot names the exact image and mode GRUB chose. Between boots the host partition is mounted on the
/// test machine to stage trials with grub-editenv and to read what the guest recorded. A trial that its health check
/// rejects is in FleetUpgradeInVmTests, where the fleet drives it.
/// </summary>
[Collection(BuiltImagesCollection.Name)]
public sealed class BootChainTests(BuiltImages images, ITestOutputHelper output) : IDisposable
{
    private const string Tools = "qemu-system-x86_64";

    private readonly TempDirectory work = new();

    [RootFact(Tools)]
    public async Task A_factory_disk_boots_image_1_from_a_loop_device_with_the_host_partition_at_host_and_confirms_it()
    {
        var vm = await FactoryDiskAsync(1, images.FirstImage);

        var boot = await vm.BootAsync();

        AssertBooted(boot, 1, BootMode.Default);
        Assert.True(boot.RootIsLoopDevice, "inside the image, / is a loop device and /host the host partition /dev/vda2");
        Assert.True(boot.Healthy);
        var state = await BootStateAsync();
        Assert.Equal(new BootState(1, null, null, 0, null), state);
        Assert.Contains("\"version\":1,\"mode\":\"default\",\"outcome\":\"healthy\"", await HostFileAsync("var/lib/appliance/boot-history.jsonl"), StringComparison.Ordinal);
    }

    [RootFact(Tools)]
    public async Task A_healthy_trial_image_becomes_the_confirmed_default_and_boots_as_the_default_afterwards()
    {
        var vm = await FactoryDiskAsync(1, images.FirstImage, images.LayoutPreservedImage);
        await StageTrialAsync(2, tries: 3);

        AssertBooted(await vm.BootAsync(), 2, BootMode.Trial, healthy: true);
        Assert.Equal(new BootState(2, 1, null, 0, null), await BootStateAsync());
        AssertBooted(await vm.BootAsync(), 2, BootMode.Default, healthy: true);
    }

    [RootFact(Tools, "debugfs")]
    public async Task A_trial_image_whose_kernel_panics_is_booted_tries_times_then_the_previous_image_comes_back_by_itself()
    {
        var panicking = await ImageVariants.KernelPanicAsync(images.LayoutPreservedImage, work.Path, 3);

        await TrialThatNeverComesUpAsync(panicking, 3, tries: 2, "panic=", "Kernel panic");
    }

    [RootFact(Tools, "debugfs")]
    public async Task A_trial_image_the_initramfs_cannot_mount_reboots_and_the_previous_image_comes_back_by_itself()
    {
        var unmountable = await ImageVariants.InitramfsFailureAsync(images.LayoutPreservedImage, work.Path, 4);

        var trial = await TrialThatNeverComesUpAsync(unmountable, 4, tries: 1, "the initramfs reboots instead of dropping to a shell",
            "appliance-loop: FAILED: /images/4.img has no /host directory");

        Assert.DoesNotContain("(initramfs)", trial.Console, StringComparison.Ordinal);
    }

    [RootFact(Tools, "debugfs")]
    public async Task A_trial_image_that_hangs_before_systemd_is_reset_by_the_watchdog_the_initramfs_started_and_the_previous_image_comes_back()
    {
        var hanging = await ImageVariants.HangingInitAsync(images.LayoutPreservedImage, work.Path, 6);

        await TrialThatNeverComesUpAsync(hanging, 6, tries: 1, "the hardware watchdog the initramfs started",
            "appliance-watchdog: started", "test-init: hanging instead of starting systemd");
    }

    [RootFact(Tools, "debugfs")]
    public async Task A_trial_image_whose_boot_never_reaches_multi_user_is_rebooted_at_the_boot_deadline_and_the_previous_image_comes_back()
    {
        var stuck = await ImageVariants.BootThatNeverFinishesAsync(images.LayoutPreservedImage, work.Path, 7, TimeSpan.FromSeconds(45));

        // An orderly reboot by systemd (not a watchdog reset or a panic), before any health verdict.
        var trial = await TrialThatNeverComesUpAsync(stuck, 7, tries: 1, "JobTimeoutAction=reboot-force",
            "test-hang: starting and never finishing", "systemd-shutdown[1]: Rebooting.");

        Assert.DoesNotContain("appliance-health:", trial.Console, StringComparison.Ordinal);
    }

    [RootFact(Tools)]
    public async Task Power_cuts_during_a_trial_end_on_a_known_image_and_power_cuts_during_default_boots_never_roll_back()
    {
        var vm = await FactoryDiskAsync(1, images.FirstImage, images.LayoutPreservedImage);
        await StageTrialAsync(2, tries: 3);

        AssertBooted(await vm.PowerCutAsync("Command line:", TimeSpan.FromSeconds(2)), 2, BootMode.Trial, healthy: false);
        AssertBooted(await vm.PowerCutAsync("appliance-loop: root is", TimeSpan.FromSeconds(1)), 2, BootMode.Trial, healthy: false);
        AssertBooted(await vm.BootAsync(), 2, BootMode.Trial, healthy: true);
        var confirmed = new BootState(2, 1, null, 0, null);
        Assert.Equal(confirmed, await BootStateAsync());

        foreach (var (point, delay) in (ValueTuple<string, double>[])[("Command line:", 0), ("appliance-loop: root is", 2), ("appliance-health: running", 0), ("Command line:", 5)])
        {
            AssertBooted(await vm.PowerCutAsync(point, TimeSpan.FromSeconds(delay)), 2, BootMode.Default, healthy: false);
        }
        Assert.Equal(confirmed, await BootStateAsync());
        AssertBooted(await vm.BootAsync(), 2, BootMode.Default, healthy: true);
    }

    [RootFact(Tools)]
    public async Task A_corrupt_or_missing_grubenv_boots_the_newest_known_good_image_and_the_health_check_rebuilds_it()
    {
        var vm = await FactoryDiskAsync(2, images.FirstImage, images.LayoutPreservedImage);

        await WithHostAsync(host => File.WriteAllBytes(host.GrubEnvironment, new byte[1024]));
        AssertBooted(await vm.BootAsync(), 2, BootMode.Fallback, healthy: true);
        Assert.Equal(2, (await BootStateAsync()).Default);

        await WithHostAsync(host => File.Delete(host.GrubEnvironment));
        AssertBooted(await vm.BootAsync(), 2, BootMode.Fallback, healthy: true);
        Assert.Equal(2, (await BootStateAsync()).Default);
        AssertBooted(await vm.BootAsync(), 2, BootMode.Default, healthy: true);
    }

    public void Dispose() => work.Dispose();

    private static void AssertBooted(ObservedBoot boot, int version, BootMode mode, bool? healthy = null)
    {
        Assert.True(boot.Version == version && boot.Mode == GrubConfigRenderer.Mode(mode),
            $"expected image {version} ({GrubConfigRenderer.Mode(mode)} boot), the console shows {boot}. Console tail:\n{boot.ConsoleTail}");
        if (healthy is { } expected)
        {
            Assert.Equal(expected, boot.Healthy);
        }
    }

    /// <summary>
    /// Stages <paramref name="image"/> as a trial with <paramref name="tries"/> tries on a factory disk of image 1.
    /// The trial never comes up: each of its boots must end in a reboot by itself (<paramref name="how"/>) with
    /// <paramref name="shown"/> on the console. Then image 1 is the default again and the trial is recorded as failed.
    /// </summary>
    /// <returns>The last trial boot.</returns>
    private async Task<ObservedBoot> TrialThatNeverComesUpAsync(string image, int version, int tries, string how, params string[] shown)
    {
        var vm = await FactoryDiskAsync(1, images.FirstImage, image);
        await StageTrialAsync(version, tries);
        ObservedBoot? trial = null;
        for (var attempt = 1; attempt <= tries; attempt++)
        {
            trial = await vm.BootAsync();
            AssertBooted(trial, version, BootMode.Trial, healthy: false);
            Assert.True(trial.RebootedByItself, $"trial boot {attempt} must end in a reboot by itself ({how}), not need a human");
            foreach (var text in shown)
            {
                trial.AssertShows(text);
            }
        }
        AssertBooted(await vm.BootAsync(), 1, BootMode.Default, healthy: true);
        Assert.Equal(new BootState(1, null, null, 0, version), await BootStateAsync());
        return trial!;
    }

    private async Task<ApplianceVm> FactoryDiskAsync(int defaultVersion, params string[] imageFiles)
    {
        var disk = work.File("disk.raw");
        await Cli.SucceedAsync(Cli.ImageBuildAsync(
            ["disk", .. imageFiles.SelectMany(file => (string[])["--image", file]), "--out", disk, "--size", "4096",
             "--default", defaultVersion.ToString(CultureInfo.InvariantCulture)]));
        return new ApplianceVm(disk, work.Path, output);
    }

    /// <summary>Makes an image on the disk the trial for the next boots, with real grub-editenv as on a host.</summary>
    private Task StageTrialAsync(int version, int tries) => WithHostAsync(host => ProcessRunner.RunAsync("grub-editenv",
        [host.GrubEnvironment, "set", $"{GrubEnvironmentKeys.Trial}={version}", $"{GrubEnvironmentKeys.TrialTries}={tries}"]));

    private Task<BootState> BootStateAsync() => WithHostAsync(host => GrubEditenv.ReadBootStateAsync(host.GrubEnvironment));

    private Task<string> HostFileAsync(string relativePath) =>
        WithHostAsync(host => File.ReadAllTextAsync(Path.Combine(host.Host, relativePath)));

    private Task WithHostAsync(Action<HostPartition> action) =>
        WithHostAsync(host => { action(host); return Task.FromResult(true); });

    private async Task<T> WithHostAsync<T>(Func<HostPartition, Task<T>> action)
    {
        await using var host = await HostPartition.MountAsync(work.File("disk.raw"), work.Path);
        return await action(host);
    }
}
