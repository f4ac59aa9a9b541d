namespace Appliance.Core.Compression;

/// <summary>A ZSTD_CCtx.</summary>
internal sealed class ZstdCompressionContextHandle : ZstdContextHandle
{
    protected override bool ReleaseHandle()
    {
        ZstdNative.FreeCompressionContext(handle);
        return true;
    }
}
