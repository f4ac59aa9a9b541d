namespace Appliance.Core.Zfs;

/// <summary>
/// The facts of the OpenZFS send stream subset we write and read (docs/zfs-streams.md): fixed 312-byte little-endian
/// replay records, field offsets inside them, and the zvol layout a stream of an image describes.
/// </summary>
public static class ZfsStreamFormat
{
    /// <summary>The zvol block size (<c>volblocksize</c>) every stream of the repository is written for.</summary>
    public const int VolBlockSize = 16384;

    public const ulong Magic = 0x2F5BACBAC;

    /// <summary><c>sizeof(dmu_replay_record_t)</c>.</summary>
    public const int RecordBytes = 312;

    /// <summary>Where the record body (the union) starts, after <c>drr_type</c> and <c>drr_payloadlen</c>.</summary>
    public const int BodyOffset = 8;

    /// <summary>Where the running fletcher-4 checksum of everything before it sits in every record but BEGIN.</summary>
    public const int ChecksumOffset = RecordBytes - 32;

    /// <summary>Header type SUBSTREAM in the low two bits of <c>drr_versioninfo</c>.</summary>
    public const ulong SubstreamHeader = 1;

    /// <summary><c>DRR_FLAG_FREERECORDS</c>: a full stream carries FREE records for its holes.</summary>
    public const uint FlagFreeRecords = 1 << 2;

    /// <summary><c>DRR_FLAG_SPILL_BLOCK</c>: set by every current sender; meaningless for a zvol, written for parity.</summary>
    public const uint FlagSpillBlock = 1 << 3;

    /// <summary><c>DRR_CHECKSUM_DEDUP</c> in a WRITE's flags: its key holds the block's checksum.</summary>
    public const byte WriteFlagChecksumInKey = 1;

    /// <summary><c>DMU_OST_ZVOL</c>.</summary>
    public const uint ObjectSetZvol = 3;

    /// <summary><c>DMU_OT_ZVOL</c> and <c>DMU_OT_ZVOL_PROP</c>.</summary>
    public const uint ObjectTypeZvol = 23;
    public const uint ObjectTypeZvolProperties = 24;

    /// <summary>The zvol's data object and its properties ZAP (the "size" entry), as zvol_create lays them out.</summary>
    public const ulong DataObject = 1;
    public const ulong PropertiesObject = 2;

    /// <summary>The objects one 16 KiB dnode block holds (512-byte dnodes): a zvol's object set has one such block.</summary>
    public const ulong ObjectsPerDnodeBlock = 32;

    /// <summary>The properties ZAP's block: a microzap of 512 bytes (SPA_MINBLOCKSIZE, the default a ZAP object gets).</summary>
    public const int PropertiesBlockSize = 512;

    /// <summary><c>ZIO_CHECKSUM_SHA256</c>.</summary>
    public const byte ChecksumSha256 = 8;

    /// <summary><c>DMU_OBJECT_END</c>: a FREE length that means "to the end of the object".</summary>
    public const ulong ObjectEnd = ulong.MaxValue;

    /// <summary>The largest WRITE payload we accept: OpenZFS's SPA_MAXBLOCKSIZE (16 MiB).</summary>
    public const int MaxBlockSize = 16 << 20;

    /// <summary><c>MAXNAMELEN</c>: the BEGIN record's snapshot name field.</summary>
    public const int NameBytes = 256;

    /// <summary>Feature flags in bits 2..57 of <c>drr_versioninfo</c>.</summary>
    public const int FeatureFlagsShift = 2;

    /// <summary>
    /// The feature flags we read: none of them changes how WRITE/FREE records are laid out for a plain
    /// (uncompressed, unembedded, unencrypted) zvol stream. LARGE_BLOCKS only allows blocks over 128 KiB; SA_SPILL
    /// and LARGE_DNODE concern file systems; SWITCH_TO_LARGE_BLOCKS, HOLDS and LONGNAME change no record we use.
    /// </summary>
    public const ulong ReadableFeatures =
        (1UL << 2) /* SA_SPILL */ | (1UL << 19) /* LARGE_BLOCKS */ | (1UL << 23) /* LARGE_DNODE */ |
        (1UL << 26) /* HOLDS */ | (1UL << 27) /* SWITCH_TO_LARGE_BLOCKS */ | (1UL << 28) /* LONGNAME */;
}
