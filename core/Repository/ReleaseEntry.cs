using Appliance.Core.Manifests;

namespace Appliance.Core.Repository;

/// <summary>
/// One image version in a channel: the uncompressed image it produces (hash and size, what the appliance checks
/// after it rebuilt the file), its manifest, the full object and the deltas from earlier versions, and, when the
/// repository publishes them, ZFS send streams of a zvol holding the image (full, and incremental from earlier versions).
/// A repository may publish ZFS streams only: then <see cref="Full"/> is null, there are no deltas (a refused delta
/// falls back to the full object) and the full stream is required, so that every appliance has a way in.
/// </summary>
public sealed record ReleaseEntry(
    int ImageVersion,
    string ImageSha256,
    long ImageSize,
    ObjectReference Manifest,
    FullImageObject? Full,
    IReadOnlyList<DeltaObject> Deltas,
    ZfsFullObject? ZfsFull = null,
    IReadOnlyList<ZfsIncrementalObject>? ZfsIncrementals = null)
{
    /// <summary>Every object the entry lists.</summary>
    public IEnumerable<ObjectReference> Objects =>
        [Manifest, .. Full is null ? [] : (ObjectReference[])[Full.Object], .. Deltas.Select(delta => delta.Object), .. ZfsFull is null ? [] : (ObjectReference[])[ZfsFull.Object],
         .. (ZfsIncrementals ?? []).Select(stream => stream.Object)];

    /// <summary>Whether the entry publishes only ZFS streams (no full object, no deltas).</summary>
    public bool ZfsStreamsOnly => Full is null;

    /// <summary>Why the entry is not well-formed, or null: it must give every appliance a way in.</summary>
    public string? Problem() => (Full, ZfsFull, Deltas.Count) switch
    {
        (null, null, _) => $"release {ImageVersion} has neither a full object nor a full ZFS stream",
        (null, _, > 0) => $"release {ImageVersion} lists deltas but no full object for them to fall back to",
        _ => null,
    };

    /// <summary>Whether a manifest describes this release's image (version, SHA-256 and size); one that does not is refused.</summary>
    public bool IsDescribedBy(ImageManifest manifest) =>
        manifest.Version == ImageVersion && manifest.Sha256 == ImageSha256 && manifest.SizeBytes == ImageSize;
}
