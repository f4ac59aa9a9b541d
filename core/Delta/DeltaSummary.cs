namespace Appliance.Core.Delta;

/// <summary>What a delta is made of, in target blocks; <paramref name="MovedBlocks"/> are the copies from another offset.</summary>
public sealed record DeltaSummary(
    DeltaHeader Header, long CopiedBlocks, long MovedBlocks, long ZeroBlocks, long LiteralBlocks, int Segments, long CompressedLiteralBytes);
