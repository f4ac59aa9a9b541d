namespace Appliance.Core.Compression;

/// <summary>The ZSTD_cParameter values (zstd.h) the project sets.</summary>
internal enum ZstdCompressionParameter
{
    CompressionLevel = 100,
    WindowLog = 101,
    NbWorkers = 400,
    EnableLongDistanceMatching = 160,
}
