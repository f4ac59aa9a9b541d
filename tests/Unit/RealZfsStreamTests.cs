using Appliance.Core.Zfs;
using Appliance.Tests.Support;

namespace Appliance.Tests.Unit;

/// <summary>Our reader and writer against streams real OpenZFS made (tests/Fixtures/zfs, from the OpenZFS lane VM).</summary>
public sealed class RealZfsStreamTests
{
    private static readonly RealZfsFixture Fixture = RealZfsFixture.Load(RealZfsFixture.Directory);

    [Fact]
    public void Real_full_and_incremental_streams_rebuild_the_images_and_the_incremental_is_refused_for_another_base()
    {
        RealZfsFixture.AssertAppliesAndRefusesWrongBase(Fixture);
    }

    [Fact]
    public void Our_incremental_writes_and_frees_the_same_blocks_with_the_same_bytes_as_zfs_send_i()
    {
        var ours = DataBlocks(ZvolStreams.Incremental(ZfsLaneImages.A, ZfsLaneImages.B));
        var real = DataBlocks(Fixture.Incremental);

        Assert.Equal(real.Written, ours.Written);
        Assert.Equal(real.Freed, ours.Freed);
    }

    [Fact]
    public void A_real_stream_with_one_flipped_byte_fails_the_running_checksum()
    {
        var corrupt = (byte[])Fixture.Incremental.Clone();
        corrupt[corrupt.Length / 2] ^= 0x01;

        var error = Assert.Throws<ZfsStreamException>(() => ZvolStreams.Apply(corrupt, ZfsLaneImages.A,
            new ZfsApplyExpectations(ZfsLaneImages.B.Length, null, Fixture.GuidB, Fixture.GuidA)));

        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Object 1's written blocks (offset -> SHA-256) and freed blocks within the volume.</summary>
    private static (SortedDictionary<ulong, string> Written, SortedSet<ulong> Freed) DataBlocks(byte[] stream)
    {
        var reader = new ZfsStreamReader(new MemoryStream(stream));
        reader.ReadBegin();
        var written = new SortedDictionary<ulong, string>();
        var freed = new SortedSet<ulong>();
        while (reader.Next() is { } record)
        {
            if (record.Type == ZfsRecordType.Write && record.U64(ZfsRecordFields.WriteObject) == ZfsStreamFormat.DataObject)
            {
                written[record.U64(ZfsRecordFields.WriteOffset)] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(record.Payload));
            }
            if (record.Type == ZfsRecordType.Free && record.U64(ZfsRecordFields.FreeObject) == ZfsStreamFormat.DataObject)
            {
                var (start, length) = (record.U64(ZfsRecordFields.FreeOffset), record.U64(ZfsRecordFields.FreeLength));
                var end = Math.Min(length == ZfsStreamFormat.ObjectEnd ? ulong.MaxValue : start + length, (ulong)ZfsLaneImages.Size);
                for (var offset = start; offset < end; offset += ZfsLaneImages.BlockSize)
                {
                    // A freed block that was a hole already changes nothing: count only blocks A had data in.
                    if (ZfsLaneImages.A.AsSpan((int)offset, ZfsLaneImages.BlockSize).ContainsAnyExcept((byte)0))
                    {
                        freed.Add(offset);
                    }
                }
            }
        }
        return (written, freed);
    }
}
