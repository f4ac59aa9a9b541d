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
}
