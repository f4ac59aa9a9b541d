using System.Security.Cryptography;

namespace Appliance.Core.Delta;

/// <summary>Classifies every target block: zero, copy from the base (same offset or moved) or literal (new data).</summary>
internal static class DeltaPlanner
{
    private const int ChunkBytes = 1 << 20;

    public static DeltaPlan Plan(BaseBlockIndex index, Stream baseImage, Stream target, int blockSize, CancellationToken cancellationToken)
    {
        var runs = new DeltaRunBuilder();
        using var targetHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var targetChunk = new byte[ChunkBytes];
        var baseChunk = new byte[ChunkBytes];
        var scratch = new byte[blockSize];
        long targetSize = 0;
        foreach (var (offset, read) in target.ReadChunks(targetChunk, cancellationToken))
        {
            targetHash.AppendData(targetChunk, 0, read);
            var baseRead = baseImage.ReadAt(offset, baseChunk.AsSpan(0, read));
            for (var start = 0; start < read; start += blockSize)
            {
                var length = Math.Min(blockSize, read - start);
                var block = targetChunk.AsSpan(start, length);
                var sameOffset = baseChunk.AsSpan(start, Math.Clamp(baseRead - start, 0, length));
                Classify(block, (offset + start) / blockSize, sameOffset, index, runs, scratch);
            }
            targetSize = offset + read;
        }
        var header = new DeltaHeader(blockSize, index.Length, index.Sha256, targetSize, Convert.ToHexStringLower(targetHash.GetHashAndReset()));
        return new DeltaPlan(header, runs.Runs);
    }

    // Zero first, so that zeroed free blocks become holes in the staging file rather than copies of base zeros.
    // A block that continues the previous copy comes before the index, which only knows one copy of duplicate
    // blocks: this keeps moved files in long runs.
    private static void Classify(ReadOnlySpan<byte> block, long blockNumber, ReadOnlySpan<byte> sameOffset, BaseBlockIndex index, DeltaRunBuilder runs, Span<byte> scratch)
    {
        if (BaseBlockIndex.IsZero(block))
        {
            runs.Add(DeltaRecordKind.Zero);
        }
        else if (block.SequenceEqual(sameOffset))
        {
            runs.Add(DeltaRecordKind.Copy, blockNumber);
        }
        else if (runs.NextCopySource is { } next && block.Length == scratch.Length && index.Matches(next, block, scratch))
        {
            runs.Add(DeltaRecordKind.Copy, next);
        }
        else if (index.Find(block, scratch) is { } moved)
        {
            runs.Add(DeltaRecordKind.Copy, moved);
        }
        else
        {
            runs.Add(DeltaRecordKind.Literal);
        }
    }
}
