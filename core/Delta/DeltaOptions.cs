namespace Appliance.Core.Delta;

/// <summary>
/// How <see cref="DeltaWriter"/> makes a delta. Level 19 on the new data only is affordable (a few MB per release)
/// and 16 MiB segments give zstd enough context: on the bench pair, 4 MiB segments made 6% more bytes, 1 MiB 21%.
/// </summary>
public sealed record DeltaOptions(int BlockSize = DeltaFormat.DefaultBlockSize, int CompressionLevel = 19, int SegmentBytes = DeltaFormat.MaxSegmentBytes)
{
    internal void Validate()
    {
        if (BlockSize is < DeltaFormat.MinBlockSize or > DeltaFormat.MaxBlockSize || !int.IsPow2(BlockSize))
        {
            throw new ArgumentOutOfRangeException(nameof(BlockSize), BlockSize, $"must be a power of two from {DeltaFormat.MinBlockSize} to {DeltaFormat.MaxBlockSize}");
        }
        if (SegmentBytes < BlockSize || SegmentBytes > DeltaFormat.MaxSegmentBytes || SegmentBytes % BlockSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SegmentBytes), SegmentBytes, $"must be a multiple of the block size up to {DeltaFormat.MaxSegmentBytes}");
        }
    }
}
