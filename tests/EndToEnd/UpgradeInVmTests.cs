using Appliance.Core.Boot;
using Appliance.Core.Layout;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;
using Xunit.Abstractions;

namespace Appliance.Tests.EndToEnd;

/// <summary>
/// upgradectl's whole lifecycle inside a real appliance VM, driven by <see cref="GuestDriver"/>.
/// </summary>
[Collection(BuiltImagesCollection.Name)]
public sealed class UpgradeInVmTests(BuiltImages images, ITestOutputHelper output) : IDisposable
{
    private const string UpgradeStep = $"""
        mkdir -p /etc/appliance/config
        echo "written on image 1" > /etc/appliance/config/marker
        start=$(date +%s%N)
        upgradectl stage /host/incoming/2.img --insecure-unsigned
        staged=$(date +%s%N)
        echo "test-driver: stage took $(( (staged - start) / 1000000 )) ms"
        echo "{ObservedBoot.SwitchStarts}"
        upgradectl apply --reboot
        """;

    private const string ShowMarker = """
        echo "test-driver: image $1 sees marker: $(cat /etc/appliance/config/marker 2>/dev/null || echo none)"
        """;

    private const string RollbackStep = """
        echo "changed on image 2" > /etc/appliance/config/marker
        upgradectl rollback --reboot
        """;

    private readonly TempDirectory work = new();

    [RootFact("qemu-system-x86_64")]
    public async Task Stage_apply_and_reboot_bring_up_image_2_with_migrated_config_and_rollback_brings_back_image_1_with_its_own()
    {
        var disk = work.File("disk.raw");
        await Cli.SucceedAsync(Cli.ImageBuildAsync("disk", "--image", images.FirstImage, "--out", disk, "--size", "4096"));
        await using (var host = await HostPartition.MountAsync(disk, work.Path))
        {
            var incoming = Path.Combine(host.Host, "incoming");
            Directory.CreateDirectory(incoming);
            await ProcessRunner.RunAsync("cp", ["--sparse=always", images.LayoutPreservedImage, images.LayoutPreservedManifest, incoming]);
            await GuestDriver.InstallAsync(host, 1, UpgradeStep, everyBoot: ShowMarker);
        }
        var vm = new ApplianceVm(disk, work.Path, output);

        var upgrade = await vm.BootUntilRebootAsync();
        Assert.True((upgrade.Version, upgrade.Mode) == (1, "default"), $"{upgrade}: {upgrade.ConsoleTail}");
        upgrade.AssertShows("staged image 2 at /host/images/2.img");
        upgrade.AssertShows("image 2 boots next as a trial");
        output.WriteLine(upgrade.Console.Split('\n').First(line => line.Contains("stage took", StringComparison.Ordinal)).Trim());

        await using (var host = await HostPartition.MountAsync(disk, work.Path))
        {
            await GuestDriver.InstallAsync(host, 2, RollbackStep);
        }
        var trial = await vm.BootUntilRebootAsync();
        Assert.True((trial.Version, trial.Mode) == (2, "trial"), $"{trial}: {trial.ConsoleTail}");
        Assert.True(trial.Healthy, "the health check confirms image 2");
        trial.AssertShows("test-driver: image 2 sees marker: written on image 1");
        trial.AssertShows("image 1 is the default from the next boot on");
        // Beside the kexec switch's figure (BootChainTests): the firmware and GRUB are in this one.
        output.WriteLine($"switch time, apply --reboot to the health verdict on the new image: {ApplianceVm.SwitchTime(upgrade, trial).TotalSeconds:F1} s (reboot through the firmware and GRUB)");

        var back = await vm.BootAsync();
        Assert.True((back.Version, back.Mode) == (1, "default"), $"{back}: {back.ConsoleTail}");
        Assert.True(back.Healthy);
        back.AssertShows("test-driver: image 1 sees marker: written on image 1");
        await using (var host = await HostPartition.MountAsync(disk, work.Path))
        {
            Assert.Equal("changed on image 2\n", await File.ReadAllTextAsync(Path.Combine(host.Host, HostPartitionPaths.UpperLayer(2, "etc"), "appliance/config/marker")));
            Assert.Equal(new BootState(1, 2, null, 0, null), await GrubEditenv.ReadBootStateAsync(host.GrubEnvironment));
        }
    }

    public void Dispose() => work.Dispose();
}
