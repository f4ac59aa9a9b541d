using Appliance.Core.Manifests;

namespace Appliance.Core.Repository;

/// <summary>
/// One image version in a channel: the uncompressed image it produces (hash and size, what the appliance checks
/// after it rebuilt the file), its manifest, the full object and the deltas from earlier versions, and, when the
/// repository publishes them, ZFS send streams of a zvol holding the image (full, and incremental from earlier versions).
/// </summary>
public sealed record ReleaseEntry(
    int ImageVersion,
    string ImageSha256,
    long ImageSize,
    ObjectReference Manifest,
    FullImageObject Full,
    IReadOnlyList<DeltaObject> Deltas,
    ZfsFullObject? ZfsFull = null,
    IReadOnlyList<ZfsIncrementalObject>? ZfsIncrementals = null)
{
    /// <summary>Every object the entry lists.</summary>
    public IEnumerable<ObjectReference> Objects =>
        [Manifest, Full.Object, .. Deltas.Select(delta => delta.Object), .. ZfsFull is null ? [] : (ObjectReference[])[ZfsFull.Object],
         .. (ZfsIncrementals ?? []).Select(stream => stream.Object)];

    /// <summary>Whether a manifest describes this release's image (version, SHA-256 and size); one that does not is refused.</summary>
    public bool IsDescribedBy(ImageManifest manifest) =>
        manifest.Version == ImageVersion && manifest.Sha256 == ImageSha256 && manifest.SizeBytes == ImageSize;
}
