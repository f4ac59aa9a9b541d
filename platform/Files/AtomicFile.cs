namespace Appliance.Platform.Files;

/// <summary>
/// Replaces files the only safe way: write a new file beside the old one, fsync it, rename it over the
/// old name, fsync the directory. A reader sees the old file or the new one, never a mix, and a
/// process that has the old file open keeps its inode.
/// </summary>
public static class AtomicFile
{
    /// <param name="createMode">Permissions the file has from its creation on (e.g. 0600 for a private key), not set afterwards.</param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> contents, UnixFileMode? createMode = null)
    {
        var bytes = contents.ToArray();
        Write(path, stream =>
        {
            stream.Write(bytes);
            return bytes.Length;
        }, createMode);
    }

    /// <summary>
    /// Lets <paramref name="write"/> fill a new, empty file, then publishes it under <paramref name="path"/> and
    /// returns what <paramref name="write"/> returned. If it throws, the old file stays and the new one is removed.
    /// </summary>
    /// <param name="createMode">Permissions the file has from its creation on (e.g. 0600 for a private key), not set afterwards.</param>
    public static T Write<T>(string path, Func<FileStream, T> write, UnixFileMode? createMode = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        var temporary = TemporaryNameFor(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (createMode is { } mode)
        {
            options.UnixCreateMode = mode;
        }
        try
        {
            T result;
            using (var stream = new FileStream(temporary, options))
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
        SyncDirectoryOf(path);
    }

    /// <summary>Makes a rename of <paramref name="path"/> (a file or a directory) durable.</summary>
    public static void SyncDirectoryOf(string path) =>
        NativeFileSystem.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);

    /// <summary>
    /// Like <see cref="Publish"/> for immutable files: an existing file of that name is never replaced (returns false,
    /// and the caller removes its copy).
    /// </summary>
    public static bool PublishIfAbsent(string finishedFile, string path)
    {
        try
        {
            File.Move(finishedFile, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        SyncDirectoryOf(path);
        return true;
    }

    /// <summary>fsyncs a file that was written by another process (e.g. mke2fs) before it is published.</summary>
    public static void Flush(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Flush(flushToDisk: true);
    }

    private static string TemporaryNameFor(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.tmp-{Environment.ProcessId}");
}
