using System.Security.Cryptography;
using Appliance.Core.Delta;
using Appliance.Core.Errors;

namespace Appliance.Core.Zfs;

/// <summary>
/// Applies a full or incremental zvol send stream to an image file in user space, without ZFS: the destination starts
/// as a copy of the base image (empty for a full stream); WRITE records put blocks, FREE records zero ranges. Before
/// anything is written the BEGIN record must name the expected snapshots (base GUID, target GUID) and the base must
/// hash as signed. Every record is checked as it comes: the running fletcher-4 checksum (and at END), WRITE records in
/// ascending, block-aligned order with the object's block size, their SHA-256 key when they carry one, FREEOBJECTS
/// that neither overflow nor free the zvol, and nothing past the signed image size. At the end the zvol's size (its
/// "size" property) and the result's SHA-256 must be the signed ones.
/// </summary>
public sealed class ZfsStreamApplier
{
    private const int ChunkBytes = 1 << 20;

    private static readonly byte[] Zeros = new byte[ChunkBytes];

    private readonly ZfsStreamReader reader;
    private readonly Stream destination;
    private readonly ZfsApplyExpectations expected;
    private readonly ZfsBegin begin;
    private int dataBlockSize;
    private bool propertiesObjectSeen;
    private ulong? volumeSize;
    private (ulong Object, ulong Offset)? lastWrite;
    private long materialized;
    private int writes;
    private int frees;
    private int records = 1;

    private ZfsStreamApplier(ZfsStreamReader reader, ZfsBegin begin, Stream destination, ZfsApplyExpectations expected)
    {
        this.reader = reader;
        this.begin = begin;
        this.destination = destination;
        this.expected = expected;
    }

    /// <summary>Writes the image into <paramref name="destination"/> (empty, readable, seekable); returns what the stream held.</summary>
    public static ZfsStreamSummary Apply(Stream stream, Stream? baseImage, Stream destination, ZfsApplyExpectations expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(expected);
        if (destination.Length != 0)
        {
            throw new ArgumentException("The destination of a ZFS stream must be empty.", nameof(destination));
        }
        var reader = new ZfsStreamReader(stream);
        var begin = reader.ReadBegin();
        CheckSnapshots(begin, baseImage, expected, cancellationToken);
        var applier = new ZfsStreamApplier(reader, begin, destination, expected);
        if (baseImage is not null)
        {
            applier.CopyBase(baseImage, cancellationToken);
        }
        applier.Run(cancellationToken);
        return applier.Finish(baseImage, cancellationToken);
    }

    private static void CheckSnapshots(ZfsBegin begin, Stream? baseImage, ZfsApplyExpectations expected, CancellationToken cancellationToken)
    {
        if (expected.TargetGuid is { } target && begin.ToGuid != target)
        {
            throw new ZfsStreamException($"The ZFS stream makes snapshot {begin.ToGuid:x16}, not {target:x16} (the signed image's).");
        }
        if (baseImage is null)
        {
            if (begin.IsIncremental)
            {
                throw new ZfsStreamException($"The ZFS stream is incremental from snapshot {begin.FromGuid:x16}; it needs that base image.");
            }
            return;
        }
        if (!begin.IsIncremental)
        {
            throw new ZfsStreamException("The ZFS stream is a full stream, not an incremental one from the base given.");
        }
        if (expected.BaseGuid is { } baseGuid && begin.FromGuid != baseGuid)
        {
            throw new ZfsStreamException($"The ZFS stream is incremental from snapshot {begin.FromGuid:x16}, not from {baseGuid:x16} (the base image's).");
        }
        if (expected.BaseSha256 is { } baseSha256)
        {
            var actual = StreamHash.Sha256(baseImage, cancellationToken);
            if (actual != baseSha256)
            {
                throw new ApplianceException(ExitCode.VerificationFailed, $"The base image hashes to {actual}, not {baseSha256}: it is not the stream's base.");
            }
        }
    }

    /// <summary>The base's bytes, zero chunks left as holes.</summary>
    private void CopyBase(Stream baseImage, CancellationToken cancellationToken)
    {
        var chunk = new byte[ChunkBytes];
        baseImage.Position = 0;
        destination.Position = 0;
        foreach (var (_, read) in baseImage.ReadChunks(chunk, cancellationToken))
        {
            if (chunk.AsSpan(0, read).ContainsAnyExcept((byte)0))
            {
                destination.Write(chunk, 0, read);
            }
            else
            {
                destination.Seek(read, SeekOrigin.Current);
            }
        }
        destination.SetLength(baseImage.Length);
        materialized = baseImage.Length;
    }

    private void Run(CancellationToken cancellationToken)
    {
        while (reader.Next() is { } record)
        {
            cancellationToken.ThrowIfCancellationRequested();
            records++;
            switch (record.Type)
            {
                case ZfsRecordType.Object:
                    ApplyObject(record);
                    break;
                case ZfsRecordType.FreeObjects:
                    ApplyFreeObjects(record);
                    break;
                case ZfsRecordType.Write:
                    ApplyWrite(record);
                    break;
                case ZfsRecordType.Free:
                    ApplyFree(record);
                    break;
                case ZfsRecordType.End:
                    CheckGuid(record.U64(ZfsRecordFields.EndToGuid), record.Type);
                    break;
                case ZfsRecordType.Begin:
                    throw ZfsStreamReader.Malformed("a second BEGIN record follows the first");
                default:
                    throw new ZfsStreamException($"The ZFS stream holds a {record.Type} record, which a plain zvol stream does not use; send it without -D, -e, -w or redaction.");
            }
        }
    }

    private void ApplyObject(ZfsRecord record)
    {
        CheckGuid(record.U64(ZfsRecordFields.ObjectToGuid), record.Type);
        var number = record.U64(ZfsRecordFields.ObjectNumber);
        var type = record.U32(ZfsRecordFields.ObjectType);
        var blockSize = (int)Math.Min(record.U32(ZfsRecordFields.ObjectBlockSize), int.MaxValue);
        if (blockSize < 512 || blockSize > ZfsStreamFormat.MaxBlockSize || (blockSize & (blockSize - 1)) != 0)
        {
            throw ZfsStreamReader.Malformed($"object {number} has block size {blockSize}");
        }
        if (record.U32(ZfsRecordFields.ObjectBonusLength) != 0 || record.Payload.Length != 0)
        {
            throw ZfsStreamReader.Malformed($"zvol object {number} carries a bonus buffer");
        }
        switch (number)
        {
            case ZfsStreamFormat.DataObject when type == ZfsStreamFormat.ObjectTypeZvol:
                if (lastWrite is { Object: ZfsStreamFormat.DataObject })
                {
                    throw ZfsStreamReader.Malformed("the zvol's OBJECT record follows its WRITE records");
                }
                dataBlockSize = blockSize;
                break;
            case ZfsStreamFormat.PropertiesObject when type == ZfsStreamFormat.ObjectTypeZvolProperties:
                propertiesObjectSeen = true;
                break;
            default:
                throw new ZfsStreamException($"The ZFS stream describes object {number} of type {type}; a zvol has only its data (1) and properties (2).");
        }
    }

    private static void ApplyFreeObjects(ZfsRecord record)
    {
        var first = record.U64(ZfsRecordFields.FreeObjectsFirst);
        var count = record.U64(ZfsRecordFields.FreeObjectsCount);
        if (first + count < first)
        {
            throw ZfsStreamReader.Malformed($"FREEOBJECTS from {first} for {count} objects overflows");
        }
        if (count != 0 && first <= ZfsStreamFormat.PropertiesObject && first + count > ZfsStreamFormat.DataObject)
        {
            throw new ZfsStreamException($"The ZFS stream frees objects {first}..{first + count - 1}, which would destroy the zvol.");
        }
    }

    private void ApplyWrite(ZfsRecord record)
    {
        CheckGuid(record.U64(ZfsRecordFields.WriteToGuid), record.Type);
        var objectNumber = record.U64(ZfsRecordFields.WriteObject);
        var offset = record.U64(ZfsRecordFields.WriteOffset);
        var length = record.U64(ZfsRecordFields.WriteLogicalSize);
        if (lastWrite is { } last && (objectNumber < last.Object || (objectNumber == last.Object && offset <= last.Offset)))
        {
            throw new ZfsStreamException($"The ZFS stream's records are out of order: a WRITE of object {objectNumber} at {offset} follows one of object {last.Object} at {last.Offset}.");
        }
        lastWrite = (objectNumber, offset);
        if (record.U8(ZfsRecordFields.WriteCompression) != 0 || record.U64(ZfsRecordFields.WriteCompressedSize) != 0)
        {
            throw new ZfsStreamException("The ZFS stream holds compressed WRITE records; send it without -c.");
        }
        if (length != (ulong)record.Payload.Length)
        {
            throw ZfsStreamReader.Malformed($"a WRITE at {offset} declares {length} bytes and carries {record.Payload.Length}");
        }
        CheckKey(record, offset);
        writes++;
        switch (objectNumber)
        {
            case ZfsStreamFormat.DataObject:
                WriteData(offset, record.Payload);
                break;
            case ZfsStreamFormat.PropertiesObject when propertiesObjectSeen && offset == 0:
                volumeSize = ZvolPropertiesBlock.ReadSize(record.Payload);
                CheckSize(volumeSize.Value);
                break;
            default:
                throw new ZfsStreamException($"The ZFS stream writes object {objectNumber} at {offset} without an OBJECT record of the zvol for it.");
        }
    }

    /// <summary>A WRITE whose flags say its key holds the block's SHA-256 (uncompressed) must match it.</summary>
    private static void CheckKey(ZfsRecord record, ulong offset)
    {
        var keyed = (record.U8(ZfsRecordFields.WriteFlags) & ZfsStreamFormat.WriteFlagChecksumInKey) != 0;
        var properties = record.U64(ZfsRecordFields.WriteKeyProperties);
        if (!keyed || record.U8(ZfsRecordFields.WriteChecksumType) != ZfsStreamFormat.ChecksumSha256 || ZfsWriteKey.Compression(properties) > 2)
        {
            return;
        }
        var carried = ZfsChecksum.Read(record.Bytes(ZfsRecordFields.WriteKeyChecksum, ZfsChecksum.Bytes));
        if (ZfsChecksum.FromSha256(SHA256.HashData(record.Payload)) != carried)
        {
            throw new ZfsStreamException($"The ZFS stream is corrupt: the block written at {offset} does not match the SHA-256 in its key.");
        }
    }

    private void WriteData(ulong offset, ReadOnlySpan<byte> block)
    {
        if (dataBlockSize == 0)
        {
            throw new ZfsStreamException("The ZFS stream writes zvol data before the zvol's OBJECT record.");
        }
        if (block.Length != dataBlockSize || offset % (ulong)dataBlockSize != 0)
        {
            throw new ZfsStreamException($"The ZFS stream's WRITE at {offset} of {block.Length} bytes is not one aligned {dataBlockSize}-byte block.");
        }
        var end = offset + (ulong)block.Length;
        if (end > (ulong)expected.ImageSize)
        {
            throw new ZfsStreamException($"The ZFS stream writes up to byte {end}, past the signed image's {expected.ImageSize} bytes.");
        }
        destination.Position = (long)offset;
        destination.Write(block);
        materialized = Math.Max(materialized, (long)end);
    }

    private void ApplyFree(ZfsRecord record)
    {
        CheckGuid(record.U64(ZfsRecordFields.FreeToGuid), record.Type);
        var objectNumber = record.U64(ZfsRecordFields.FreeObject);
        var offset = record.U64(ZfsRecordFields.FreeOffset);
        var length = record.U64(ZfsRecordFields.FreeLength);
        if (length != ZfsStreamFormat.ObjectEnd && offset + length < offset)
        {
            throw ZfsStreamReader.Malformed($"a FREE from {offset} for {length} bytes overflows");
        }
        frees++;
        if (objectNumber == ZfsStreamFormat.PropertiesObject)
        {
            return;
        }
        if (objectNumber != ZfsStreamFormat.DataObject)
        {
            throw new ZfsStreamException($"The ZFS stream frees data of object {objectNumber}, which a zvol does not have.");
        }
        if (dataBlockSize == 0 || offset % (ulong)dataBlockSize != 0 || (length != ZfsStreamFormat.ObjectEnd && length % (ulong)dataBlockSize != 0))
        {
            throw new ZfsStreamException($"The ZFS stream's FREE from {offset} for {length} bytes is not whole blocks of the zvol.");
        }
        // Only what holds data can need zeroing; the rest of the destination is a hole already.
        var end = length == ZfsStreamFormat.ObjectEnd ? (ulong)materialized : Math.Min(offset + length, (ulong)materialized);
        for (var position = offset; position < end;)
        {
            var piece = (int)Math.Min((ulong)ChunkBytes, end - position);
            destination.Position = (long)position;
            destination.Write(Zeros, 0, piece);
            position += (ulong)piece;
        }
    }

    private void CheckGuid(ulong toGuid, ZfsRecordType type)
    {
        if (toGuid != begin.ToGuid)
        {
            throw ZfsStreamReader.Malformed($"a {type} record belongs to snapshot {toGuid:x16}, not {begin.ToGuid:x16}");
        }
    }

    private void CheckSize(ulong size)
    {
        if (size != (ulong)expected.ImageSize)
        {
            throw new ZfsStreamException($"The ZFS stream's zvol is {size} bytes; the signed image is {expected.ImageSize}.");
        }
    }

    private ZfsStreamSummary Finish(Stream? baseImage, CancellationToken cancellationToken)
    {
        if (volumeSize is null)
        {
            // An incremental stream leaves the properties alone when the size did not change.
            volumeSize = baseImage is null
                ? throw new ZfsStreamException("The ZFS stream never states the zvol's size (its properties object is missing).")
                : (ulong)baseImage.Length;
            CheckSize(volumeSize.Value);
        }
        destination.SetLength(expected.ImageSize);
        destination.Flush();
        if (expected.ImageSha256 is { } sha256)
        {
            destination.Position = 0;
            var actual = StreamHash.Sha256(destination, cancellationToken);
            if (actual != sha256)
            {
                throw new ApplianceException(ExitCode.VerificationFailed, $"The image the ZFS stream produced hashes to {actual}, not the signed {sha256}.");
            }
        }
        return new ZfsStreamSummary(begin.FromGuid, begin.ToGuid, expected.ImageSize, reader.BytesRead, records, writes, frees);
    }
}
