using System.Runtime.InteropServices;

namespace Appliance.Core.Compression;

/// <summary>Owns a ZSTD_DCtx; freed exactly once, even when a stream is never disposed.</summary>
internal sealed class ZstdDecompressionContextHandle : SafeHandle
{
    public ZstdDecompressionContextHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        ZstdNative.FreeDecompressionContext(handle);
        return true;
    }
}
