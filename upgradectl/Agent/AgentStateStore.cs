using System.Text.Json;
using Appliance.Core.Errors;
using Appliance.Core.Fleet;
using Appliance.Platform.Files;
using Appliance.Upgradectl.Host;

namespace Appliance.Upgradectl.Agent;

/// <summary><c>agent-state.json</c> in the fleet directory, replaced by write, fsync and rename at every change.</summary>
public sealed class AgentStateStore(HostLayout layout)
{
    private string Path => layout.FleetFile(FleetLocations.AgentStateFileName);

    public AgentState Load()
    {
        if (!File.Exists(Path))
        {
            return AgentState.Empty;
        }
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(Path), AgentStateJsonContext.Default.AgentState) ?? AgentState.Empty;
        }
        catch (JsonException e)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"{Path} is not valid: {e.Message}", e);
        }
    }

    public AgentState Save(AgentState state)
    {
        AtomicFile.WriteAllBytes(Path, JsonSerializer.SerializeToUtf8Bytes(state, AgentStateJsonContext.Default.AgentState));
        return state;
    }
}
