namespace Appliance.Core.Delta;

/// <summary>
/// Chooses the base blocks a segment of new data is compressed against (its prefix): the blocks that share content
/// anchors with the data, wherever they lie in the base, with their neighbours (an anchor shows where a file's old
/// version lies; the bytes between anchors are mostly there too), and the blocks at the same offsets as the data
/// (metadata rewritten in place). This is what lets an updated file, written by the builder to new blocks, compress
/// against its old version instead of only against whatever the base held at its new offset. The best-scored blocks
/// win when they exceed the budget; the prefix lists them in base order.
/// </summary>
internal static class ReferenceSelector
{
    /// <summary>Neighbours on each side of a block holding an anchor that join the prefix with it.</summary>
    private const int Radius = 2;

    public static List<(long Start, long Count)> Select(
        ReadOnlySpan<byte> data, IReadOnlyList<(long Start, long Count)> pieces, BaseBlockIndex index, int budgetBlocks)
    {
        var scores = new Dictionary<long, int>();
        var anchors = new List<(int Position, ulong Hash)>();
        ContentAnchors.Find(data, anchors);
        foreach (var (_, hash) in anchors)
        {
            if (index.BlockOfAnchor(hash) is { } block)
            {
                for (var r = -Radius; r <= Radius; r++)
                {
                    Score(scores, index, block + r, Radius + 1 - Math.Abs(r));
                }
            }
        }
        foreach (var (start, count) in pieces)
        {
            for (var block = start; block < start + count; block++)
            {
                Score(scores, index, block, 1);
            }
        }
        var chosen = scores
            .OrderByDescending(pair => pair.Value)
            .ThenBy(pair => pair.Key)
            .Take(budgetBlocks)
            .Select(pair => pair.Key)
            .Order();
        var extents = new List<(long Start, long Count)>();
        foreach (var block in chosen)
        {
            if (extents.Count > 0 && extents[^1].Start + extents[^1].Count == block)
            {
                extents[^1] = (extents[^1].Start, extents[^1].Count + 1);
            }
            else
            {
                extents.Add((block, 1));
            }
        }
        return extents;
    }

    private static void Score(Dictionary<long, int> scores, BaseBlockIndex index, long block, int score)
    {
        if (block >= 0 && block < index.FullBlocks && !index.IsZeroBlock(block))
        {
            scores[block] = scores.GetValueOrDefault(block) + score;
        }
    }
}
