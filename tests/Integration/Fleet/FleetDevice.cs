using System.Text.Json;
using System.Text.Json.Nodes;
using Appliance.Core.Boot;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Fleet;

/// <summary>
/// An appliance root (real ext4 images, real grubenv) enrolled in a fleet with <c>upgradectl enrol</c>, whose agent
/// runs as the published upgradectl. Its reboot command only leaves a mark; the test then "reboots" it by rewriting
/// the kernel command line, as the apply tests do.
/// </summary>
public sealed class FleetDevice
{
    private FleetDevice(ApplianceRoot appliance, string rebootMark)
    {
        Appliance = appliance;
        RebootMark = rebootMark;
    }

    public ApplianceRoot Appliance { get; }

    public string RebootMark { get; }

    public string Id { get; private set; } = "";

    public string FleetDirectory => Path.Combine(Appliance.Host, "var/lib/appliance/fleet");

    public bool AskedToReboot => File.Exists(RebootMark);

    /// <summary>An appliance on image 1 (the repository's exact build, so image 2 comes as a delta) that trusts the repository.</summary>
    public static async Task<FleetDevice> CreateAsync(TempDirectory directory, PublishedReleases published, string repository)
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        appliance.ReplaceImage(published.First);
        appliance.ProvisionTrustRoot(repository);
        return new FleetDevice(appliance, directory.File("rebooted"));
    }

    public async Task<ProcessResult> EnrolAsync(FleetUnderTest fleet, string token, string repositoryCertificate)
    {
        var result = await Appliance.RunAsync("enrol", "--fleet-url", fleet.Address.ToString(), "--token", token,
            "--fleet-ca", fleet.CertificateFile, "--repository-ca", repositoryCertificate);
        if (result.ExitCode == 0)
        {
            Id = result.StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2].TrimEnd(';');
            var configuration = Path.Combine(FleetDirectory, "agent.json");
            var json = JsonNode.Parse(await File.ReadAllTextAsync(configuration))!;
            json["reboot_command"] = new JsonArray("touch", RebootMark);
            await File.WriteAllTextAsync(configuration, json.ToJsonString());
        }
        return result;
    }

    public Task<ProcessResult> AgentOnceAsync(IReadOnlyDictionary<string, string?>? environment = null) =>
        Cli.UpgradectlAsync(environment, "agent", "--once", "--root", Appliance.Root, "--cmdline", Appliance.CommandLine);

    public async Task<ProcessResult> SucceedOnceAsync() => await Cli.SucceedAsync(AgentOnceAsync());

    /// <summary>What GRUB does after the agent's reboot: boots the next image (the trial after an apply).</summary>
    public async Task RebootAsync()
    {
        Assert.True(AskedToReboot, "the agent did not ask for a reboot");
        File.Delete(RebootMark);
        await BootNextAsync();
    }

    /// <summary>Boots what GRUB would boot now (after the health check rejected a trial and rebooted, for instance).</summary>
    public async Task BootNextAsync()
    {
        var (version, mode) = await Appliance.NextBootAsync();
        await Appliance.BootAsync(version, mode);
    }

    /// <summary>appliance-health.service after boot: healthy, or unhealthy by a failing check script.</summary>
    public async Task<ProcessResult> HealthCheckAsync(bool healthy)
    {
        if (!healthy)
        {
            await Appliance.WriteConfigAsync("etc/appliance/health.d/10-app", "#!/bin/sh\necho 'the application does not answer' >&2\nexit 1\n");
            File.SetUnixFileMode(Path.Combine(Appliance.Root, "etc/appliance/health.d/10-app"), (UnixFileMode)0b111_101_101);
        }
        return await Appliance.RunAsync("health-check", "--no-reboot");
    }

    public async Task<JsonElement> AgentStateAsync()
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(FleetDirectory, "agent-state.json")));
        return document.RootElement.Clone();
    }

    public Task<(int Version, BootMode Mode)> NextBootAsync() => Appliance.NextBootAsync();
}
