using System.Globalization;
using Appliance.Platform.Files;
using Appliance.Tests.Support;
using Xunit.Abstractions;

namespace Appliance.Tests.EndToEnd;

/// <summary>
/// The whole release path with real images: publish image 1 and image 2 (with a delta from 1) into a signed
/// repository, serve it with the distributor on 127.0.0.1 over HTTPS, and let an appliance VM on image 1 (its trust
/// root provisioned at the factory) stage image 2 by delta through a qemu guestfwd to that address only, apply it,
/// reboot, and confirm it healthy.
/// </summary>
[Collection(BuiltImagesCollection.Name)]
public sealed class DeltaUpgradeInVmTests(BuiltImages images, ITestOutputHelper output) : IDisposable
{
    // The only address the guest can reach: qemu forwards it to the distributor on the host's 127.0.0.1.
    private const string GuestRepository = "https://10.0.2.100:8443/";

    private const string UpgradeStep = $$"""
        for attempt in $(seq 1 60); do
          upgradectl check --from {{GuestRepository}} --ca-cert /host/distributor.crt.pem && break
          sleep 2
        done
        start=$(date +%s%N)
        upgradectl stage --from {{GuestRepository}} --ca-cert /host/distributor.crt.pem
        staged=$(date +%s%N)
        echo "test-driver: download and stage took $(( (staged - start) / 1000000 )) ms"
        upgradectl apply
        systemctl reboot
        """;

    private readonly TempDirectory work = new();

    [RootFact("qemu-system-x86_64", "zstd")]
    public async Task An_appliance_on_image_1_stages_image_2_by_delta_over_https_applies_it_and_confirms_it_healthy()
    {
        var repository = work.File("repo");
        await Cli.SucceedAsync(Cli.ImageBuildAsync("keygen", "--out", work.Path, "--name", "release"));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("keygen", "--out", work.Path, "--name", "root"));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("repo", "init", "--repo", repository, "--root-key", work.File("root.pem"), "--release-key", work.File("release.pem")));
        await Cli.SucceedAsync(Cli.ImageBuildAsync("publish", "--repo", repository, "--image", images.FirstImage, "--key", work.File("release.pem")));
        var published = await Cli.SucceedAsync(Cli.ImageBuildAsync("publish", "--repo", repository, "--image", images.LayoutPreservedImage,
            "--delta-from", images.FirstImage, "--key", work.File("release.pem")));
        output.WriteLine(published.StandardOutput);
        var release = RepositoryOnDisk.VerifyAsNewAppliance(repository).Channel.Find(2)!;
        var delta = release.Deltas.Single();
        Assert.True(delta.Size * 10 < release.Full!.Size, $"delta {delta.Size} bytes, full {release.Full!.Size} bytes");
        await using var distributor = await RunningDistributor.StartAsync(repository, work.File("certificates"));

        var disk = work.File("disk.raw");
        await Cli.SucceedAsync(Cli.ImageBuildAsync("disk", "--image", images.FirstImage, "--out", disk, "--size", "4096",
            "--trust-root", Path.Combine(repository, "root/1.json")));
        await using (var host = await HostPartition.MountAsync(disk, work.Path))
        {
            File.Copy(distributor.CertificateFile, Path.Combine(host.Host, "distributor.crt.pem"));
            await GuestDriver.InstallAsync(host, 1, UpgradeStep, network: true);
        }
        var port = distributor.Address.Port.ToString(CultureInfo.InvariantCulture);
        var vm = new ApplianceVm(disk, work.Path, output, $"user,model=virtio-net-pci,restrict=on,guestfwd=tcp:10.0.2.100:8443-cmd:socat STDIO TCP:127.0.0.1:{port}");

        var upgrade = await vm.BootUntilRebootAsync();
        Assert.True((upgrade.Version, upgrade.Mode) == (1, "default"), $"{upgrade}: {upgrade.ConsoleTail}");
        upgrade.AssertShows($"download: delta delta 1 -> 2, object {delta.Size} bytes");
        upgrade.AssertShows("staged image 2 at /host/images/2.img");
        upgrade.AssertShows("image 2 boots next as a trial");
        output.WriteLine(upgrade.Console.Split('\n').First(line => line.Contains("download and stage took", StringComparison.Ordinal)).Trim());

        var trial = await vm.BootAsync();
        Assert.True((trial.Version, trial.Mode) == (2, "trial"), $"{trial}: {trial.ConsoleTail}");
        Assert.True(trial.Healthy, "the health check confirms image 2");
        await using (var host = await HostPartition.MountAsync(disk, work.Path))
        {
            Assert.Equal(release.ImageSha256, await Sha256File.ComputeAsync(host.ImagePath(2), default));
            Assert.Equal(2, (await GrubEditenv.ReadBootStateAsync(host.GrubEnvironment)).Default);
        }
    }

    public void Dispose() => work.Dispose();
}
