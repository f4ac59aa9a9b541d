using System.Security.Cryptography;
using Appliance.Core.Compression;
using Appliance.Core.Errors;

namespace Appliance.Core.Delta;

/// <summary>
/// Rebuilds the target image from the base and a delta (docs/delta-format.md), writing the target sequentially.
/// Nothing is written before the base is proven to be the delta's base (size and SHA-256); every segment of new data
/// is checked against its SHA-256 before it is used, and the whole target against the header's at the end. Memory
/// stays bounded by one segment, one prefix and zstd's window, whatever the image size. Zero runs become holes when
/// the destination can seek, so a staging file stays sparse.
/// </summary>
public sealed class DeltaApplier
{
    private const int ChunkBytes = 1 << 20;

    private static readonly byte[] Zeros = new byte[ChunkBytes];

    private readonly DeltaReader reader;
    private readonly DeltaHeader header;
    private readonly Stream baseImage;
    private readonly Stream destination;
    private readonly IncrementalHash targetHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] chunk = new byte[ChunkBytes];
    private byte[] segment = [];
    private byte[] prefix = [];
    private byte[] compressed = [];
    private int segmentLength;
    private int segmentUsed;
    private int segmentNumber;
    private long position;

    private DeltaApplier(DeltaReader reader, DeltaHeader header, Stream baseImage, Stream destination)
    {
        this.reader = reader;
        this.header = header;
        this.baseImage = baseImage;
        this.destination = destination;
    }

    /// <summary>Writes the target to <paramref name="destination"/>, which must be empty; returns the delta's header.</summary>
    public static DeltaHeader Apply(Stream delta, Stream baseImage, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseImage);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.CanSeek && destination.Length != 0)
        {
            // Holes are made by seeking: over old contents they would leave old bytes behind.
            throw new ArgumentException("The destination of a delta must be empty.", nameof(destination));
        }
        var reader = new DeltaReader(delta);
        var header = DeltaHeader.Read(reader);
        VerifyBase(header, baseImage, cancellationToken);
        var applier = new DeltaApplier(reader, header, baseImage, destination);
        try
        {
            applier.Run(cancellationToken);
        }
        finally
        {
            applier.targetHash.Dispose();
        }
        return header;
    }

    private static void VerifyBase(DeltaHeader header, Stream baseImage, CancellationToken cancellationToken)
    {
        var size = baseImage.Length;
        var sha256 = size == header.BaseSize ? StreamHash.Sha256(baseImage, cancellationToken) : null;
        if (sha256 != header.BaseSha256)
        {
            throw new ApplianceException(ExitCode.VerificationFailed,
                $"The delta was made for another base image (sha256 {header.BaseSha256}, {header.BaseSize} bytes), not this one ({sha256 ?? "not hashed"}, {size} bytes).");
        }
    }

    private void Run(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var kind = reader.ReadKind();
            switch (kind)
            {
                case DeltaRecordKind.End:
                    Finish();
                    return;
                case DeltaRecordKind.Copy:
                    var baseBlock = reader.ReadLength();
                    Copy(baseBlock, RunBytes(reader.ReadLength()));
                    break;
                case DeltaRecordKind.Zero:
                    WriteZeros(RunBytes(reader.ReadLength()));
                    break;
                case DeltaRecordKind.Literal:
                    WriteLiteral(RunBytes(reader.ReadLength()));
                    break;
                case DeltaRecordKind.Segment:
                    ReadSegment();
                    break;
                default:
                    throw Malformed($"unknown record type {(byte)kind}");
            }
        }
    }

    /// <summary>Bytes a run of blocks makes at the current position: whole blocks, the last one cut at the target's end.</summary>
    private long RunBytes(long blocks)
    {
        var blocksLeft = ((header.TargetSize - position) + header.BlockSize - 1) / header.BlockSize;
        if (blocks == 0 || blocks > blocksLeft)
        {
            throw Malformed($"a run of {blocks} blocks at offset {position} does not fit the {header.TargetSize}-byte target");
        }
        return Math.Min(blocks * header.BlockSize, header.TargetSize - position);
    }

    private void Copy(long baseBlock, long bytes)
    {
        if (baseBlock > header.BaseSize / header.BlockSize || bytes > header.BaseSize - (baseBlock * header.BlockSize))
        {
            throw Malformed($"a copy of {bytes} bytes from base block {baseBlock} reaches past the end of the base");
        }
        baseImage.Position = baseBlock * header.BlockSize;
        for (var left = bytes; left > 0;)
        {
            var piece = chunk.AsSpan(0, (int)Math.Min(left, chunk.Length));
            baseImage.ReadExactly(piece);
            Emit(piece);
            left -= piece.Length;
        }
    }

    private void WriteZeros(long bytes)
    {
        for (var left = bytes; left > 0; left -= ChunkBytes)
        {
            var piece = Zeros.AsSpan(0, (int)Math.Min(left, ChunkBytes));
            targetHash.AppendData(piece);
            if (!destination.CanSeek)
            {
                destination.Write(piece);
            }
        }
        if (destination.CanSeek)
        {
            destination.Seek(bytes, SeekOrigin.Current);
        }
        position += bytes;
    }

    private void WriteLiteral(long bytes)
    {
        if (bytes > segmentLength - segmentUsed)
        {
            throw Malformed($"a literal run of {bytes} bytes needs more than the {segmentLength - segmentUsed} left in segment {segmentNumber}");
        }
        Emit(segment.AsSpan(segmentUsed, (int)bytes));
        segmentUsed += (int)bytes;
    }

    private void Emit(ReadOnlySpan<byte> bytes)
    {
        targetHash.AppendData(bytes);
        destination.Write(bytes);
        position += bytes.Length;
    }

    private void ReadSegment()
    {
        if (segmentUsed != segmentLength)
        {
            throw Malformed($"segment {segmentNumber} has {segmentLength - segmentUsed} bytes no literal run used");
        }
        segmentNumber++;
        var dataLength = ReadBoundedLength(DeltaFormat.MaxSegmentBytes, "segment data");
        var compressedLength = ReadBoundedLength(DeltaFormat.MaxCompressedSegmentBytes, "compressed segment");
        var sha256 = reader.ReadSha256();
        var prefixLength = ReadPrefix();
        compressed = EnsureLength(compressed, compressedLength);
        reader.ReadExactly(compressed.AsSpan(0, compressedLength));
        segment = EnsureLength(segment, dataLength);
        Decompress(compressedLength, prefixLength, dataLength);
        if (Convert.ToHexStringLower(SHA256.HashData(segment.AsSpan(0, dataLength))) != sha256)
        {
            throw new ApplianceException(ExitCode.VerificationFailed, $"Segment {segmentNumber} of the delta is corrupt: its data does not match its SHA-256.");
        }
        segmentLength = dataLength;
        segmentUsed = 0;
    }

    /// <summary>Reads the segment's prefix extents and fills the prefix from the base; returns its length.</summary>
    private int ReadPrefix()
    {
        var extents = reader.ReadLength();
        var extentsLimit = DeltaFormat.MaxSegmentBytes / header.BlockSize;
        if (extents > extentsLimit)
        {
            throw Malformed($"segment {segmentNumber} names {extents} prefix extents");
        }
        var length = 0;
        for (var i = 0; i < extents; i++)
        {
            var start = reader.ReadLength();
            var count = reader.ReadLength();
            if (count > (DeltaFormat.MaxSegmentBytes - length) / header.BlockSize || start > (header.BaseSize / header.BlockSize) - count)
            {
                throw Malformed($"segment {segmentNumber}'s prefix is too large or reaches past the end of the base");
            }
            var bytes = (int)count * header.BlockSize;
            prefix = EnsureLength(prefix, DeltaFormat.MaxSegmentBytes);
            baseImage.Position = start * header.BlockSize;
            baseImage.ReadExactly(prefix.AsSpan(length, bytes));
            length += bytes;
        }
        return length;
    }

    private void Decompress(int compressedLength, int prefixLength, int dataLength)
    {
        try
        {
            using var source = new MemoryStream(compressed, 0, compressedLength, writable: false);
            using var decompressor = new ZstdDecompressionStream(source, prefix.AsMemory(0, prefixLength), DeltaFormat.WindowLog);
            decompressor.ReadExactly(segment.AsSpan(0, dataLength));
            if (decompressor.ReadByte() >= 0)
            {
                throw new ApplianceException(ExitCode.VerificationFailed, $"Segment {segmentNumber} of the delta is corrupt: it holds more data than it declares.");
            }
        }
        catch (Exception e) when (e is ZstdException or EndOfStreamException)
        {
            throw new ApplianceException(ExitCode.VerificationFailed, $"Segment {segmentNumber} of the delta is corrupt: {e.Message}", e);
        }
    }

    private int ReadBoundedLength(int limit, string what)
    {
        var length = reader.ReadLength();
        return length <= limit ? (int)length : throw Malformed($"{what} {segmentNumber} declares {length} bytes, more than the {limit} allowed");
    }

    private void Finish()
    {
        if (position != header.TargetSize || segmentUsed != segmentLength)
        {
            throw Malformed($"it ends after {position} of {header.TargetSize} bytes");
        }
        if (destination.CanSeek)
        {
            destination.SetLength(position); // a trailing zero run was only a seek
        }
        destination.Flush();
        var sha256 = Convert.ToHexStringLower(targetHash.GetHashAndReset());
        if (sha256 != header.TargetSha256)
        {
            throw new ApplianceException(ExitCode.VerificationFailed, $"The rebuilt image has sha256 {sha256}, not the delta's target {header.TargetSha256}.");
        }
    }

    private static byte[] EnsureLength(byte[] buffer, int length) => buffer.Length >= length ? buffer : new byte[length];

    private static ApplianceException Malformed(string detail) => new(ExitCode.InvalidInput, $"The delta is malformed: {detail}.");
}
