namespace Appliance.Core.Compression;

/// <summary>
/// libzstd refused an operation, most often because compressed input is corrupt. <see cref="ErrorName"/> is zstd's
/// own name for the error (ZSTD_getErrorName), e.g. "Data corruption detected", or <see cref="TruncatedFrame"/>
/// when the input ended inside a frame (zstd only ever asks for more input then).
/// </summary>
public sealed class ZstdException : IOException
{
    public const string TruncatedFrame = "Truncated frame";

    public ZstdException(string operation, string errorName)
        : base($"zstd {operation} failed: {errorName}")
    {
        ErrorName = errorName;
    }

    public string ErrorName { get; }
}
