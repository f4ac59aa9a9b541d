using System.Runtime.InteropServices;

namespace Appliance.Platform.Files;

/// <summary>The few libc calls .NET does not expose: fsync of a directory and statvfs.</summary>
internal static partial class NativeFileSystem
{
    private const int OpenReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);

    /// <summary>Makes a rename or a new directory entry durable: a rename is only safe once its directory is synced.</summary>
    public static void SyncDirectory(string directory)
    {
        var descriptor = Open(directory, OpenReadOnlyDirectory);
        if (descriptor < 0)
        {
            throw new IOException($"Cannot open directory {directory} to sync it: errno {Marshal.GetLastPInvokeError()}");
        }
        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }
}
