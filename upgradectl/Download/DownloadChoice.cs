using Appliance.Core.Errors;
using Appliance.Core.Repository;

namespace Appliance.Upgradectl.Download;

/// <summary>How a release gets onto this appliance: a delta applied to the local image <see cref="FromVersion"/>, or the full image when null.</summary>
public sealed record DownloadChoice(ReleaseEntry Release, ObjectReference Object, int? FromVersion)
{
    public string Kind => FromVersion is null ? "full" : "delta";

    public string Description => FromVersion is { } from ? $"delta {from} -> {Release.ImageVersion}" : $"full image {Release.ImageVersion}";

    /// <summary>
    /// The smallest way: a delta whose base hash is the hash of an image present here, else the full image; null when
    /// the release is published as ZFS streams only (<see cref="ZfsObjectChoice"/> chooses among those).
    /// </summary>
    public static DownloadChoice? Choose(ReleaseEntry release, IReadOnlyList<LocalImage> local)
    {
        if (release.Full is not { } full)
        {
            return null;
        }
        var delta = release.Deltas
            .Where(candidate => local.Any(image => image.Version == candidate.FromVersion && image.Sha256 == candidate.FromImageSha256))
            .Where(candidate => candidate.Size < full.Size)
            .MinBy(candidate => candidate.Size);
        return delta is null ? Full(release) : new DownloadChoice(release, delta.Object, delta.FromVersion);
    }

    /// <summary>The full image: <c>stage --from --full</c>, or after the local base refused the delta.</summary>
    public static DownloadChoice Full(ReleaseEntry release) => release.Full is { } full
        ? new(release, full.Object, null)
        : throw new ApplianceException(ExitCode.NotFound, $"Release {release.ImageVersion} is published as ZFS streams only: it has no full image object.");
}
