using Appliance.Core.Compression;

/// <summary>One zstd implementation: the project's binding of the system libzstd, or ZstdSharp.Port.</summary>
internal abstract class Backend
{
    public abstract string Name { get; }

    public static Backend Parse(string name) => name switch
    {
        "libzstd" => new SystemLibzstd(),
        "zstdsharp" => new ZstdSharpPort(),
        _ => throw new ArgumentException($"unknown backend {name}"),
    };

    public byte[] Compress(byte[] data, byte[] prefix, ZstdCompressionOptions options)
    {
        using var output = new MemoryStream();
        CompressStream(new MemoryStream(data), output, options, prefix);
        return output.ToArray();
    }

    public abstract void CompressStream(Stream source, Stream destination, ZstdCompressionOptions options, byte[]? prefix = null);

    public abstract byte[] Decompress(byte[] frame, byte[] prefix, int size);
}
