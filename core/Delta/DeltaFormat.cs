namespace Appliance.Core.Delta;

/// <summary>Constants of the delta file format (docs/delta-format.md) shared by the writer and the applier.</summary>
public static class DeltaFormat
{
    public const int Version = 1;

    /// <summary>ext4's block size: files and metadata of an image are aligned to it, so moved data is found whole.</summary>
    public const int DefaultBlockSize = 4096;

    public const int MinBlockSize = 512;

    public const int MaxBlockSize = 1 << 20;

    /// <summary>
    /// Upper bound of one segment's uncompressed literal data and of its prefix. The applier holds one of each
    /// in memory, so together with zstd's window they bound its memory whatever the image size.
    /// </summary>
    public const int MaxSegmentBytes = 16 << 20;

    /// <summary>zstd may expand incompressible data slightly (ZSTD_compressBound: about 1/256 more).</summary>
    public const int MaxCompressedSegmentBytes = MaxSegmentBytes + (1 << 20);

    /// <summary>2^25 = 32 MiB: a match at the end of a full segment still reaches the start of a full prefix.</summary>
    public const int WindowLog = 25;

    public static ReadOnlySpan<byte> Magic => "APLDELTA"u8;
}
