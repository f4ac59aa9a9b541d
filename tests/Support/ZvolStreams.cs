using Appliance.Core.Zfs;

namespace Appliance.Tests.Support;

/// <summary>Synthetic zvol images (16 KiB blocks: random, zero, or partly edited) and the streams our writer makes of them.</summary>
public static class ZvolStreams
{
    public const int BlockSize = ZfsStreamFormat.VolBlockSize;

    /// <summary>An image of <paramref name="blocks"/>: a number is the seed of a random block, null a zero block.</summary>
    public static byte[] Image(params int?[] blocks) =>
        blocks.SelectMany(seed => seed is { } value ? RandomBlock(value) : new byte[BlockSize]).ToArray();

    public static byte[] RandomBlock(int seed)
    {
        var block = new byte[BlockSize];
        new Random(seed).NextBytes(block);
        return block;
    }

    public static ZvolImage Zvol(byte[] image, int version) => new(new MemoryStream(image, writable: false), BlockImage.Sha256(image), version);

    public static byte[] Full(byte[] target, int version = 2)
    {
        var output = new MemoryStream();
        ZvolStreamWriter.WriteFull(Zvol(target, version), output, CancellationToken.None);
        return output.ToArray();
    }

    public static byte[] Incremental(byte[] baseImage, byte[] target)
    {
        var output = new MemoryStream();
        ZvolStreamWriter.WriteIncremental(Zvol(baseImage, 1), Zvol(target, 2), output, CancellationToken.None);
        return output.ToArray();
    }

    /// <summary>What the signed channel says of <paramref name="target"/> (and of <paramref name="baseImage"/> for an incremental).</summary>
    public static ZfsApplyExpectations Expect(byte[] target, byte[]? baseImage = null) => new(
        target.Length,
        BlockImage.Sha256(target),
        ZfsSnapshotGuid.ForImage(BlockImage.Sha256(target)),
        baseImage is null ? null : ZfsSnapshotGuid.ForImage(BlockImage.Sha256(baseImage)),
        baseImage is null ? null : BlockImage.Sha256(baseImage));

    /// <summary>Applies <paramref name="stream"/> onto a copy of <paramref name="baseImage"/> (none: full) and returns the image.</summary>
    public static byte[] Apply(byte[] stream, byte[]? baseImage, ZfsApplyExpectations expected, Stream? destination = null)
    {
        destination ??= new MemoryStream();
        ZfsStreamApplier.Apply(new MemoryStream(stream, writable: false), baseImage is null ? null : new MemoryStream(baseImage, writable: false),
            destination, expected, CancellationToken.None);
        return ((MemoryStream)destination).ToArray();
    }

    /// <summary>The payload after the record at <paramref name="offset"/> in our streams: a WRITE's block (its logical size), else none.</summary>
    public static int PayloadLength(byte[] stream, int offset) =>
        (ZfsRecordType)BitConverter.ToUInt32(stream, offset) == ZfsRecordType.Write ? (int)BitConverter.ToUInt64(stream, offset + 8 + 24) : 0;

    /// <summary>The offset of the first record of <paramref name="type"/> at or after <paramref name="from"/> (records are 312 bytes plus payload).</summary>
    public static int RecordOffset(byte[] stream, ZfsRecordType type, int occurrence = 0)
    {
        var offset = 0;
        while (offset < stream.Length)
        {
            var recordType = (ZfsRecordType)BitConverter.ToUInt32(stream, offset);
            var payload = PayloadLength(stream, offset);
            if (recordType == type && occurrence-- == 0)
            {
                return offset;
            }
            offset += ZfsStreamFormat.RecordBytes + payload;
        }
        throw new InvalidOperationException($"no {type} record");
    }
}
