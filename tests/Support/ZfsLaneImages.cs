using System.Security.Cryptography;
using System.Text;

namespace Appliance.Tests.Support;

/// <summary>
/// The small zvol images of the OpenZFS lane and its fixtures (16 MiB, mostly holes): bytes from SHA-256 in counter
/// mode, so the VM run that made the fixtures and every later test agree on them without storing them.
/// A: 24 data blocks; B: A with 4 blocks rewritten and 2 zeroed; C: A with one other block (a base that is not B's).
/// </summary>
public static class ZfsLaneImages
{
    public const int Size = 16 << 20;
    public const int BlockSize = 16384;

    public static byte[] A { get; } = Make(Enumerable.Range(0, 24).Select(i => (i * 37 % 1024, "a")));

    public static byte[] B { get; } = Edit(A, [(37, "b"), (74, "b"), (500, "b"), (1000, "b")], [111, 148]);

    public static byte[] C { get; } = Edit(A, [(3, "c")], []);

    private static byte[] Make(IEnumerable<(int Block, string Seed)> blocks)
    {
        var image = new byte[Size];
        foreach (var (block, seed) in blocks)
        {
            Fill(image.AsSpan(block * BlockSize, BlockSize), $"{seed}:{block}");
        }
        return image;
    }

    private static byte[] Edit(byte[] source, (int Block, string Seed)[] rewritten, int[] zeroed)
    {
        var image = (byte[])source.Clone();
        foreach (var (block, seed) in rewritten)
        {
            Fill(image.AsSpan(block * BlockSize, BlockSize), $"{seed}:{block}");
        }
        foreach (var block in zeroed)
        {
            image.AsSpan(block * BlockSize, BlockSize).Clear();
        }
        return image;
    }

    private static void Fill(Span<byte> block, string seed)
    {
        for (var offset = 0; offset < block.Length; offset += 32)
        {
            SHA256.HashData(Encoding.ASCII.GetBytes($"{seed}:{offset}"), block[offset..]);
        }
    }
}
