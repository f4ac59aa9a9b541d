using Appliance.Core.Errors;
using Appliance.Platform.Files;

namespace Appliance.Upgradectl.Host;

/// <summary>One upgradectl changing the appliance at a time: an flock on the host partition, freed if the holder dies.</summary>
public static class HostLock
{
    public static async Task<FileLock> AcquireAsync(HostLayout layout, TimeSpan wait, CancellationToken cancellationToken) =>
        await FileLock.TryAcquireAsync(layout.Lock, wait, cancellationToken)
        ?? throw new ApplianceException(ExitCode.Busy,
            $"Another upgradectl is changing this appliance ({layout.Lock} is locked); try again later or pass --wait <seconds>.");

    /// <summary>Another upgradectl holds the lock right now (so an unfinished last operation is running, not interrupted).</summary>
    public static async Task<bool> IsHeldAsync(HostLayout layout, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(layout.StateDirectory))
        {
            return false;
        }
        using var probe = await FileLock.TryAcquireAsync(layout.Lock, TimeSpan.Zero, cancellationToken);
        return probe is null;
    }
}
