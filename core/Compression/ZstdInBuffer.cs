namespace Appliance.Core.Compression;

/// <summary>ZSTD_inBuffer: the input window of one streaming call; zstd advances <see cref="Position"/>.</summary>
internal unsafe struct ZstdInBuffer
{
    public byte* Source;
    public nuint Size;
    public nuint Position;
}
