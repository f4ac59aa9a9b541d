using Appliance.Platform.Processes;

namespace Appliance.Tests.Support;

/// <summary>A tmpfs of a given size mounted on a directory (needs root): a host partition that can really run full.</summary>
public sealed class SmallFilesystem : IAsyncDisposable
{
    private SmallFilesystem(string path) => Path = path;

    public string Path { get; }

    public long AvailableBytes => new DriveInfo(Path).AvailableFreeSpace;

    public static async Task<SmallFilesystem> MountAsync(string path, int sizeMiB)
    {
        Directory.CreateDirectory(path);
        await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", $"size={sizeMiB}m", "tmpfs", path]);
        return new SmallFilesystem(path);
    }

    public async ValueTask DisposeAsync() => await ProcessRunner.RunAsync("umount", ["--lazy", Path]);
}
