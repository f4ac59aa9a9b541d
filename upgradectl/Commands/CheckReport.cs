using Appliance.Core.Repository;
using Appliance.Upgradectl.Download;

namespace Appliance.Upgradectl.Commands;

/// <summary>
/// What <c>upgradectl check --json</c> prints: the newest release and how it would be downloaded; for a release
/// published as ZFS streams only, the stream <c>stage --from</c> would apply in user space (download "zfs").
/// </summary>
public sealed record CheckReport(
    string Channel, int ChannelVersion, int RootVersion, int ImageVersion, long ImageSize, bool Present,
    string Download, int? DeltaFrom, string ObjectSha256, long DownloadBytes, long FullBytes, string Description)
{
    public static CheckReport From(RemoteRelease remote, IReadOnlyList<LocalImage> local)
    {
        var present = local.Any(image => image.Sha256 == remote.Release.ImageSha256);
        var (kind, from, chosen, full, description) = remote.Download is { } download
            ? (download.Kind, download.FromVersion, download.Object, remote.Release.Full!.Size, download.Description)
            : ZfsWay(remote.Release, local);
        return new CheckReport(
            remote.Metadata.Channel.Channel, remote.Metadata.Channel.Version, remote.Metadata.Root.Version,
            remote.Release.ImageVersion, remote.Release.ImageSize, present, kind, from, chosen.Sha256, chosen.Size, full, description);
    }

    private static (string, int?, ObjectReference, long, string) ZfsWay(ReleaseEntry release, IReadOnlyList<LocalImage> local)
    {
        // A streams-only release always has its full stream (ReleaseEntry.Problem), so a choice exists.
        var choice = ZfsObjectChoice.ForImageFiles(release, local)!;
        return ("zfs", choice.FromVersion, choice.Object, release.ZfsFull!.Size, choice.Description);
    }
}
