using System.Text.Json;
using Appliance.Core.Errors;
using Appliance.Platform.Files;
using Appliance.Upgradectl.Host;

namespace Appliance.Upgradectl.Operations;

/// <summary><c>var/lib/appliance/state.json</c> on the host partition, replaced by write, fsync and rename.</summary>
public sealed class UpdaterStateStore(HostLayout layout)
{
    public UpdaterState Load()
    {
        if (!File.Exists(layout.UpdaterState))
        {
            return UpdaterState.Empty;
        }
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(layout.UpdaterState), UpdaterStateJsonContext.Default.UpdaterState) ?? UpdaterState.Empty;
        }
        catch (JsonException e)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"{layout.UpdaterState} is not valid: {e.Message}", e);
        }
    }

    public void Save(UpdaterState state)
    {
        Directory.CreateDirectory(layout.StateDirectory);
        AtomicFile.WriteAllBytes(layout.UpdaterState, JsonSerializer.SerializeToUtf8Bytes(state, UpdaterStateJsonContext.Default.UpdaterState));
    }

    public UpdaterState Update(Func<UpdaterState, UpdaterState> change)
    {
        var state = change(Load());
        Save(state);
        return state;
    }
}
