using System.Runtime.InteropServices;

namespace Appliance.Core.Compression;

/// <summary>Owns a ZSTD_CCtx; freed exactly once, even when a stream is never disposed.</summary>
internal sealed class ZstdCompressionContextHandle : SafeHandle
{
    public ZstdCompressionContextHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        ZstdNative.FreeCompressionContext(handle);
        return true;
    }
}
