using Appliance.Core.Delta;
using Appliance.Tests.Support;

namespace Appliance.Tests.Unit;

public sealed class DeltaRoundTripTests
{
    [Fact]
    public void A_delta_rebuilds_a_target_whose_blocks_moved_were_zeroed_or_are_new()
    {
        var baseImage = BlockImage.Of(Enumerable.Range(1, 64).Select(seed => (int?)seed).ToArray());
        // Blocks 1-8 stay, 9-24 move (reversed halves), a hole of zeros, then new blocks and a moved tail.
        int?[] layout = [.. Seeds(1, 8), .. Seeds(17, 8), .. Seeds(9, 8), null, null, null, 1001, 1002, 1003, .. Seeds(30, 20)];
        var target = BlockImage.Of(layout);

        var (summary, delta) = MakeDelta(baseImage, target);
        var rebuilt = ApplyDelta(delta, baseImage);

        Assert.Equal(BlockImage.Sha256(target), BlockImage.Sha256(rebuilt));
        Assert.Equal(new DeltaSummary(summary.Header, 8 + 16 + 20, 16 + 20, 3, 3, 1, summary.CompressedLiteralBytes), summary);
        Assert.True(delta.Length < 4 * BlockImage.BlockSize, $"{delta.Length} bytes for 3 new blocks");
    }

    [Fact]
    public void A_target_that_grew_past_the_base_and_ends_inside_a_block_is_rebuilt()
    {
        var baseImage = BlockImage.Of(1, 2, null, 3);
        var target = BlockImage.Of(1, 2, 7, 3, 3, null, 4, 5).Concat(BlockImage.RandomBlock(6)[..1000]).ToArray();

        var (summary, delta) = MakeDelta(baseImage, target);

        Assert.Equal(BlockImage.Sha256(target), BlockImage.Sha256(ApplyDelta(delta, baseImage)));
        Assert.Equal(target.Length, summary.Header.TargetSize);
        Assert.Equal(4, summary.LiteralBlocks); // 7, 4, 5 and the partial block; the second 3 is a copy
    }

    [Fact]
    public void A_target_smaller_than_the_base_is_rebuilt()
    {
        var baseImage = BlockImage.Of(Enumerable.Range(1, 32).Select(seed => (int?)seed).ToArray());
        var target = BlockImage.Of(5, 6, 7, 8, 40, null);

        var (summary, delta) = MakeDelta(baseImage, target);

        Assert.Equal(BlockImage.Sha256(target), BlockImage.Sha256(ApplyDelta(delta, baseImage)));
        Assert.Equal((4, 4, 1, 1), (summary.CopiedBlocks, summary.MovedBlocks, summary.LiteralBlocks, summary.ZeroBlocks));
    }

    [Fact]
    public void New_data_larger_than_one_segment_is_split_into_segments_that_each_verify()
    {
        var baseImage = BlockImage.Of(1, 2, 3);
        var target = BlockImage.Of([1, .. Seeds(100, 9), 2, .. Seeds(200, 11), 3]);

        var (summary, delta) = MakeDelta(baseImage, target, new DeltaOptions(SegmentBytes: 8 * BlockImage.BlockSize));

        Assert.Equal(BlockImage.Sha256(target), BlockImage.Sha256(ApplyDelta(delta, baseImage)));
        Assert.Equal((20, 3), (summary.LiteralBlocks, summary.Segments));
    }

    [Fact]
    public void Identical_images_make_a_delta_of_only_header_and_copy_records()
    {
        var image = BlockImage.Of(1, 2, null, 3);

        var (summary, delta) = MakeDelta(image, image);

        Assert.Equal(BlockImage.Sha256(image), BlockImage.Sha256(ApplyDelta(delta, image)));
        Assert.Equal((0, 0), (summary.LiteralBlocks, summary.Segments));
        Assert.True(delta.Length < 200, $"{delta.Length} bytes");
    }

    [Fact]
    public void An_updated_file_written_to_other_blocks_is_compressed_against_its_old_version()
    {
        // The builder writes an updated file to free blocks: at its new offset the base holds zeros, its old version
        // lies elsewhere, and bytes inserted near its start shift the rest of it off the block grid.
        var oldFile = new byte[32 * BlockImage.BlockSize];
        new Random(7).NextBytes(oldFile);
        var newFile = oldFile[..1000].Concat("a new version string"u8.ToArray()).Concat(oldFile[1000..]).ToArray();
        newFile[90_000] ^= 0xff;
        var baseImage = new byte[80 * BlockImage.BlockSize];
        oldFile.CopyTo(baseImage, 4 * BlockImage.BlockSize);
        var target = new byte[80 * BlockImage.BlockSize];
        newFile.CopyTo(target, 40 * BlockImage.BlockSize);

        var (summary, delta) = MakeDelta(baseImage, target);

        Assert.Equal(BlockImage.Sha256(target), BlockImage.Sha256(ApplyDelta(delta, baseImage)));
        Assert.Equal(33, summary.LiteralBlocks);
        Assert.True(delta.Length < 2_000, $"{delta.Length} bytes for a {newFile.Length}-byte file that differs from its old version by 21 bytes");
    }

    [Fact]
    public void A_renamed_file_with_small_edits_is_found_among_many_other_files()
    {
        // Sixteen unrelated files in the base; the target holds an edited copy of the eleventh at the base's first file's offset.
        var files = Enumerable.Range(1, 16).Select(seed => BlockImage.Of([.. Enumerable.Range(seed * 100, 8).Select(s => (int?)s)])).ToArray();
        var baseImage = files.SelectMany(file => file).ToArray();
        var edited = (byte[])files[10].Clone();
        for (var offset = 100; offset < edited.Length; offset += BlockImage.BlockSize)
        {
            edited[offset] ^= 1; // every block changes, so none is a copy
        }
        var target = edited.Concat(files[1]).ToArray();

        var (summary, delta) = MakeDelta(baseImage, target);

        Assert.Equal(BlockImage.Sha256(target), BlockImage.Sha256(ApplyDelta(delta, baseImage)));
        Assert.Equal((8, 8), (summary.LiteralBlocks, summary.CopiedBlocks));
        Assert.True(delta.Length < 1_000, $"{delta.Length} bytes for 8 blocks with one changed byte each");
    }

    internal static (DeltaSummary Summary, byte[] Delta) MakeDelta(byte[] baseImage, byte[] target, DeltaOptions? options = null)
    {
        var delta = new MemoryStream();
        var summary = DeltaWriter.Write(new MemoryStream(baseImage), new MemoryStream(target), delta, options ?? new DeltaOptions(), default);
        return (summary, delta.ToArray());
    }

    internal static byte[] ApplyDelta(byte[] delta, byte[] baseImage, Stream? destination = null)
    {
        var output = destination ?? new MemoryStream();
        DeltaApplier.Apply(new MemoryStream(delta), new MemoryStream(baseImage), output, default);
        return output is MemoryStream memory ? memory.ToArray() : [];
    }

    private static IEnumerable<int?> Seeds(int first, int count) => Enumerable.Range(first, count).Select(seed => (int?)seed);
}
