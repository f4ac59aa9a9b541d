using System.Buffers;

namespace Appliance.Core.Compression;

/// <summary>
/// Write-only stream that compresses what is written into one zstd frame on <paramref name="destination"/>; the
/// frame is finished when the stream is disposed. With a prefix, the data is compressed against it
/// (ZSTD_CCtx_refPrefix): matches may point into the prefix, which the decoder must be given as well.
/// The prefix must stay unchanged until the stream is disposed.
/// </summary>
public sealed unsafe class ZstdCompressionStream : Stream
{
    private const int OutputBufferSize = 128 * 1024; // about ZSTD_CStreamOutSize(): one full block per call

    private readonly Stream destination;
    private readonly bool leaveOpen;
    private readonly ZstdCompressionContextHandle context;
    private readonly byte[] output = new byte[OutputBufferSize];
    private MemoryHandle prefixPin;
    private bool finished;

    public ZstdCompressionStream(Stream destination, ZstdCompressionOptions options, ReadOnlyMemory<byte> prefix = default, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(options);
        this.destination = destination;
        this.leaveOpen = leaveOpen;
        context = ZstdNative.CreateCompressionContext();
        if (context.IsInvalid)
        {
            throw new InsufficientMemoryException("libzstd could not allocate a compression context");
        }
        Set(ZstdCompressionParameter.CompressionLevel, options.Level);
        if (options.WindowLog is { } windowLog)
        {
            Set(ZstdCompressionParameter.WindowLog, windowLog);
        }
        if (options.Workers > 0)
        {
            Set(ZstdCompressionParameter.NbWorkers, options.Workers);
        }
        if (options.LongDistanceMatching)
        {
            Set(ZstdCompressionParameter.EnableLongDistanceMatching, 1);
        }
        if (options.PledgedSize is { } size)
        {
            ZstdNative.Check(ZstdNative.SetPledgedSourceSize(context, checked((ulong)size)), "setting the content size");
        }
        if (!prefix.IsEmpty)
        {
            prefixPin = prefix.Pin();
            ZstdNative.Check(ZstdNative.ReferenceCompressionPrefix(context, (byte*)prefixPin.Pointer, (nuint)prefix.Length), "referencing the prefix");
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !finished;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(finished, this);
        fixed (byte* source = buffer)
        {
            var input = new ZstdInBuffer { Source = source, Size = (nuint)buffer.Length };
            while (input.Position < input.Size)
            {
                Compress(ref input, ZstdEndDirective.Continue);
            }
        }
    }

    /// <summary>Emits everything written so far (ends the current zstd block), then flushes the destination.</summary>
    public override void Flush()
    {
        ObjectDisposedException.ThrowIf(finished, this);
        Drain(ZstdEndDirective.Flush);
        destination.Flush();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        try
        {
            if (disposing && !finished)
            {
                finished = true;
                Drain(ZstdEndDirective.End);
                if (!leaveOpen)
                {
                    destination.Dispose();
                }
            }
        }
        finally
        {
            context.Dispose();
            prefixPin.Dispose();
            base.Dispose(disposing);
        }
    }

    private void Set(ZstdCompressionParameter parameter, int value) =>
        ZstdNative.Check(ZstdNative.SetCompressionParameter(context, parameter, value), $"setting {parameter} to {value}");

    /// <summary>Calls zstd without new input until it reports nothing left to write out.</summary>
    private void Drain(ZstdEndDirective directive)
    {
        var empty = default(ZstdInBuffer);
        while (Compress(ref empty, directive) != 0)
        {
        }
    }

    private nuint Compress(ref ZstdInBuffer input, ZstdEndDirective directive)
    {
        nuint remaining;
        int produced;
        fixed (byte* target = output)
        {
            var buffer = new ZstdOutBuffer { Destination = target, Size = (nuint)output.Length };
            remaining = ZstdNative.Check(ZstdNative.CompressStream(context, ref buffer, ref input, directive), "compression");
            produced = (int)buffer.Position;
        }
        destination.Write(output, 0, produced);
        return remaining;
    }
}
