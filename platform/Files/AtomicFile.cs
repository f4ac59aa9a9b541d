namespace Appliance.Platform.Files;

/// <summary>
/// Replaces files the only safe way: write a new file beside the old one, fsync it, rename it over the
/// old name, fsync the directory. A reader sees the old file or the new one, never a mix, and a
/// process that has the old file open keeps its inode.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> contents)
    {
        var bytes = contents.ToArray();
        Write(path, stream =>
        {
            stream.Write(bytes);
            return bytes.Length;
        });
    }

    /// <summary>
    /// Lets <paramref name="write"/> fill a new, empty file, then publishes it under <paramref name="path"/> and
    /// returns what <paramref name="write"/> returned. If it throws, the old file stays and the new one is removed.
    /// </summary>
    public static T Write<T>(string path, Func<FileStream, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var temporary = TemporaryNameFor(path);
        try
        {
            T result;
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                result = write(stream);
                stream.Flush(flushToDisk: true);
            }
            Publish(temporary, path);
            return result;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public static void WriteAllText(string path, string contents) =>
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(contents));

    /// <summary>Moves a finished, already fsynced file to its final name and makes the rename durable.</summary>
    public static void Publish(string finishedFile, string path)
    {
        File.Move(finishedFile, path, overwrite: true);
        NativeFileSystem.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>fsyncs a file that was written by another process (e.g. mke2fs) before it is published.</summary>
    public static void Flush(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Flush(flushToDisk: true);
    }

    public static string TemporaryNameFor(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.tmp-{Environment.ProcessId}");
}
