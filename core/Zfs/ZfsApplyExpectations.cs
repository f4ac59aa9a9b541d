namespace Appliance.Core.Zfs;

/// <summary>
/// What the signed channel (or a fixture's record) says a stream must produce: the image's size and SHA-256 and the
/// GUIDs of the base and target snapshots (for our streams: <see cref="ZfsSnapshotGuid.ForImage"/> of the hashes).
/// A null GUID or base hash is not checked.
/// </summary>
public sealed record ZfsApplyExpectations(long ImageSize, string? ImageSha256, ulong? TargetGuid, ulong? BaseGuid, string? BaseSha256 = null);
