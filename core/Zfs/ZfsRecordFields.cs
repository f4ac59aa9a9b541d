namespace Appliance.Core.Zfs;

/// <summary>Byte offsets of the fields we use inside a replay record (from the record's start, little-endian).</summary>
internal static class ZfsRecordFields
{
    public const int Type = 0;
    public const int PayloadLength = 4;
    private const int Body = ZfsStreamFormat.BodyOffset;

    // drr_begin
    public const int BeginMagic = Body;
    public const int BeginVersionInfo = Body + 8;
    public const int BeginCreationTime = Body + 16;
    public const int BeginObjectSetType = Body + 24;
    public const int BeginFlags = Body + 28;
    public const int BeginToGuid = Body + 32;
    public const int BeginFromGuid = Body + 40;
    public const int BeginToName = Body + 48;

    // drr_end
    public const int EndChecksum = Body;
    public const int EndToGuid = Body + 32;

    // drr_object
    public const int ObjectNumber = Body;
    public const int ObjectType = Body + 8;
    public const int ObjectBonusType = Body + 12;
    public const int ObjectBlockSize = Body + 16;
    public const int ObjectBonusLength = Body + 20;
    public const int ObjectDnodeSlots = Body + 26;
    public const int ObjectRawBonusLength = Body + 28;
    public const int ObjectToGuid = Body + 32;

    // drr_freeobjects
    public const int FreeObjectsFirst = Body;
    public const int FreeObjectsCount = Body + 8;
    public const int FreeObjectsToGuid = Body + 16;

    // drr_write
    public const int WriteObject = Body;
    public const int WriteObjectType = Body + 8;
    public const int WriteOffset = Body + 16;
    public const int WriteLogicalSize = Body + 24;
    public const int WriteToGuid = Body + 32;
    public const int WriteChecksumType = Body + 40;
    public const int WriteFlags = Body + 41;
    public const int WriteCompression = Body + 42;
    public const int WriteKeyChecksum = Body + 48;
    public const int WriteKeyProperties = Body + 80;
    public const int WriteCompressedSize = Body + 88;

    // drr_free
    public const int FreeObject = Body;
    public const int FreeOffset = Body + 8;
    public const int FreeLength = Body + 16;
    public const int FreeToGuid = Body + 24;
}
