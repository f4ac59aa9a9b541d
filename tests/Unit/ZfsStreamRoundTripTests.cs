using Appliance.Core.Zfs;
using Appliance.Tests.Support;

namespace Appliance.Tests.Unit;

public sealed class ZfsStreamRoundTripTests
{
    private static readonly byte[] Base = ZvolStreams.Image(1, 2, null, 3, 4, null, null, 5);

    [Fact]
    public void A_full_stream_rebuilds_the_image_from_nothing()
    {
        var stream = ZvolStreams.Full(Base);

        var image = ZvolStreams.Apply(stream, null, ZvolStreams.Expect(Base));

        Assert.Equal(Base, image);
    }

    [Fact]
    public void An_incremental_stream_turns_the_base_into_the_target_with_writes_only_for_changed_blocks()
    {
        var target = ZvolStreams.Image(1, 20, null, 3, 4, 21, null, 5);
        var stream = ZvolStreams.Incremental(Base, target);

        var image = ZvolStreams.Apply(stream, Base, ZvolStreams.Expect(target, Base));

        Assert.Equal(target, image);
        // Two changed blocks and the properties block; a full stream of the same image writes six and the properties.
        var summary = Summarize(stream);
        Assert.Equal(3, summary.WriteRecords);
        Assert.Equal(7, Summarize(ZvolStreams.Full(target)).WriteRecords);
    }

    [Fact]
    public void Blocks_that_become_zero_are_freed_as_holes_and_zero_runs_share_one_free()
    {
        var target = ZvolStreams.Image(1, null, null, null, 4, null, null, 5);
        var stream = ZvolStreams.Incremental(Base, target);

        var image = ZvolStreams.Apply(stream, Base, ZvolStreams.Expect(target, Base));

        Assert.Equal(target, image);
        var summary = Summarize(stream);
        Assert.Equal(1, summary.WriteRecords);
        // The run of blocks 1-3 is one FREE, next to the two that free past the ends of the objects.
        Assert.Equal(3, summary.FreeRecords);
    }

    [Fact]
    public void A_growing_image_gets_its_new_size_and_blocks()
    {
        var target = ZvolStreams.Image(1, 2, null, 3, 4, null, null, 5, 6, null, 7);
        var stream = ZvolStreams.Incremental(Base, target);

        var image = ZvolStreams.Apply(stream, Base, ZvolStreams.Expect(target, Base));

        Assert.Equal(target, image);
    }

    [Fact]
    public void A_shrinking_image_is_cut_to_its_new_size()
    {
        var target = ZvolStreams.Image(1, 2, null, 3);
        var stream = ZvolStreams.Incremental(Base, target);

        Assert.Equal(target, ZvolStreams.Apply(stream, Base, ZvolStreams.Expect(target, Base)));
    }

    [Fact]
    public void The_same_images_always_give_the_same_stream_bytes_and_guids_from_their_hashes()
    {
        var target = ZvolStreams.Image(1, 20, null, 3, 4, 21, null, 5);

        Assert.Equal(ZvolStreams.Incremental(Base, target), ZvolStreams.Incremental(Base, target));
        Assert.Equal(ZvolStreams.Full(target), ZvolStreams.Full(target));
        var begin = new ZfsStreamReader(new MemoryStream(ZvolStreams.Incremental(Base, target))).ReadBegin();
        Assert.Equal(ZfsSnapshotGuid.ForImage(BlockImage.Sha256(Base)), begin.FromGuid);
        Assert.Equal(ZfsSnapshotGuid.ForImage(BlockImage.Sha256(target)), begin.ToGuid);
        Assert.Equal(0UL, begin.Features);
    }

    [Fact]
    public void Fletcher4_sums_words_as_openzfs_does()
    {
        // fletcher_4 of the words 1, 2, 3: a = 1, 3, 6; b = 1, 4, 10; c = 1, 5, 15; d = 1, 6, 21.
        var sum = new Fletcher4();
        sum.Append([1, 0, 0, 0, 2, 0, 0, 0]);
        sum.Append([3, 0, 0, 0]);

        Assert.Equal(new ZfsChecksum(6, 10, 15, 21), sum.Value);
    }

    private static ZfsStreamSummary Summarize(byte[] stream)
    {
        var reader = new ZfsStreamReader(new MemoryStream(stream));
        reader.ReadBegin();
        var (writes, frees, records) = (0, 0, 1);
        while (reader.Next() is { } record)
        {
            records++;
            writes += record.Type == ZfsRecordType.Write ? 1 : 0;
            frees += record.Type == ZfsRecordType.Free ? 1 : 0;
        }
        return new ZfsStreamSummary(0, 0, 0, stream.Length, records, writes, frees);
    }
}
