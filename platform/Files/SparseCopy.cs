using System.Security.Cryptography;
using Appliance.Core.Errors;

namespace Appliance.Platform.Files;

/// <summary>
/// Copies an image into a new file the way staging needs it: all-zero chunks become holes (images are mostly free,
/// zeroed space), the SHA-256 of every byte is computed on the way, the result is fsynced, and a full disk is
/// reported as such rather than as a generic I/O error.
/// </summary>
public static class SparseCopy
{
    private const int ChunkSize = 1024 * 1024;
    private const int NoSpaceLeftOnDevice = 28;

    /// <returns>The lowercase hex SHA-256 of the bytes copied.</returns>
    public static async Task<string> CopyAsync(Stream source, string destination, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ChunkSize];
        try
        {
            await using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            long copied = 0;
            int read;
            while ((read = await source.ReadAtLeastAsync(buffer, ChunkSize, throwOnEndOfStream: false, cancellationToken)) > 0)
            {
                var chunk = buffer.AsMemory(0, read);
                hash.AppendData(chunk.Span);
                if (chunk.Span.IndexOfAnyExcept((byte)0) < 0)
                {
                    output.Seek(read, SeekOrigin.Current);
                }
                else
                {
                    await output.WriteAsync(chunk, cancellationToken);
                }
                copied += read;
                progress?.Report(copied);
            }
            output.SetLength(copied);
            output.Flush(flushToDisk: true);
        }
        catch (IOException e) when ((e.HResult & 0xFFFF) == NoSpaceLeftOnDevice)
        {
            throw new ApplianceException(ExitCode.InsufficientSpace, $"The disk holding {destination} is full: {e.Message}", e);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
