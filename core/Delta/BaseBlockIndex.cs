using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Appliance.Core.Delta;

/// <summary>
/// Every distinct non-zero full block of the base image by a strong hash, so that target blocks found anywhere in
/// the base become copies, wherever they moved to. Also yields the base's size and SHA-256 from the same pass.
/// </summary>
internal sealed class BaseBlockIndex
{
    private const int ChunkBytes = 1 << 20;

    private readonly Dictionary<ulong, long> firstBlockByKey;
    private readonly Stream baseImage;
    private readonly int blockSize;

    private BaseBlockIndex(Stream baseImage, int blockSize, Dictionary<ulong, long> firstBlockByKey, string sha256)
    {
        this.baseImage = baseImage;
        this.blockSize = blockSize;
        this.firstBlockByKey = firstBlockByKey;
        Sha256 = sha256;
    }

    public long Length => baseImage.Length;

    /// <summary>Blocks that lie wholly inside the base; a partial last block is never a copy source.</summary>
    public long FullBlocks => Length / blockSize;

    public string Sha256 { get; }

    public static BaseBlockIndex Build(Stream baseImage, int blockSize, CancellationToken cancellationToken)
    {
        var firstBlockByKey = new Dictionary<ulong, long>();
        using var wholeImage = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[ChunkBytes];
        foreach (var (offset, read) in baseImage.ReadChunks(chunk, cancellationToken))
        {
            wholeImage.AppendData(chunk, 0, read);
            for (var start = 0; start + blockSize <= read; start += blockSize)
            {
                var block = chunk.AsSpan(start, blockSize);
                if (!IsZero(block))
                {
                    firstBlockByKey.TryAdd(Key(block), (offset + start) / blockSize);
                }
            }
        }
        return new BaseBlockIndex(baseImage, blockSize, firstBlockByKey, Convert.ToHexStringLower(wholeImage.GetHashAndReset()));
    }

    public static bool IsZero(ReadOnlySpan<byte> block) => !block.ContainsAnyExcept((byte)0);

    /// <summary>
    /// A base block with exactly <paramref name="block"/>'s bytes, or null. The 64-bit hash key only names a
    /// candidate: the bytes decide, because a wrong copy would only be caught by the appliance's final check.
    /// </summary>
    public long? Find(ReadOnlySpan<byte> block, Span<byte> scratch)
    {
        if (block.Length != blockSize || !firstBlockByKey.TryGetValue(Key(block), out var candidate))
        {
            return null;
        }
        return Matches(candidate, block, scratch) ? candidate : null;
    }

    /// <summary>Whether base block <paramref name="baseBlock"/> holds exactly <paramref name="block"/>'s bytes.</summary>
    public bool Matches(long baseBlock, ReadOnlySpan<byte> block, Span<byte> scratch)
    {
        if (baseBlock >= FullBlocks)
        {
            return false;
        }
        var read = baseImage.ReadAt(baseBlock * blockSize, scratch[..block.Length]);
        return scratch[..read].SequenceEqual(block);
    }

    private static ulong Key(ReadOnlySpan<byte> block)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(block, hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }
}
