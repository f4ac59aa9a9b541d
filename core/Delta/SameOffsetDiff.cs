namespace Appliance.Core.Delta;

/// <summary>Result of <see cref="SameOffsetBlockComparer"/>: how much of the next image a same-offset diff sends.</summary>
public sealed record SameOffsetDiff(int BlockSize, long TotalBlocks, long ChangedBlocks, long ChangedBytes);
