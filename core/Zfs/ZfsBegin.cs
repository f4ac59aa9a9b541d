namespace Appliance.Core.Zfs;

/// <summary>A stream's BEGIN record: from which snapshot (0: full stream) to which, its feature flags and snapshot name.</summary>
public sealed record ZfsBegin(ulong FromGuid, ulong ToGuid, ulong Features, string ToName)
{
    public bool IsIncremental => FromGuid != 0;
}
