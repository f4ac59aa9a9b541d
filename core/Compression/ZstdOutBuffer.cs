namespace Appliance.Core.Compression;

/// <summary>ZSTD_outBuffer: the output window of one streaming call; zstd advances <see cref="Position"/>.</summary>
internal unsafe struct ZstdOutBuffer
{
    public byte* Destination;
    public nuint Size;
    public nuint Position;
}
