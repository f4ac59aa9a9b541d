namespace Appliance.Core.Compression;

/// <summary>The ZSTD_dParameter values (zstd.h) the project sets.</summary>
internal enum ZstdDecompressionParameter
{
    WindowLogMax = 100,
}
