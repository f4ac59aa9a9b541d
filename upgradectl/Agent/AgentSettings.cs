using System.Text.Json;
using Appliance.Core.Errors;
using Appliance.Core.Fleet;
using Appliance.Platform.Fleet;
using Appliance.Upgradectl.Host;

namespace Appliance.Upgradectl.Agent;

/// <summary><c>agent.json</c> as the agent uses it: the fleet address and the files it names, resolved in the fleet directory.</summary>
public sealed record AgentSettings(Uri FleetUrl, string? FleetCaFile, string? RepositoryCaFile, IReadOnlyList<string> RebootCommand)
{
    public static AgentSettings Load(HostLayout layout)
    {
        var path = layout.FleetFile(FleetLocations.ConfigurationFileName);
        if (!File.Exists(path))
        {
            throw new ApplianceException(ExitCode.NotFound,
                $"{path} does not exist: this appliance has no fleet configuration (imagebuild disk --fleet-url, or upgradectl enrol).");
        }
        AgentConfiguration configuration;
        try
        {
            configuration = JsonSerializer.Deserialize(File.ReadAllBytes(path), FleetJsonContext.Default.AgentConfiguration)
                ?? throw new JsonException("empty document");
        }
        catch (JsonException e)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"{path} is not a valid agent configuration: {e.Message}", e);
        }
        var reboot = configuration.RebootCommand ?? AgentConfiguration.DefaultRebootCommand;
        if (reboot.Count == 0)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"{path}: reboot_command must name a program.");
        }
        return new AgentSettings(FleetProvisioningWriter.RequireFleetUrl(configuration.FleetUrl),
            Resolve(layout, configuration.FleetCaFile), Resolve(layout, configuration.RepositoryCaFile), reboot);
    }

    private static string? Resolve(HostLayout layout, string? file) => file is null ? null : Path.Combine(layout.Fleet, file);
}
