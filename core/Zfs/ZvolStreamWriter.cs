using Appliance.Core.Errors;

namespace Appliance.Core.Zfs;

/// <summary>
/// Writes the OpenZFS send stream of a zvol (volblocksize <see cref="ZfsStreamFormat.VolBlockSize"/>) holding an
/// image: full, or incremental from the snapshot holding a base image. Deterministic: the GUIDs come from the images'
/// hashes and nothing else varies. Blocks that differ from the base (every block for a full stream) become WRITE
/// records, or FREE records (holes) when they are zero; runs of zero blocks share one FREE. Layout and order follow
/// what `zfs send` emits for a zvol (docs/zfs-streams.md), so `zfs receive` accepts it.
/// </summary>
public static class ZvolStreamWriter
{
    private const int BlocksPerChunk = 64;

    public static ZfsStreamSummary WriteFull(ZvolImage target, Stream output, CancellationToken cancellationToken) =>
        Write(null, target, output, cancellationToken);

    public static ZfsStreamSummary WriteIncremental(ZvolImage baseImage, ZvolImage target, Stream output, CancellationToken cancellationToken) =>
        Write(baseImage ?? throw new ArgumentNullException(nameof(baseImage)), target, output, cancellationToken);

    private static ZfsStreamSummary Write(ZvolImage? baseImage, ZvolImage target, Stream output, CancellationToken cancellationToken)
    {
        const int blockSize = ZfsStreamFormat.VolBlockSize;
        var size = target.Bytes.Length;
        if (size == 0 || size % blockSize != 0)
        {
            throw new ApplianceException(ExitCode.InvalidInput,
                $"Image {target.Version} is {size} bytes; a zvol stream needs a whole number of {blockSize}-byte blocks.");
        }
        if (baseImage is not null && baseImage.Bytes.Length % blockSize != 0)
        {
            throw new ApplianceException(ExitCode.InvalidInput,
                $"Base image {baseImage.Version} is {baseImage.Bytes.Length} bytes; a zvol holds a whole number of {blockSize}-byte blocks.");
        }
        var fromGuid = baseImage?.SnapshotGuid ?? 0;
        if (baseImage is not null && fromGuid == target.SnapshotGuid)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"Images {baseImage.Version} and {target.Version} are the same bytes: there is no incremental stream between them.");
        }
        var writer = new ZfsRecordWriter(output, target.SnapshotGuid);
        writer.Begin(fromGuid, ZfsStreamFormat.FlagFreeRecords | ZfsStreamFormat.FlagSpillBlock, target.SnapshotName);
        var blocks = (ulong)(size / blockSize);
        writer.Object(ZfsStreamFormat.DataObject, ZfsStreamFormat.ObjectTypeZvol, blockSize);
        writer.Free(ZfsStreamFormat.DataObject, blocks * blockSize, ZfsStreamFormat.ObjectEnd);
        writer.Object(ZfsStreamFormat.PropertiesObject, ZfsStreamFormat.ObjectTypeZvolProperties, ZfsStreamFormat.PropertiesBlockSize);
        writer.Free(ZfsStreamFormat.PropertiesObject, ZfsStreamFormat.PropertiesBlockSize, ZfsStreamFormat.ObjectEnd);
        writer.FreeObjects(ZfsStreamFormat.PropertiesObject + 1, ZfsStreamFormat.ObjectsPerDnodeBlock - ZfsStreamFormat.PropertiesObject - 1);
        var (writes, frees) = WriteBlocks(writer, baseImage?.Bytes, target.Bytes, blocks, cancellationToken);
        writer.Write(ZfsStreamFormat.PropertiesObject, ZfsStreamFormat.ObjectTypeZvolProperties, 0,
            ZvolPropertiesBlock.Encode((ulong)size, target.SnapshotGuid));
        writer.End();
        return new ZfsStreamSummary(fromGuid, target.SnapshotGuid, size, writer.BytesWritten, writer.Records, writes + 1, frees + 2);
    }

    private static (int Writes, int Frees) WriteBlocks(ZfsRecordWriter writer, Stream? baseBytes, Stream target, ulong blocks, CancellationToken cancellationToken)
    {
        const int blockSize = ZfsStreamFormat.VolBlockSize;
        var chunk = new byte[blockSize * BlocksPerChunk];
        var baseChunk = new byte[chunk.Length];
        var baseLength = baseBytes?.Length ?? 0;
        target.Position = 0;
        if (baseBytes is not null)
        {
            baseBytes.Position = 0;
        }
        var writes = 0;
        var frees = 0;
        ulong? zeroRunStart = null;
        ulong block = 0;
        void CloseZeroRun()
        {
            if (zeroRunStart is { } start)
            {
                writer.Free(ZfsStreamFormat.DataObject, start * blockSize, (block - start) * blockSize);
                frees++;
                zeroRunStart = null;
            }
        }
        while (block < blocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = (int)Math.Min((ulong)BlocksPerChunk, blocks - block);
            var bytes = count * blockSize;
            target.ReadExactly(chunk, 0, bytes);
            var baseBytesRead = ReadBase(baseBytes, baseLength, block * blockSize, baseChunk, bytes);
            for (var i = 0; i < count; i++, block++)
            {
                var data = chunk.AsSpan(i * blockSize, blockSize);
                var inBase = (long)(i * blockSize) < baseBytesRead;
                var old = baseChunk.AsSpan(i * blockSize, blockSize);
                var zero = !data.ContainsAnyExcept((byte)0);
                // A block the base does not have reads as a hole (zeros) in the zvol that grew.
                var unchanged = baseBytes is not null && (inBase ? data.SequenceEqual(old) : zero);
                if (unchanged)
                {
                    // Freeing a hole again changes nothing: an unchanged zero block may join a run rather than split it.
                    if (!zero)
                    {
                        CloseZeroRun();
                    }
                    continue;
                }
                if (zero)
                {
                    zeroRunStart ??= block;
                    continue;
                }
                CloseZeroRun();
                writer.Write(ZfsStreamFormat.DataObject, ZfsStreamFormat.ObjectTypeZvol, block * blockSize, data);
                writes++;
            }
        }
        CloseZeroRun();
        return (writes, frees);
    }

    /// <summary>Reads the base's bytes at <paramref name="offset"/> into <paramref name="buffer"/>; returns how many it has there.</summary>
    private static int ReadBase(Stream? baseBytes, long baseLength, ulong offset, byte[] buffer, int bytes)
    {
        if (baseBytes is null || (long)offset >= baseLength)
        {
            return 0;
        }
        var available = (int)Math.Min(bytes, baseLength - (long)offset);
        baseBytes.Position = (long)offset;
        baseBytes.ReadExactly(buffer, 0, available);
        return available;
    }
}
