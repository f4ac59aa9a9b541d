using System.Buffers;

namespace Appliance.Core.Compression;

/// <summary>
/// Read-only stream of the data decompressed from the zstd frames in <paramref name="source"/>. A prefix, when
/// given, must be the one the first frame was compressed against (ZSTD_DCtx_refPrefix) and stay unchanged until
/// the stream is disposed. <paramref name="windowLogMax"/> bounds the memory a frame may make the decoder allocate.
/// Corrupt or truncated input throws <see cref="ZstdException"/>.
/// </summary>
public sealed unsafe class ZstdDecompressionStream : Stream
{
    private const int InputBufferSize = 128 * 1024; // about ZSTD_DStreamInSize(): one full block

    private readonly Stream source;
    private readonly bool leaveOpen;
    private readonly ZstdDecompressionContextHandle context;
    private readonly byte[] input = new byte[InputBufferSize];
    private MemoryHandle prefixPin;
    private int inputStart;
    private int inputEnd;
    private bool sourceExhausted;
    private nuint frameRemaining; // 0 between frames: zstd's "frame complete and flushed"

    public ZstdDecompressionStream(Stream source, ReadOnlyMemory<byte> prefix = default, int? windowLogMax = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        this.source = source;
        this.leaveOpen = leaveOpen;
        context = ZstdNative.CreateDecompressionContext();
        if (context.IsInvalid)
        {
            throw new InsufficientMemoryException("libzstd could not allocate a decompression context");
        }
        if (windowLogMax is { } limit)
        {
            ZstdNative.Check(ZstdNative.SetDecompressionParameter(context, ZstdDecompressionParameter.WindowLogMax, limit), $"setting the window log limit to {limit}");
        }
        if (!prefix.IsEmpty)
        {
            prefixPin = prefix.Pin();
            ZstdNative.Check(ZstdNative.ReferenceDecompressionPrefix(context, (byte*)prefixPin.Pointer, (nuint)prefix.Length), "referencing the prefix");
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        while (true)
        {
            if (inputStart == inputEnd && !sourceExhausted)
            {
                inputStart = 0;
                inputEnd = source.Read(input);
                sourceExhausted = inputEnd == 0;
            }
            var hasInput = inputStart < inputEnd;
            if (!hasInput && frameRemaining == 0)
            {
                return 0;
            }
            var produced = Decompress(buffer);
            if (produced > 0)
            {
                return produced;
            }
            if (!hasInput)
            {
                throw new ZstdException("decompression", ZstdException.TruncatedFrame);
            }
        }
    }

    public override void Flush()
    {
    }

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        try
        {
            if (disposing && !leaveOpen)
            {
                source.Dispose();
            }
        }
        finally
        {
            context.Dispose();
            prefixPin.Dispose();
            base.Dispose(disposing);
        }
    }

    private int Decompress(Span<byte> buffer)
    {
        fixed (byte* inputPointer = input)
        fixed (byte* target = buffer)
        {
            var inBuffer = new ZstdInBuffer { Source = inputPointer + inputStart, Size = (nuint)(inputEnd - inputStart) };
            var outBuffer = new ZstdOutBuffer { Destination = target, Size = (nuint)buffer.Length };
            frameRemaining = ZstdNative.Check(ZstdNative.DecompressStream(context, ref outBuffer, ref inBuffer), "decompression");
            inputStart += (int)inBuffer.Position;
            return (int)outBuffer.Position;
        }
    }
}
