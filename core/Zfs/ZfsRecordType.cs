namespace Appliance.Core.Zfs;

/// <summary>The <c>drr_type</c> of a replay record (OpenZFS <c>dmu_replay_record_t</c>), in OpenZFS's numbering.</summary>
public enum ZfsRecordType : uint
{
    Begin = 0,
    Object = 1,
    FreeObjects = 2,
    Write = 3,
    Free = 4,
    End = 5,
    WriteByReference = 6,
    Spill = 7,
    WriteEmbedded = 8,
    ObjectRange = 9,
    Redact = 10,
}
