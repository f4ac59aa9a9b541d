using Appliance.Core.Delta;
using Appliance.Core.Errors;
using Appliance.Tests.Support;

namespace Appliance.Tests.Unit;

public sealed class DeltaRefusalTests
{
    private static readonly byte[] ZstdMagic = [0x28, 0xb5, 0x2f, 0xfd];
    private static readonly byte[] Base = BlockImage.Of(1, 2, 3, 4, null, 5);
    private static readonly byte[] Target = BlockImage.Of(1, 3, 2, 4, 50, 51, 52, 53);

    [Fact]
    public void A_delta_applied_to_another_base_fails_before_writing_anything()
    {
        var (_, delta) = DeltaRoundTripTests.MakeDelta(Base, Target);
        var otherBase = (byte[])Base.Clone();
        otherBase[^1] ^= 1;
        var destination = new MemoryStream();

        var error = Assert.Throws<ApplianceException>(() => DeltaRoundTripTests.ApplyDelta(delta, otherBase, destination));

        Assert.Equal(ExitCode.VerificationFailed, error.ExitCode);
        Assert.Contains("another base image", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, destination.Length);
    }

    [Fact]
    public void A_delta_with_a_flipped_byte_in_a_segment_is_refused()
    {
        var (_, delta) = DeltaRoundTripTests.MakeDelta(Base, Target);
        // The target ends with its new blocks, so the segment's zstd frame runs from its magic number to just
        // before the final literal record (9 bytes) and the end record (1 byte).
        var frameStart = delta.AsSpan().IndexOf(ZstdMagic);
        var frameEnd = delta.Length - 10;

        foreach (var offset in new[] { frameStart + 8, (frameStart + frameEnd) / 2, frameEnd - 1 })
        {
            var corrupt = (byte[])delta.Clone();
            corrupt[offset] ^= 0x40;

            var error = Assert.Throws<ApplianceException>(() => DeltaRoundTripTests.ApplyDelta(corrupt, Base));

            Assert.Equal(ExitCode.VerificationFailed, error.ExitCode);
            Assert.Contains("Segment 1 of the delta is corrupt", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(6, "reaches past the end of the base")]
    [InlineData(5, "reaches past the end of the base")]
    public void A_segment_whose_prefix_reaches_past_the_base_is_refused_as_malformed(long firstPrefixBlock, string reason)
    {
        var (_, delta) = DeltaRoundTripTests.MakeDelta(Base, Target);
        // The base has 6 blocks: a prefix extent starting at block 6, or at 5 and longer than one block, lies outside it.
        var extents = SegmentPrefixExtentsOffset(delta);
        Assert.True(BitConverter.ToInt64(delta, extents - 8) > 0, "the segment has a prefix");
        BitConverter.TryWriteBytes(delta.AsSpan(extents), firstPrefixBlock);
        BitConverter.TryWriteBytes(delta.AsSpan(extents + 8), 2L);

        var error = Assert.Throws<ApplianceException>(() => DeltaRoundTripTests.ApplyDelta(delta, Base));

        Assert.Equal(ExitCode.InvalidInput, error.ExitCode);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    /// <summary>Where the first segment's first prefix extent starts: records are walked from the 96-byte header.</summary>
    private static int SegmentPrefixExtentsOffset(byte[] delta)
    {
        var offset = 96;
        while (delta[offset] != (byte)DeltaRecordKind.Segment)
        {
            offset += delta[offset] == (byte)DeltaRecordKind.Copy ? 17 : 9;
        }
        return offset + 1 + 8 + 8 + 32 + 8;
    }

    [Fact]
    public void A_truncated_delta_is_refused_as_malformed()
    {
        var (_, delta) = DeltaRoundTripTests.MakeDelta(Base, Target);

        foreach (var length in new[] { 0, 10, 95, 96, delta.Length / 2, delta.Length - 1 })
        {
            var error = Assert.Throws<ApplianceException>(() => DeltaRoundTripTests.ApplyDelta(delta[..length], Base));

            Assert.Equal(ExitCode.InvalidInput, error.ExitCode);
            Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_file_that_is_not_a_delta_is_refused_as_malformed()
    {
        var error = Assert.Throws<ApplianceException>(() => DeltaRoundTripTests.ApplyDelta(Target, Base));

        Assert.Equal(ExitCode.InvalidInput, error.ExitCode);
    }

    [Fact]
    public void A_delta_whose_target_hash_does_not_match_is_refused_at_the_end()
    {
        var (summary, delta) = DeltaRoundTripTests.MakeDelta(Base, Target);
        var targetHashOffset = delta.AsSpan().IndexOf(Convert.FromHexString(summary.Header.TargetSha256));
        delta[targetHashOffset] ^= 1;

        var error = Assert.Throws<ApplianceException>(() => DeltaRoundTripTests.ApplyDelta(delta, Base));

        Assert.Equal(ExitCode.VerificationFailed, error.ExitCode);
        Assert.Contains("rebuilt image", error.Message, StringComparison.Ordinal);
    }
}
