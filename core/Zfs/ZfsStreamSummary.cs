namespace Appliance.Core.Zfs;

/// <summary>What a stream holds: its GUIDs (FromGuid 0 for a full stream), the zvol's size, its bytes and records.</summary>
public sealed record ZfsStreamSummary(ulong FromGuid, ulong ToGuid, long VolumeSize, long Bytes, int Records, int WriteRecords, int FreeRecords);
