namespace Appliance.Core.Zfs;

/// <summary>An image as the content of a zvol snapshot: its bytes (seekable), its SHA-256 (the GUID's source) and version (the snapshot's name).</summary>
public sealed record ZvolImage(Stream Bytes, string Sha256, int Version)
{
    public ulong SnapshotGuid => ZfsSnapshotGuid.ForImage(Sha256);

    /// <summary>The name a stream gives the snapshot (informational: a receiver names its target itself).</summary>
    public string SnapshotName => $"appliance/image@{Version}";
}
