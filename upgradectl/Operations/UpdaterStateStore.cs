using System.Text.Json;
using Appliance.Core.Errors;
using Appliance.Platform.Files;
using Appliance.Upgradectl.Host;

namespace Appliance.Upgradectl.Operations;

/// <summary><c>var/lib/appliance/state.json</c> on the host partition, replaced by write, fsync and rename.</summary>
public sealed class UpdaterStateStore(HostLayout layout)
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

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

    /// <summary>Read, change, replace under a short lock: a stage's steps and a health verdict may run side by side.</summary>
    public UpdaterState Update(Func<UpdaterState, UpdaterState> change)
    {
        using var exclusive = FileLock.TryAcquireAsync(layout.UpdaterStateLock, LockWait, CancellationToken.None).GetAwaiter().GetResult()
            ?? throw new ApplianceException(ExitCode.Busy, $"{layout.UpdaterStateLock} stayed locked for {LockWait.TotalSeconds} s.");
        var state = change(Load());
        Save(state);
        return state;
    }
}
