using System.Buffers.Binary;
using Appliance.Core.Errors;

namespace Appliance.Core.Zfs;

/// <summary>
/// Reads replay records off a send stream and checks what the stream itself carries: the BEGIN record (magic,
/// substream header, feature flags we understand, a zvol), the running fletcher-4 checksum in every later record
/// and in END, payload bounds, and that nothing follows END. A stream that stops early is refused as truncated.
/// </summary>
public sealed class ZfsStreamReader(Stream stream)
{
    private readonly Fletcher4 checksum = new();
    private bool ended;

    public long BytesRead { get; private set; }

    public static ZfsStreamException Malformed(string reason) => new($"The ZFS stream is malformed: {reason}.");

    /// <summary>The next record; after END, null (and a refusal if bytes follow).</summary>
    public ZfsRecord? Next()
    {
        if (ended)
        {
            return stream.ReadByte() < 0 ? null : throw Malformed("bytes follow its END record");
        }
        var header = new byte[ZfsStreamFormat.RecordBytes];
        ReadExactly(header);
        var type = (ZfsRecordType)BinaryPrimitives.ReadUInt32LittleEndian(header);
        var payloadLength = PayloadLength(type, header);
        if (payloadLength > ZfsStreamFormat.MaxBlockSize || payloadLength % 8 != 0)
        {
            throw Malformed($"a {type} record declares a {payloadLength}-byte payload");
        }
        var before = checksum.Value;
        checksum.Append(header.AsSpan(0, ZfsStreamFormat.ChecksumOffset));
        if (type != ZfsRecordType.Begin)
        {
            var carried = ZfsChecksum.Read(header.AsSpan(ZfsStreamFormat.ChecksumOffset));
            if (carried != checksum.Value)
            {
                throw new ZfsStreamException($"The ZFS stream is corrupt: the fletcher-4 checksum of a {type} record is {carried}, the stream sums to {checksum.Value}.");
            }
        }
        checksum.Append(header.AsSpan(ZfsStreamFormat.ChecksumOffset));
        var payload = new byte[payloadLength];
        ReadExactly(payload);
        checksum.Append(payload);
        var record = new ZfsRecord(header, payload);
        if (type == ZfsRecordType.End)
        {
            var carried = ZfsChecksum.Read(record.Bytes(ZfsRecordFields.EndChecksum, ZfsChecksum.Bytes));
            if (carried != before)
            {
                throw new ZfsStreamException($"The ZFS stream is corrupt: END carries checksum {carried}, the stream before it sums to {before}.");
            }
            ended = true;
        }
        return record;
    }

    /// <summary>
    /// The bytes that follow a record: OpenZFS sets <c>drr_payloadlen</c> only in BEGIN; the others' payload size comes
    /// from their own fields (an OBJECT's bonus buffer, a WRITE's logical or compressed size).
    /// </summary>
    private static ulong PayloadLength(ZfsRecordType type, byte[] header)
    {
        ulong U64(int offset) => BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(offset));
        uint U32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(offset));
        return type switch
        {
            ZfsRecordType.Begin => U32(ZfsRecordFields.PayloadLength),
            ZfsRecordType.Object => U32(ZfsRecordFields.ObjectRawBonusLength) is var raw and not 0 ? raw : (U32(ZfsRecordFields.ObjectBonusLength) + 7UL) & ~7UL,
            ZfsRecordType.Write => header[ZfsRecordFields.WriteCompression] != 0 ? U64(ZfsRecordFields.WriteCompressedSize) : U64(ZfsRecordFields.WriteLogicalSize),
            _ => 0,
        };
    }

    /// <summary>Reads and checks the BEGIN record, which must come first.</summary>
    public ZfsBegin ReadBegin()
    {
        var record = Next()!;
        if (record.Type != ZfsRecordType.Begin)
        {
            throw Malformed($"it starts with a {record.Type} record, not BEGIN");
        }
        var magic = record.U64(ZfsRecordFields.BeginMagic);
        if (magic != ZfsStreamFormat.Magic)
        {
            throw BinaryPrimitives.ReverseEndianness(magic) == ZfsStreamFormat.Magic
                ? new ZfsStreamException("The ZFS stream was written by a big-endian machine; only little-endian streams are read.")
                : Malformed($"its magic is {magic:x}, not {ZfsStreamFormat.Magic:x}");
        }
        var versionInfo = record.U64(ZfsRecordFields.BeginVersionInfo);
        if ((versionInfo & 3) != ZfsStreamFormat.SubstreamHeader)
        {
            throw new ZfsStreamException("The ZFS stream is a compound stream (zfs send -R); only single-snapshot streams are read.");
        }
        var features = (versionInfo >> ZfsStreamFormat.FeatureFlagsShift) & ((1UL << 56) - 1);
        var unknown = features & ~ZfsStreamFormat.ReadableFeatures;
        if (unknown != 0)
        {
            throw new ZfsStreamException($"The ZFS stream uses features 0x{unknown:x} (compressed, embedded, raw or deduplicated records) that are not read here: send it without -c, -e, -w or -D.");
        }
        if (record.U32(ZfsRecordFields.BeginObjectSetType) != ZfsStreamFormat.ObjectSetZvol)
        {
            throw new ZfsStreamException("The ZFS stream is not of a zvol.");
        }
        if (record.Payload.Length != 0)
        {
            throw Malformed("its BEGIN record has a payload (a resumed or redacted stream)");
        }
        var name = record.Bytes(ZfsRecordFields.BeginToName, ZfsStreamFormat.NameBytes);
        var end = name.IndexOf((byte)0);
        return new ZfsBegin(
            record.U64(ZfsRecordFields.BeginFromGuid),
            record.U64(ZfsRecordFields.BeginToGuid),
            features,
            System.Text.Encoding.ASCII.GetString(end < 0 ? name : name[..end]));
    }

    private void ReadExactly(Span<byte> buffer)
    {
        try
        {
            stream.ReadExactly(buffer);
            BytesRead += buffer.Length;
        }
        catch (EndOfStreamException e)
        {
            throw new ZfsStreamException("The ZFS stream is truncated: it ends before its END record.", e);
        }
    }
}
