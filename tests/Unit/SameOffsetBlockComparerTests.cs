using Appliance.Core.Delta;

namespace Appliance.Tests.Unit;

public sealed class SameOffsetBlockComparerTests
{
    [Fact]
    public void Only_blocks_whose_bytes_differ_at_the_same_offset_are_counted()
    {
        var previous = new byte[4 * 16];
        var next = (byte[])previous.Clone();
        next[17] = 1; // block 1
        next[63] = 1; // block 3

        var changed = new MemoryStream();
        var diff = SameOffsetBlockComparer.Compare(new MemoryStream(previous), new MemoryStream(next), 16, changed);

        Assert.Equal(new SameOffsetDiff(16, 4, 2, 32), diff);
        Assert.Equal([.. next[16..32], .. next[48..64]], changed.ToArray());
    }

    [Fact]
    public void Content_that_moved_counts_as_changed_because_the_offset_differs()
    {
        var previous = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        var next = previous.Skip(16).Concat(previous.Take(16)).ToArray();

        var diff = SameOffsetBlockComparer.Compare(new MemoryStream(previous), new MemoryStream(next), 16);

        Assert.Equal(4, diff.ChangedBlocks);
    }

    [Fact]
    public void Growth_beyond_the_previous_image_is_all_changed()
    {
        var diff = SameOffsetBlockComparer.Compare(new MemoryStream(new byte[32]), new MemoryStream(new byte[40]), 16);

        Assert.Equal(new SameOffsetDiff(16, 3, 1, 8), diff);
    }
}
