using Appliance.Core.Errors;
using Appliance.Platform.Files;

namespace Appliance.Upgradectl.Host;

/// <summary>
/// Two flocks on the host partition, freed if the holder dies. The host lock: one upgradectl changing the boot state,
/// the images present or their layers at a time; held briefly (apply, rollback, prune, the health verdict, and stage
/// only to check and to publish). The download lock: one check or stage at a time, for its whole run, so the long
/// network and rebuild work never holds up the host lock.
/// </summary>
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

    public static async Task<FileLock> AcquireDownloadAsync(HostLayout layout, TimeSpan wait, CancellationToken cancellationToken) =>
        await FileLock.TryAcquireAsync(layout.DownloadLock, wait, cancellationToken)
        ?? throw new ApplianceException(ExitCode.Busy,
            $"Another upgradectl is checking or staging ({layout.DownloadLock} is locked); try again later or pass --wait <seconds>.");
}
