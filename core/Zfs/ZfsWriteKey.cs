namespace Appliance.Core.Zfs;

/// <summary>
/// The <c>ddk_prop</c> word of a WRITE's key: logical and physical size in 512-byte sectors minus one (bits 0-15,
/// 16-31) and the compression (bits 32-38, 0 here: uncompressed, so both sizes are the block's).
/// </summary>
internal static class ZfsWriteKey
{
    public static ulong Properties(int blockSize)
    {
        var sectors = (ulong)((blockSize >> 9) - 1);
        return sectors | (sectors << 16);
    }

    public static int LogicalSize(ulong properties) => (int)(((properties & 0xFFFF) + 1) << 9);

    public static int PhysicalSize(ulong properties) => (int)((((properties >> 16) & 0xFFFF) + 1) << 9);

    public static int Compression(ulong properties) => (int)((properties >> 32) & 0x7F);
}
