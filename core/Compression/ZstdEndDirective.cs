namespace Appliance.Core.Compression;

/// <summary>ZSTD_EndDirective values (zstd.h).</summary>
internal enum ZstdEndDirective
{
    Continue = 0,
    Flush = 1,
    End = 2,
}
