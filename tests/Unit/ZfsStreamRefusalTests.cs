using System.Buffers.Binary;
using Appliance.Core.Errors;
using Appliance.Core.Zfs;
using Appliance.Tests.Support;

namespace Appliance.Tests.Unit;

public sealed class ZfsStreamRefusalTests
{
    private static readonly byte[] Base = ZvolStreams.Image(1, 2, null, 3);
    private static readonly byte[] Target = ZvolStreams.Image(1, 20, 21, 3);

    [Fact]
    public void A_flipped_byte_anywhere_is_refused_as_corrupt()
    {
        var stream = ZvolStreams.Incremental(Base, Target);
        var write = ZvolStreams.RecordOffset(stream, ZfsRecordType.Write);

        // In a header field (fletcher-4), in a payload (its SHA-256 key, checked first), and in END's carried checksum.
        foreach (var offset in new[] { write + 16, write + ZfsStreamFormat.RecordBytes + 100, stream.Length - ZfsStreamFormat.RecordBytes + 8 })
        {
            var corrupt = (byte[])stream.Clone();
            corrupt[offset] ^= 0x10;

            var error = Assert.Throws<ZfsStreamException>(() => ZvolStreams.Apply(corrupt, Base, ZvolStreams.Expect(Target, Base)));

            Assert.Equal(ExitCode.VerificationFailed, error.ExitCode);
            Assert.Contains("is corrupt", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_incremental_from_another_base_guid_is_refused_before_anything_is_written()
    {
        var otherBase = ZvolStreams.Image(1, 2, null, 4);
        var stream = ZvolStreams.Incremental(otherBase, Target);
        var destination = new MemoryStream();

        var error = Assert.Throws<ZfsStreamException>(() => ZvolStreams.Apply(stream, Base, ZvolStreams.Expect(Target, Base), destination));

        Assert.Contains("incremental from snapshot", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, destination.Length);
    }

    [Fact]
    public void An_incremental_applied_without_a_base_or_a_full_stream_given_a_base_is_refused()
    {
        Assert.Throws<ZfsStreamException>(() => ZvolStreams.Apply(ZvolStreams.Incremental(Base, Target), null, ZvolStreams.Expect(Target)));
        Assert.Throws<ZfsStreamException>(() => ZvolStreams.Apply(ZvolStreams.Full(Target), Base, ZvolStreams.Expect(Target, Base)));
    }

    [Fact]
    public void A_base_that_is_not_the_signed_one_is_refused()
    {
        var stream = ZvolStreams.Incremental(Base, Target);
        var tampered = (byte[])Base.Clone();
        tampered[5] ^= 1;

        var error = Assert.Throws<ApplianceException>(() => ZvolStreams.Apply(stream, tampered, ZvolStreams.Expect(Target, Base)));

        Assert.Contains("not the stream's base", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_records_out_of_order_are_refused()
    {
        var stream = ZvolStreams.Incremental(Base, Target);
        var first = ZvolStreams.RecordOffset(stream, ZfsRecordType.Write);
        var second = ZvolStreams.RecordOffset(stream, ZfsRecordType.Write, 1);
        var length = second - first;
        var swapped = Resum([.. stream[..first], .. stream[second..(second + length)], .. stream[first..second], .. stream[(second + length)..]]);

        var error = Assert.Throws<ZfsStreamException>(() => ZvolStreams.Apply(swapped, Base, ZvolStreams.Expect(Target, Base)));

        Assert.Contains("out of order", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_write_that_is_not_one_aligned_block_is_refused()
    {
        var stream = ZvolStreams.Incremental(Base, Target);
        var write = ZvolStreams.RecordOffset(stream, ZfsRecordType.Write);
        BinaryPrimitives.WriteUInt64LittleEndian(stream.AsSpan(write + 8 + 16), BinaryPrimitives.ReadUInt64LittleEndian(stream.AsSpan(write + 8 + 16)) + 512);

        var error = Assert.Throws<ZfsStreamException>(() => ZvolStreams.Apply(Resum(stream), Base, ZvolStreams.Expect(Target, Base)));

        Assert.Contains("aligned", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_stream_is_refused_wherever_it_stops()
    {
        var stream = ZvolStreams.Incremental(Base, Target);

        foreach (var length in new[] { 0, 100, ZfsStreamFormat.RecordBytes, stream.Length / 2, stream.Length - ZfsStreamFormat.RecordBytes, stream.Length - 1 })
        {
            var error = Assert.Throws<ZfsStreamException>(() => ZvolStreams.Apply(stream[..length], Base, ZvolStreams.Expect(Target, Base)));

            Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_zvol_longer_than_the_signed_image_is_refused()
    {
        var longer = ZvolStreams.Image(1, 20, 21, 3, 4);
        var stream = ZvolStreams.Full(longer);
        // The signed image is the four-block one; the stream makes five.
        var expected = ZvolStreams.Expect(Target) with { TargetGuid = ZfsSnapshotGuid.ForImage(BlockImage.Sha256(longer)) };

        var error = Assert.Throws<ZfsStreamException>(() => ZvolStreams.Apply(stream, null, expected));

        Assert.Contains("past the signed image", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stream_of_other_bytes_than_the_signed_hash_is_refused()
    {
        var stream = ZvolStreams.Full(Target);
        var expected = ZvolStreams.Expect(Target) with { ImageSha256 = BlockImage.Sha256(Base) };

        var error = Assert.Throws<ApplianceException>(() => ZvolStreams.Apply(stream, null, expected));

        Assert.Contains("not the signed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_freeobjects_range_that_overflows_or_frees_the_zvol_is_refused()
    {
        var stream = ZvolStreams.Full(Target);
        var record = ZvolStreams.RecordOffset(stream, ZfsRecordType.FreeObjects);
        BinaryPrimitives.WriteUInt64LittleEndian(stream.AsSpan(record + 8 + 8), ulong.MaxValue - 1);
        Assert.Contains("overflows", Assert.Throws<ZfsStreamException>(() => ZvolStreams.Apply(Resum(stream), null, ZvolStreams.Expect(Target))).Message, StringComparison.Ordinal);

        BinaryPrimitives.WriteUInt64LittleEndian(stream.AsSpan(record + 8), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(stream.AsSpan(record + 8 + 8), 5);
        Assert.Contains("destroy the zvol", Assert.Throws<ZfsStreamException>(() => ZvolStreams.Apply(Resum(stream), null, ZvolStreams.Expect(Target))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compressed_or_embedded_streams_are_refused_by_their_feature_flags()
    {
        var stream = ZvolStreams.Full(Target);
        // DMU_BACKUP_FEATURE_COMPRESSED (bit 22 of the features, bit 24 of drr_versioninfo).
        stream[8 + 8 + 3] |= 1;

        var error = Assert.Throws<ZfsStreamException>(() => ZvolStreams.Apply(stream, null, ZvolStreams.Expect(Target)));

        Assert.Contains("without -c", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Recomputes every record's running checksum, so an edit is judged by what it changes, not by the checksum.</summary>
    internal static byte[] Resum(byte[] stream)
    {
        var copy = (byte[])stream.Clone();
        var sum = new Fletcher4();
        var offset = 0;
        while (offset < copy.Length)
        {
            var type = (ZfsRecordType)BitConverter.ToUInt32(copy, offset);
            var payload = ZvolStreams.PayloadLength(copy, offset);
            if (type == ZfsRecordType.End)
            {
                sum.Value.Write(copy.AsSpan(offset + 8));
            }
            sum.Append(copy.AsSpan(offset, ZfsStreamFormat.ChecksumOffset));
            if (type != ZfsRecordType.Begin)
            {
                sum.Value.Write(copy.AsSpan(offset + ZfsStreamFormat.ChecksumOffset));
            }
            sum.Append(copy.AsSpan(offset + ZfsStreamFormat.ChecksumOffset, ZfsChecksum.Bytes));
            sum.Append(copy.AsSpan(offset + ZfsStreamFormat.RecordBytes, payload));
            offset += ZfsStreamFormat.RecordBytes + payload;
        }
        return copy;
    }
}
