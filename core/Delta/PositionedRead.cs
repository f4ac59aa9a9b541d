namespace Appliance.Core.Delta;

/// <summary>Random access on a seekable stream: images are read at the offsets the delta names.</summary>
internal static class PositionedRead
{
    /// <summary>Reads up to <paramref name="buffer"/>'s length at <paramref name="offset"/>; fewer bytes only at the end of the stream.</summary>
    public static int ReadAt(this Stream stream, long offset, Span<byte> buffer)
    {
        stream.Position = offset;
        return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
    }

    /// <summary>
    /// Reads the whole stream from its start into <paramref name="buffer"/>, one chunk at a time; yields where each
    /// chunk starts and how long it is. The buffer holds the chunk until the next one is read.
    /// </summary>
    public static IEnumerable<(long Offset, int Length)> ReadChunks(this Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        long offset = 0;
        int read;
        while ((read = stream.ReadAt(offset, buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return (offset, read);
            offset += read;
        }
    }
}
