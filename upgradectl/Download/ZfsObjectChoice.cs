using Appliance.Core.Repository;

namespace Appliance.Upgradectl.Download;

/// <summary>
/// Which ZFS stream of a release to download (docs/zfs-streams.md): an incremental from a base this appliance has,
/// the smallest such, else the full stream. An incremental whose base is not here is never chosen.
/// </summary>
public sealed record ZfsObjectChoice(ReleaseEntry Release, ObjectReference Object, int? FromVersion, ulong? FromGuid)
{
    public string Description => FromVersion is { } from
        ? $"ZFS incremental {from} -> {Release.ImageVersion}"
        : $"ZFS full stream {Release.ImageVersion}";

    /// <summary>For an image file in user space: a base is an image present here with the signed base hash.</summary>
    public static ZfsObjectChoice? ForImageFiles(ReleaseEntry release, IReadOnlyList<LocalImage> local) =>
        Choose(release, stream => local.Any(image => image.Version == stream.FromVersion && image.Sha256 == stream.FromImageSha256));

    /// <summary>For a pool: a base is a snapshot the pool holds, by GUID.</summary>
    public static ZfsObjectChoice? ForPool(ReleaseEntry release, IReadOnlySet<ulong> snapshotGuids) =>
        Choose(release, stream => snapshotGuids.Contains(stream.FromGuid));

    private static ZfsObjectChoice? Choose(ReleaseEntry release, Func<ZfsIncrementalObject, bool> haveBase)
    {
        var incremental = (release.ZfsIncrementals ?? []).Where(haveBase).MinBy(stream => stream.Size);
        if (incremental is not null && (release.ZfsFull is null || incremental.Size < release.ZfsFull.Size))
        {
            return new ZfsObjectChoice(release, incremental.Object, incremental.FromVersion, incremental.FromGuid);
        }
        return release.ZfsFull is { } full ? new ZfsObjectChoice(release, full.Object, null, null) : null;
    }
}
