namespace Appliance.Core.Delta;

/// <summary>
/// Counts the blocks that differ between two images at the same offset: what a block-level
/// incremental of a volume (e.g. <c>zfs send -i</c> of a zvol) has to send. Bytes past the end of the
/// shorter image count as changed. The changed blocks themselves, concatenated, are what such an incremental carries;
/// they are copied to <c>changedBlockOutput</c> when given (e.g. to measure how well they compress).
/// </summary>
public static class SameOffsetBlockComparer
{
    public static SameOffsetDiff Compare(Stream previous, Stream next, int blockSize, Stream? changedBlockOutput = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        var left = new byte[blockSize];
        var right = new byte[blockSize];
        long changedBlocks = 0;
        long changedBytes = 0;
        long totalBlocks = 0;
        while (true)
        {
            var rightLength = ReadBlock(next, right);
            if (rightLength == 0)
            {
                break;
            }
            var leftLength = ReadBlock(previous, left);
            totalBlocks++;
            if (leftLength != rightLength || !left.AsSpan(0, leftLength).SequenceEqual(right.AsSpan(0, rightLength)))
            {
                changedBlocks++;
                changedBytes += rightLength;
                changedBlockOutput?.Write(right, 0, rightLength);
            }
        }
        return new SameOffsetDiff(blockSize, totalBlocks, changedBlocks, changedBytes);
    }

    private static int ReadBlock(Stream stream, byte[] buffer)
    {
        var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return length;
    }
}
