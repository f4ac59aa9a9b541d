using Appliance.Core.Compression;
using Appliance.Core.Delta;

/// <summary>core/Compression, the streams the delta and the full object use in production.</summary>
internal sealed class SystemLibzstd : Backend
{
    public override string Name => "libzstd";

    public override void CompressStream(Stream source, Stream destination, ZstdCompressionOptions options, byte[]? prefix = null)
    {
        using var compressor = new ZstdCompressionStream(destination, options, prefix, leaveOpen: true);
        source.CopyTo(compressor, 1 << 20);
    }

    public override byte[] Decompress(byte[] frame, byte[] prefix, int size)
    {
        using var decompressor = new ZstdDecompressionStream(new MemoryStream(frame), prefix, DeltaFormat.WindowLog);
        var output = new byte[size];
        decompressor.ReadExactly(output);
        return output;
    }
}
