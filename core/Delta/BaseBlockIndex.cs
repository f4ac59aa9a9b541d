using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Appliance.Core.Delta;

/// <summary>
/// Every distinct non-zero full block of the base image by a strong hash, so that target blocks found anywhere in
/// the base become copies, wherever they moved to; and the content anchors (<see cref="ContentAnchors"/>) of its
/// non-zero blocks, so that new data can be compressed against the base blocks it resembles. Also yields the base's
/// size and SHA-256 from the same pass.
/// </summary>
internal sealed class BaseBlockIndex
{
    private const int ChunkBytes = 1 << 20;

    private readonly Dictionary<ulong, long> firstBlockByKey;
    private readonly Dictionary<ulong, long> blockByAnchor;
    private readonly HashSet<long> zeroBlocks;
    private readonly Stream baseImage;
    private readonly int blockSize;

    private BaseBlockIndex(Stream baseImage, int blockSize, Dictionary<ulong, long> firstBlockByKey, Dictionary<ulong, long> blockByAnchor, HashSet<long> zeroBlocks, string sha256)
    {
        this.baseImage = baseImage;
        this.blockSize = blockSize;
        this.firstBlockByKey = firstBlockByKey;
        this.blockByAnchor = blockByAnchor;
        this.zeroBlocks = zeroBlocks;
        Sha256 = sha256;
    }

    public long Length => baseImage.Length;

    /// <summary>Blocks that lie wholly inside the base; a partial last block is never a copy source.</summary>
    public long FullBlocks => Length / blockSize;

    public string Sha256 { get; }

    public static BaseBlockIndex Build(Stream baseImage, int blockSize, CancellationToken cancellationToken)
    {
        var firstBlockByKey = new Dictionary<ulong, long>();
        var blockByAnchor = new Dictionary<ulong, long>();
        var zeroBlocks = new HashSet<long>();
        var anchors = new List<(int Position, ulong Hash)>();
        using var wholeImage = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[ChunkBytes];
        foreach (var (offset, read) in baseImage.ReadChunks(chunk, cancellationToken))
        {
            wholeImage.AppendData(chunk, 0, read);
            for (var start = 0; start + blockSize <= read; start += blockSize)
            {
                var block = chunk.AsSpan(start, blockSize);
                if (IsZero(block))
                {
                    zeroBlocks.Add((offset + start) / blockSize);
                }
                else
                {
                    firstBlockByKey.TryAdd(Key(block), (offset + start) / blockSize);
                }
            }
            anchors.Clear();
            ContentAnchors.Find(chunk.AsSpan(0, read), anchors);
            foreach (var (position, hash) in anchors)
            {
                var anchorBlock = (offset + position - 1) / blockSize;
                if (!zeroBlocks.Contains(anchorBlock))
                {
                    blockByAnchor.TryAdd(hash, anchorBlock);
                }
            }
        }
        return new BaseBlockIndex(baseImage, blockSize, firstBlockByKey, blockByAnchor, zeroBlocks, Convert.ToHexStringLower(wholeImage.GetHashAndReset()));
    }

    /// <summary>The base block holding the end of an anchor with this hash, or null.</summary>
    public long? BlockOfAnchor(ulong hash) => blockByAnchor.TryGetValue(hash, out var block) ? block : null;

    /// <summary>Whether a full base block is all zeros: worthless as compression reference.</summary>
    public bool IsZeroBlock(long baseBlock) => zeroBlocks.Contains(baseBlock);

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
