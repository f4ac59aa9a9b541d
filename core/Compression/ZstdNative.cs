using System.Runtime.InteropServices;

namespace Appliance.Core.Compression;

/// <summary>
/// The part of the system libzstd's stable API the project uses. Linked against <c>libzstd.so.1</c>, which every
/// Debian host and image has (package libzstd1); no managed zstd is available to us.
/// </summary>
internal static unsafe partial class ZstdNative
{
    private const string Library = "libzstd.so.1";

    [LibraryImport(Library, EntryPoint = "ZSTD_createCCtx")]
    internal static partial ZstdCompressionContextHandle CreateCompressionContext();

    [LibraryImport(Library, EntryPoint = "ZSTD_freeCCtx")]
    internal static partial nuint FreeCompressionContext(nint context);

    [LibraryImport(Library, EntryPoint = "ZSTD_createDCtx")]
    internal static partial ZstdDecompressionContextHandle CreateDecompressionContext();

    [LibraryImport(Library, EntryPoint = "ZSTD_freeDCtx")]
    internal static partial nuint FreeDecompressionContext(nint context);

    [LibraryImport(Library, EntryPoint = "ZSTD_CCtx_setParameter")]
    internal static partial nuint SetCompressionParameter(ZstdCompressionContextHandle context, ZstdCompressionParameter parameter, int value);

    [LibraryImport(Library, EntryPoint = "ZSTD_CCtx_setPledgedSrcSize")]
    internal static partial nuint SetPledgedSourceSize(ZstdCompressionContextHandle context, ulong size);

    [LibraryImport(Library, EntryPoint = "ZSTD_CCtx_refPrefix")]
    internal static partial nuint ReferenceCompressionPrefix(ZstdCompressionContextHandle context, byte* prefix, nuint size);

    [LibraryImport(Library, EntryPoint = "ZSTD_compressStream2")]
    internal static partial nuint CompressStream(ZstdCompressionContextHandle context, ref ZstdOutBuffer output, ref ZstdInBuffer input, ZstdEndDirective directive);

    [LibraryImport(Library, EntryPoint = "ZSTD_DCtx_setParameter")]
    internal static partial nuint SetDecompressionParameter(ZstdDecompressionContextHandle context, ZstdDecompressionParameter parameter, int value);

    [LibraryImport(Library, EntryPoint = "ZSTD_DCtx_refPrefix")]
    internal static partial nuint ReferenceDecompressionPrefix(ZstdDecompressionContextHandle context, byte* prefix, nuint size);

    [LibraryImport(Library, EntryPoint = "ZSTD_decompressStream")]
    internal static partial nuint DecompressStream(ZstdDecompressionContextHandle context, ref ZstdOutBuffer output, ref ZstdInBuffer input);

    [LibraryImport(Library, EntryPoint = "ZSTD_isError")]
    private static partial uint IsError(nuint code);

    // Returns a pointer to a static string: marshalled by hand so nothing tries to free it.
    [LibraryImport(Library, EntryPoint = "ZSTD_getErrorName")]
    private static partial nint GetErrorName(nuint code);

    /// <summary>Returns <paramref name="code"/> when it is not a zstd error code; throws the named error otherwise.</summary>
    internal static nuint Check(nuint code, string operation)
    {
        if (IsError(code) == 0)
        {
            return code;
        }
        var name = Marshal.PtrToStringUTF8(GetErrorName(code)) ?? "unknown error";
        throw new ZstdException(operation, name);
    }
}
