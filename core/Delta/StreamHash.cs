using System.Security.Cryptography;

namespace Appliance.Core.Delta;

internal static class StreamHash
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>SHA-256 (hex) of the whole stream from its start, in large reads that can be cancelled.</summary>
    public static string Sha256(Stream stream, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[ChunkBytes];
        foreach (var (_, read) in stream.ReadChunks(chunk, cancellationToken))
        {
            hash.AppendData(chunk, 0, read);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
