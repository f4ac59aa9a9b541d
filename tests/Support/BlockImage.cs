namespace Appliance.Tests.Support;

/// <summary>Synthetic images for delta tests: blocks of distinct random content, zero blocks, and edits of them.</summary>
public static class BlockImage
{
    public const int BlockSize = 4096;

    public static byte[] RandomBlock(int seed)
    {
        var block = new byte[BlockSize];
        new Random(seed).NextBytes(block);
        return block;
    }

    /// <summary>An image of <paramref name="blocks"/>: a number is the seed of a random block, null a zero block.</summary>
    public static byte[] Of(params int?[] blocks) =>
        blocks.SelectMany(seed => seed is { } value ? RandomBlock(value) : new byte[BlockSize]).ToArray();

    public static string Sha256(byte[] image) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(image));
}
