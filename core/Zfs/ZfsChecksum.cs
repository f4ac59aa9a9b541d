using System.Buffers.Binary;

namespace Appliance.Core.Zfs;

/// <summary>A 256-bit <c>zio_cksum_t</c>: four 64-bit words, stored little-endian in a stream.</summary>
public readonly record struct ZfsChecksum(ulong Word0, ulong Word1, ulong Word2, ulong Word3)
{
    public const int Bytes = 32;

    public bool IsZero => (Word0 | Word1 | Word2 | Word3) == 0;

    public static ZfsChecksum Read(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(bytes),
        BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]));

    /// <summary>A SHA-256 digest as ZFS keeps it in a block pointer: four big-endian words.</summary>
    public static ZfsChecksum FromSha256(ReadOnlySpan<byte> digest) => new(
        BinaryPrimitives.ReadUInt64BigEndian(digest),
        BinaryPrimitives.ReadUInt64BigEndian(digest[8..]),
        BinaryPrimitives.ReadUInt64BigEndian(digest[16..]),
        BinaryPrimitives.ReadUInt64BigEndian(digest[24..]));

    public void Write(Span<byte> bytes)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, Word0);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], Word1);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[16..], Word2);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[24..], Word3);
    }

    public override string ToString() => $"{Word0:x}:{Word1:x}:{Word2:x}:{Word3:x}";
}
