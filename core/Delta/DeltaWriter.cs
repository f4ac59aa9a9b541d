using System.Text;

namespace Appliance.Core.Delta;

/// <summary>
/// Makes the delta that turns <c>baseImage</c> into <c>target</c> (docs/delta-format.md). Both images must be
/// seekable: the base is indexed, then the target is planned against it, then only the literal blocks are read again
/// and compressed. Memory: the block index (a few MB per GB of base) and two segment buffers.
/// </summary>
public static class DeltaWriter
{
    public static DeltaSummary Write(Stream baseImage, Stream target, Stream delta, DeltaOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var index = BaseBlockIndex.Build(baseImage, options.BlockSize, cancellationToken);
        var plan = DeltaPlanner.Plan(index, baseImage, target, options.BlockSize, cancellationToken);
        var segments = new LiteralSegmentEncoder(plan, index, baseImage, target, options);
        using var writer = new BinaryWriter(delta, Encoding.UTF8, leaveOpen: true);
        plan.Header.Write(writer);
        long segmentBlocksLeft = 0;
        foreach (var run in plan.Runs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (run.Kind != DeltaRecordKind.Literal)
            {
                WriteRun(writer, run);
                continue;
            }
            // A literal run may span segments: split it so every literal record is served by the current segment.
            for (var left = run.BlockCount; left > 0;)
            {
                if (segmentBlocksLeft == 0)
                {
                    segmentBlocksLeft = segments.WriteNext(writer);
                }
                var taken = Math.Min(left, segmentBlocksLeft);
                WriteRun(writer, run with { BlockCount = taken });
                left -= taken;
                segmentBlocksLeft -= taken;
            }
        }
        writer.Write((byte)DeltaRecordKind.End);
        writer.Flush();
        return Summarize(plan, segments);
    }

    private static void WriteRun(BinaryWriter writer, DeltaRun run)
    {
        writer.Write((byte)run.Kind);
        if (run.Kind == DeltaRecordKind.Copy)
        {
            writer.Write(run.BaseBlock);
        }
        writer.Write(run.BlockCount);
    }

    private static DeltaSummary Summarize(DeltaPlan plan, LiteralSegmentEncoder segments)
    {
        long block = 0, copied = 0, moved = 0, zero = 0, literal = 0;
        foreach (var run in plan.Runs)
        {
            switch (run.Kind)
            {
                case DeltaRecordKind.Copy:
                    copied += run.BlockCount;
                    moved += run.BaseBlock == block ? 0 : run.BlockCount;
                    break;
                case DeltaRecordKind.Zero:
                    zero += run.BlockCount;
                    break;
                default:
                    literal += run.BlockCount;
                    break;
            }
            block += run.BlockCount;
        }
        return new DeltaSummary(plan.Header, copied, moved, zero, literal, segments.Segments, segments.CompressedBytes);
    }
}
