using System.Runtime.InteropServices;

namespace Appliance.Core.Compression;

/// <summary>Owns a zstd context; freed exactly once by the subclass, even when a stream is never disposed.</summary>
internal abstract class ZstdContextHandle : SafeHandle
{
    protected ZstdContextHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;
}
