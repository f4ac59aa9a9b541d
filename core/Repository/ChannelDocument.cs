using Appliance.Core.Errors;

namespace Appliance.Core.Repository;

/// <summary>
/// <c>channels/&lt;name&gt;.json</c>: the releases an appliance following the channel may install, oldest first.
/// Its version rises with every signing, so an appliance can refuse an older copy (rollback).
/// </summary>
public sealed record ChannelDocument(string Channel, int Version, DateTimeOffset Expires, IReadOnlyList<ReleaseEntry> Releases)
{
    public ReleaseEntry? Find(int imageVersion) => Releases.FirstOrDefault(release => release.ImageVersion == imageVersion);

    /// <summary>
    /// Adds a release, or updates the entry of the same version: its deltas (and ZFS streams) are kept unless the new entry
    /// has one from the same base, so publishing again only adds deltas. A version names its bytes for ever, so a different image
    /// under a published version is refused.
    /// </summary>
    public ChannelDocument WithRelease(ReleaseEntry release)
    {
        var existing = Find(release.ImageVersion);
        if (existing is not null && existing.ImageSha256 != release.ImageSha256)
        {
            throw new ApplianceException(ExitCode.InvalidInput,
                $"Version {release.ImageVersion} is already published in channel '{Channel}' with image sha256 {existing.ImageSha256}; a version can never name other bytes.");
        }
        var kept = existing?.Deltas.Where(delta => release.Deltas.All(added => added.FromVersion != delta.FromVersion)) ?? [];
        var keptStreams = existing?.ZfsIncrementals?.Where(stream => release.ZfsIncrementals?.All(added => added.FromVersion != stream.FromVersion) ?? true) ?? [];
        var streams = keptStreams.Concat(release.ZfsIncrementals ?? []).OrderBy(stream => stream.FromVersion).ToList();
        var merged = release with
        {
            Deltas = [.. kept.Concat(release.Deltas).OrderBy(delta => delta.FromVersion)],
            Full = release.Full ?? existing?.Full,
            ZfsFull = release.ZfsFull ?? existing?.ZfsFull,
            ZfsIncrementals = streams.Count == 0 ? null : streams,
        };
        var releases = Releases.Where(entry => entry.ImageVersion != release.ImageVersion)
            .Append(merged)
            .OrderBy(entry => entry.ImageVersion)
            .ToList();
        return this with { Releases = releases };
    }

    /// <summary>The next signed edition: version + 1 and a fresh expiry.</summary>
    public ChannelDocument NextEdition(DateTimeOffset expires) => this with { Version = Version + 1, Expires = expires };
}
