using System.Buffers.Binary;

namespace Appliance.Core.Zfs;

/// <summary>One replay record as read: its 312 header bytes and its payload (empty for most types).</summary>
public sealed class ZfsRecord(byte[] header, byte[] payload)
{
    public ZfsRecordType Type => (ZfsRecordType)U32(ZfsRecordFields.Type);

    public ReadOnlySpan<byte> Payload => payload;

    internal ulong U64(int offset) => BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(offset));

    internal uint U32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(offset));

    internal byte U8(int offset) => header[offset];

    internal ReadOnlySpan<byte> Bytes(int offset, int length) => header.AsSpan(offset, length);
}
