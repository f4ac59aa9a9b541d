using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Appliance.Core.Zfs;

/// <summary>
/// Emits replay records onto a stream, each with the running fletcher-4 checksum OpenZFS puts in its last 32 bytes
/// (all records but BEGIN), and END with the checksum of everything before it.
/// </summary>
internal sealed class ZfsRecordWriter(Stream output, ulong toGuid)
{
    private readonly byte[] record = new byte[ZfsStreamFormat.RecordBytes];
    private readonly Fletcher4 checksum = new();

    public long BytesWritten { get; private set; }

    public int Records { get; private set; }

    public void Begin(ulong fromGuid, uint flags, string toName)
    {
        Start(ZfsRecordType.Begin);
        Put64(ZfsRecordFields.BeginMagic, ZfsStreamFormat.Magic);
        Put64(ZfsRecordFields.BeginVersionInfo, ZfsStreamFormat.SubstreamHeader);
        Put64(ZfsRecordFields.BeginCreationTime, 0);
        Put32(ZfsRecordFields.BeginObjectSetType, ZfsStreamFormat.ObjectSetZvol);
        Put32(ZfsRecordFields.BeginFlags, flags);
        Put64(ZfsRecordFields.BeginToGuid, toGuid);
        Put64(ZfsRecordFields.BeginFromGuid, fromGuid);
        var name = Encoding.ASCII.GetBytes(toName);
        if (name.Length >= ZfsStreamFormat.NameBytes)
        {
            throw new ArgumentException($"A snapshot name has fewer than {ZfsStreamFormat.NameBytes} bytes.", nameof(toName));
        }
        name.CopyTo(record, ZfsRecordFields.BeginToName);
        Emit([]);
    }

    public void Object(ulong number, uint type, int blockSize)
    {
        Start(ZfsRecordType.Object);
        Put64(ZfsRecordFields.ObjectNumber, number);
        Put32(ZfsRecordFields.ObjectType, type);
        Put32(ZfsRecordFields.ObjectBlockSize, (uint)blockSize);
        record[ZfsRecordFields.ObjectDnodeSlots] = 1;
        Put64(ZfsRecordFields.ObjectToGuid, toGuid);
        Emit([]);
    }

    public void FreeObjects(ulong first, ulong count)
    {
        Start(ZfsRecordType.FreeObjects);
        Put64(ZfsRecordFields.FreeObjectsFirst, first);
        Put64(ZfsRecordFields.FreeObjectsCount, count);
        Put64(ZfsRecordFields.FreeObjectsToGuid, toGuid);
        Emit([]);
    }

    /// <summary>An uncompressed block, its SHA-256 in the key (as a pool with checksum=sha256 would send it).</summary>
    public void Write(ulong objectNumber, uint objectType, ulong offset, ReadOnlySpan<byte> block)
    {
        Start(ZfsRecordType.Write);
        Put64(ZfsRecordFields.WriteObject, objectNumber);
        Put32(ZfsRecordFields.WriteObjectType, objectType);
        Put64(ZfsRecordFields.WriteOffset, offset);
        Put64(ZfsRecordFields.WriteLogicalSize, (ulong)block.Length);
        Put64(ZfsRecordFields.WriteToGuid, toGuid);
        record[ZfsRecordFields.WriteChecksumType] = ZfsStreamFormat.ChecksumSha256;
        record[ZfsRecordFields.WriteFlags] = ZfsStreamFormat.WriteFlagChecksumInKey;
        ZfsChecksum.FromSha256(SHA256.HashData(block)).Write(record.AsSpan(ZfsRecordFields.WriteKeyChecksum));
        Put64(ZfsRecordFields.WriteKeyProperties, ZfsWriteKey.Properties(block.Length));
        Emit(block);
    }

    public void Free(ulong objectNumber, ulong offset, ulong length)
    {
        Start(ZfsRecordType.Free);
        Put64(ZfsRecordFields.FreeObject, objectNumber);
        Put64(ZfsRecordFields.FreeOffset, offset);
        Put64(ZfsRecordFields.FreeLength, length);
        Put64(ZfsRecordFields.FreeToGuid, toGuid);
        Emit([]);
    }

    public void End()
    {
        Start(ZfsRecordType.End);
        checksum.Value.Write(record.AsSpan(ZfsRecordFields.EndChecksum));
        Put64(ZfsRecordFields.EndToGuid, toGuid);
        Emit([]);
        output.Flush();
    }

    private void Start(ZfsRecordType type)
    {
        Array.Clear(record);
        Put32(ZfsRecordFields.Type, (uint)type);
    }

    private void Emit(ReadOnlySpan<byte> payload)
    {
        // As OpenZFS writes them: only BEGIN states its payload length; a WRITE's follows from its logical size.
        Put32(ZfsRecordFields.PayloadLength, 0);
        checksum.Append(record.AsSpan(0, ZfsStreamFormat.ChecksumOffset));
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != (uint)ZfsRecordType.Begin)
        {
            checksum.Value.Write(record.AsSpan(ZfsStreamFormat.ChecksumOffset));
        }
        checksum.Append(record.AsSpan(ZfsStreamFormat.ChecksumOffset));
        output.Write(record);
        checksum.Append(payload);
        output.Write(payload);
        BytesWritten += record.Length + payload.Length;
        Records++;
    }

    private void Put64(int offset, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(offset), value);

    private void Put32(int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(offset), value);
}
