namespace Appliance.Platform.Mounts;

/// <summary>A mount that is undone on dispose, also when the work inside it failed or was cancelled.</summary>
public sealed class MountedDirectory(string path) : IAsyncDisposable
{
    private bool unmounted;

    public string Path { get; } = path;

    public async ValueTask DisposeAsync()
    {
        if (!unmounted)
        {
            unmounted = true;
            await Mounter.UnmountAsync(Path);
        }
    }
}
