using Appliance.Core.Errors;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Fleet;

/// <summary>
/// <c>imagebuild disk --fleet-url --enrol-token --fleet-ca</c>: the factory disk's host partition carries the agent
/// configuration and the token, and the appliance booted from it enrols at its first check-in by itself.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class AgentFactoryDiskTests(PublishedReleases published) : IClassFixture<PublishedReleases>, IAsyncLifetime
{
    private const string Tools = "sfdisk";
    private readonly TempDirectory directory = new();
    private FleetUnderTest fleet = null!;

    public async Task InitializeAsync()
    {
        fleet = await FleetUnderTest.StartAsync(directory.File("fleet"), intervalSeconds: 300);
        await fleet.CreateGroupAsync("factory", null);
    }

    public async Task DisposeAsync()
    {
        await fleet.DisposeAsync();
        directory.Dispose();
    }

    [RootFact(Tools, "grub-mkstandalone", "mkfs.vfat", "mcopy", "mke2fs", "grub-editenv")]
    public async Task An_appliance_from_a_factory_disk_with_a_fleet_enrols_at_its_first_check_in()
    {
        var token = await fleet.CreateTokenAsync("factory");
        var disk = directory.File("disk.raw");
        await Cli.SucceedAsync(Cli.ImageBuildAsync("disk", "--image", published.First.ImagePath, "--out", disk, "--size", "512",
            "--fleet-url", fleet.Address.ToString(), "--enrol-token", token, "--fleet-ca", fleet.CertificateFile));

        await using var host = await HostPartition.MountAsync(disk, directory.Path);
        var fleetDirectory = Path.Combine(host.Host, "var/lib/appliance/fleet");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(fleetDirectory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(fleetDirectory, "enrol-token")));
        Assert.Equal(token + "\n", await File.ReadAllTextAsync(Path.Combine(fleetDirectory, "enrol-token")));
        var commandLine = directory.File("cmdline");
        await File.WriteAllTextAsync(commandLine, "root=UUID=x rw appliance.image=/images/1.img appliance.version=1 appliance.boot=default\n");

        await Cli.SucceedAsync(Cli.UpgradectlAsync(null, "agent", "--once", "--root", host.Root, "--cmdline", commandLine));

        var device = Assert.Single((await fleet.DeviceListAsync()).EnumerateArray());
        Assert.Equal("factory", device.GetProperty("group_name").GetString());
        Assert.Equal(1, device.GetProperty("version").GetInt32());
        Assert.True(File.Exists(Path.Combine(fleetDirectory, "device.crt")));
    }

    [ToolFact]
    public async Task A_fleet_url_without_a_token_is_refused_before_anything_is_written()
    {
        var disk = directory.File("disk.raw");

        var result = await Cli.ImageBuildAsync("disk", "--image", published.First.ImagePath, "--out", disk, "--size", "512", "--fleet-url", fleet.Address.ToString());

        Assert.Equal((int)ExitCode.InvalidInput, result.ExitCode);
        Assert.Contains("--fleet-url and --enrol-token go together", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(disk));
    }
}
