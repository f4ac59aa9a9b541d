using Appliance.Core.Compression;
using Appliance.Core.Delta;
using ZstdSharp.Unsafe;

/// <summary>The same streaming calls on ZstdSharp.Port's port of zstd: what core/Compression would become.</summary>
internal sealed unsafe class ZstdSharpPort : Backend
{
    public override string Name => "zstdsharp";

    public override void CompressStream(Stream source, Stream destination, ZstdCompressionOptions options, byte[]? prefix = null)
    {
        var context = Methods.ZSTD_createCCtx();
        try
        {
            Check(Methods.ZSTD_CCtx_setParameter(context, ZSTD_cParameter.ZSTD_c_compressionLevel, options.Level));
            if (options.WindowLog is { } windowLog)
            {
                Check(Methods.ZSTD_CCtx_setParameter(context, ZSTD_cParameter.ZSTD_c_windowLog, windowLog));
            }
            if (options.Workers > 0)
            {
                Check(Methods.ZSTD_CCtx_setParameter(context, ZSTD_cParameter.ZSTD_c_nbWorkers, options.Workers));
            }
            if (options.LongDistanceMatching)
            {
                Check(Methods.ZSTD_CCtx_setParameter(context, ZSTD_cParameter.ZSTD_c_enableLongDistanceMatching, 1));
            }
            if (options.PledgedSize is { } size)
            {
                Check(Methods.ZSTD_CCtx_setPledgedSrcSize(context, (ulong)size));
            }
            fixed (byte* prefixPointer = prefix)
            {
                if (prefix is not null)
                {
                    Check(Methods.ZSTD_CCtx_refPrefix(context, prefixPointer, (nuint)prefix.Length));
                }
                var input = new byte[1 << 20];
                var output = new byte[128 * 1024];
                int read;
                while ((read = source.Read(input)) > 0)
                {
                    Run(context, input, read, ZSTD_EndDirective.ZSTD_e_continue, output, destination);
                }
                Run(context, input, 0, ZSTD_EndDirective.ZSTD_e_end, output, destination);
            }
        }
        finally
        {
            Methods.ZSTD_freeCCtx(context);
        }
    }

    public override byte[] Decompress(byte[] frame, byte[] prefix, int size)
    {
        var context = Methods.ZSTD_createDCtx();
        try
        {
            Check(Methods.ZSTD_DCtx_setParameter(context, ZSTD_dParameter.ZSTD_d_windowLogMax, DeltaFormat.WindowLog));
            var output = new byte[size];
            fixed (byte* prefixPointer = prefix)
            fixed (byte* framePointer = frame)
            fixed (byte* outputPointer = output)
            {
                Check(Methods.ZSTD_DCtx_refPrefix(context, prefixPointer, (nuint)prefix.Length));
                var inBuffer = new ZSTD_inBuffer_s { src = framePointer, size = (nuint)frame.Length };
                var outBuffer = new ZSTD_outBuffer_s { dst = outputPointer, size = (nuint)output.Length };
                while (inBuffer.pos < inBuffer.size)
                {
                    Check(Methods.ZSTD_decompressStream(context, &outBuffer, &inBuffer));
                }
            }
            return output;
        }
        finally
        {
            Methods.ZSTD_freeDCtx(context);
        }
    }

    /// <summary>Feeds <paramref name="length"/> bytes and writes out what zstd produces; with ZSTD_e_end, until the frame is done.</summary>
    private static void Run(ZSTD_CCtx_s* context, byte[] input, int length, ZSTD_EndDirective directive, byte[] output, Stream destination)
    {
        fixed (byte* inputPointer = input)
        fixed (byte* outputPointer = output)
        {
            var inBuffer = new ZSTD_inBuffer_s { src = inputPointer, size = (nuint)length };
            nuint remaining;
            do
            {
                var outBuffer = new ZSTD_outBuffer_s { dst = outputPointer, size = (nuint)output.Length };
                remaining = Check(Methods.ZSTD_compressStream2(context, &outBuffer, &inBuffer, directive));
                destination.Write(output, 0, (int)outBuffer.pos);
            }
            while (inBuffer.pos < inBuffer.size || (directive == ZSTD_EndDirective.ZSTD_e_end && remaining != 0));
        }
    }

    private static nuint Check(nuint code) =>
        Methods.ZSTD_isError(code) ? throw new ZstdException("ZstdSharp", Methods.ZSTD_getErrorName(code)) : code;
}
