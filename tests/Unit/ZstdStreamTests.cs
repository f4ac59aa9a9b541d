using Appliance.Core.Compression;

namespace Appliance.Tests.Unit;

public sealed class ZstdStreamTests
{
    private static readonly byte[] Text = System.Text.Encoding.ASCII.GetBytes(
        string.Concat(Enumerable.Range(0, 20_000).Select(i => $"line {i % 97} of a repetitive log\n")));

    [Fact]
    public void Data_compressed_by_the_system_libzstd_decompresses_to_the_same_bytes()
    {
        var compressed = Compress(Text, new ZstdCompressionOptions(Level: 19, WindowLog: 20, LongDistanceMatching: true));

        Assert.True(compressed.Length < Text.Length / 20, $"{compressed.Length} bytes");
        Assert.Equal(Text, Decompress(compressed));
    }

    [Fact]
    public void Data_compressed_against_a_prefix_is_smaller_and_needs_the_same_prefix_to_decompress()
    {
        var prefix = RandomBytes(1 << 16, seed: 1);
        var data = prefix.ToArray();
        data[100] ^= 0xff;
        var options = new ZstdCompressionOptions(Level: 19, PledgedSize: data.Length);

        var withPrefix = Compress(data, options, prefix);
        var without = Compress(data, options);

        Assert.True(withPrefix.Length < 100, $"{withPrefix.Length} bytes with the prefix");
        Assert.True(without.Length > data.Length / 2, $"{without.Length} bytes without it");
        Assert.Equal(data, Decompress(withPrefix, prefix));
        Assert.NotEqual(data, Decompress(withPrefix, RandomBytes(1 << 16, seed: 2)));
        var error = Assert.Throws<ZstdException>(() => Decompress(withPrefix));
        Assert.False(string.IsNullOrEmpty(error.ErrorName));
    }

    [Fact]
    public void A_corrupt_frame_fails_with_zstds_error_name()
    {
        var frame = Compress(Text, new ZstdCompressionOptions());
        frame[0] ^= 0xff; // the magic number

        var error = Assert.Throws<ZstdException>(() => Decompress(frame));

        Assert.Equal("Unknown frame descriptor", error.ErrorName);
    }

    [Fact]
    public void A_truncated_frame_fails_instead_of_ending_early()
    {
        var frame = Compress(Text, new ZstdCompressionOptions());

        var error = Assert.Throws<ZstdException>(() => Decompress(frame[..(frame.Length / 2)]));

        Assert.Equal(ZstdException.TruncatedFrame, error.ErrorName);
    }

    [Fact]
    public void A_frame_needing_a_larger_window_than_allowed_is_refused()
    {
        var data = RandomBytes(4 << 20, seed: 3);
        var frame = Compress([.. data, .. data], new ZstdCompressionOptions(Level: 1, WindowLog: 23));

        var error = Assert.Throws<ZstdException>(() => Decompress(frame, windowLogMax: 20));

        Assert.Contains("memory", error.ErrorName, StringComparison.OrdinalIgnoreCase);
    }

    private static byte[] Compress(byte[] data, ZstdCompressionOptions options, byte[]? prefix = null)
    {
        var output = new MemoryStream();
        using (var compressor = new ZstdCompressionStream(output, options, prefix, leaveOpen: true))
        {
            // Uneven writes exercise the streaming path, not one call with everything.
            for (var offset = 0; offset < data.Length; offset += 10_000)
            {
                compressor.Write(data, offset, Math.Min(10_000, data.Length - offset));
            }
        }
        return output.ToArray();
    }

    private static byte[] Decompress(byte[] frame, byte[]? prefix = null, int? windowLogMax = null)
    {
        using var decompressor = new ZstdDecompressionStream(new MemoryStream(frame), prefix, windowLogMax);
        var output = new MemoryStream();
        decompressor.CopyTo(output, 3000);
        return output.ToArray();
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
