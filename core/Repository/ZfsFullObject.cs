using System.Text.Json.Serialization;

namespace Appliance.Core.Repository;

/// <summary>
/// A full OpenZFS send stream of a zvol (block size <see cref="VolBlockSize"/>) holding the release's image
/// (docs/zfs-streams.md); <see cref="SnapshotGuid"/> is the GUID the received snapshot gets, derived from the image hash.
/// </summary>
public sealed record ZfsFullObject(ulong SnapshotGuid, int VolBlockSize, string Sha256, long Size)
{
    [JsonIgnore]
    public ObjectReference Object => new(Sha256, Size);
}
