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
        var temporary = TemporaryNameFor(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }
            Publish(temporary, path);
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
        SyncDirectoryOf(path);
    }

    /// <summary>Makes a rename of <paramref name="path"/> (a file or a directory) durable.</summary>
    public static void SyncDirectoryOf(string path) =>
        NativeFileSystem.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);

    /// <summary>fsyncs a file that was written by another process (e.g. mke2fs) before it is published.</summary>
    public static void Flush(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Flush(flushToDisk: true);
    }

    public static string TemporaryNameFor(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.tmp-{Environment.ProcessId}");
}
