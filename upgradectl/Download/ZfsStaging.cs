using Appliance.Core.Errors;
using Appliance.Core.Repository;
using Appliance.Platform.Cli;
using Appliance.Upgradectl.Host;

namespace Appliance.Upgradectl.Download;

/// <summary>Picks the ZFS stream for <c>stage --from</c>: by the pool's snapshots when a dataset is configured, else by the images present.</summary>
public static class ZfsStaging
{
    public static async Task<(ZfsStreamImageSource Source, ZfsObjectChoice Choice)> SourceAsync(
        RepositoryClient repository, ReleaseEntry release, HostLayout layout, string? dataset, CancellationToken cancellationToken)
    {
        var pool = dataset is null ? null : new ZfsPool(dataset);
        var choice = pool is null
            ? ZfsObjectChoice.ForImageFiles(release, LocalImage.Present(layout))
            : ZfsObjectChoice.ForPool(release, (await pool.SnapshotsAsync(cancellationToken)).Values.ToHashSet());
        if (choice is null)
        {
            throw new ApplianceException(ExitCode.NotFound, $"Release {release.ImageVersion} is published without ZFS streams (imagebuild publish --zfs-streams).");
        }
        return (new ZfsStreamImageSource(repository, choice, layout, pool, Logging.Progress), choice);
    }
}
