namespace Appliance.Core.Compression;

/// <summary>A ZSTD_DCtx.</summary>
internal sealed class ZstdDecompressionContextHandle : ZstdContextHandle
{
    protected override bool ReleaseHandle()
    {
        ZstdNative.FreeDecompressionContext(handle);
        return true;
    }
}
