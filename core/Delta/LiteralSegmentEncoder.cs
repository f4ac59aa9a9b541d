using System.Security.Cryptography;
using Appliance.Core.Compression;

namespace Appliance.Core.Delta;

/// <summary>
/// Packs the plan's literal blocks, in target order, into segments of at most <see cref="DeltaOptions.SegmentBytes"/>
/// and writes each as one zstd frame compressed against a prefix of base blocks chosen by
/// <see cref="ReferenceSelector"/>: the old versions of updated files wherever they lie, and the blocks at the same
/// offsets (changed metadata: inode tables, bitmaps, directories). The prefix costs nothing on the wire but its
/// extent list: the applier reads it from its base.
/// </summary>
internal sealed class LiteralSegmentEncoder
{
    private readonly List<(long Start, long Count)> literalRuns = [];
    private readonly Stream baseImage;
    private readonly Stream target;
    private readonly BaseBlockIndex index;
    private readonly DeltaOptions options;
    private readonly long targetSize;
    private readonly byte[] data;
    private readonly byte[] prefix;
    private int nextRun;
    private long takenFromNextRun;

    public LiteralSegmentEncoder(DeltaPlan plan, BaseBlockIndex index, Stream baseImage, Stream target, DeltaOptions options)
    {
        this.index = index;
        this.baseImage = baseImage;
        this.target = target;
        this.options = options;
        targetSize = plan.Header.TargetSize;
        data = new byte[options.SegmentBytes];
        prefix = new byte[options.SegmentBytes];
        long block = 0;
        foreach (var run in plan.Runs)
        {
            if (run.Kind == DeltaRecordKind.Literal)
            {
                literalRuns.Add((block, run.BlockCount));
            }
            block += run.BlockCount;
        }
    }

    public int Segments { get; private set; }

    public long CompressedBytes { get; private set; }

    /// <summary>Writes the segment record holding the next literal blocks; returns how many blocks it holds.</summary>
    public long WriteNext(BinaryWriter writer)
    {
        var pieces = TakeNextPieces();
        var dataLength = 0;
        foreach (var (start, count) in pieces)
        {
            var bytes = (int)Math.Min(count * options.BlockSize, targetSize - (start * options.BlockSize));
            target.Position = start * options.BlockSize;
            target.ReadExactly(data.AsSpan(dataLength, bytes));
            dataLength += bytes;
        }
        var extents = ReferenceSelector.Select(data.AsSpan(0, dataLength), pieces, index, options.SegmentBytes / options.BlockSize);
        var prefixLength = 0;
        foreach (var (start, count) in extents)
        {
            var bytes = (int)(count * options.BlockSize);
            baseImage.Position = start * options.BlockSize;
            baseImage.ReadExactly(prefix.AsSpan(prefixLength, bytes));
            prefixLength += bytes;
        }
        var compressed = Compress(data.AsMemory(0, dataLength), prefix.AsMemory(0, prefixLength));

        writer.Write((byte)DeltaRecordKind.Segment);
        writer.Write((long)dataLength);
        writer.Write(compressed.Length);
        writer.Write(SHA256.HashData(data.AsSpan(0, dataLength)));
        writer.Write((long)extents.Count);
        foreach (var (start, count) in extents)
        {
            writer.Write(start);
            writer.Write(count);
        }
        writer.Write(compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        Segments++;
        CompressedBytes += compressed.Length;
        return pieces.Sum(piece => piece.Count);
    }

    private List<(long Start, long Count)> TakeNextPieces()
    {
        var pieces = new List<(long Start, long Count)>();
        var room = (long)(options.SegmentBytes / options.BlockSize);
        while (room > 0 && nextRun < literalRuns.Count)
        {
            var (start, count) = literalRuns[nextRun];
            var take = Math.Min(room, count - takenFromNextRun);
            pieces.Add((start + takenFromNextRun, take));
            room -= take;
            takenFromNextRun += take;
            if (takenFromNextRun == count)
            {
                nextRun++;
                takenFromNextRun = 0;
            }
        }
        return pieces;
    }

    private MemoryStream Compress(ReadOnlyMemory<byte> segment, ReadOnlyMemory<byte> reference)
    {
        var compressed = new MemoryStream();
        var zstdOptions = new ZstdCompressionOptions(options.CompressionLevel, DeltaFormat.WindowLog, PledgedSize: segment.Length);
        using (var compressor = new ZstdCompressionStream(compressed, zstdOptions, reference, leaveOpen: true))
        {
            compressor.Write(segment.Span);
        }
        return compressed;
    }
}
