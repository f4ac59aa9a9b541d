using Appliance.Platform.Mounts;
using Appliance.Platform.Processes;

namespace Appliance.ImageBuild.Building;

/// <summary>
/// /proc, /sys and /dev mounted into the tree for commands run in the chroot, and always unmounted again,
/// whatever happens to the commands.
/// </summary>
public sealed class ChrootSession : IAsyncDisposable
{
    private readonly string root;
    private readonly IReadOnlyDictionary<string, string?> environment;

    private ChrootSession(string root, IReadOnlyDictionary<string, string?> environment)
    {
        this.root = root;
        this.environment = environment;
    }

    public static async Task<ChrootSession> OpenAsync(string root, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        var session = new ChrootSession(root, environment);
        try
        {
            await Mounter.MountAsync("proc", Path.Combine(root, "proc"), ["-t", "proc"], cancellationToken);
            await Mounter.MountAsync("sysfs", Path.Combine(root, "sys"), ["-t", "sysfs"], cancellationToken);
            await Mounter.MountAsync("/dev", Path.Combine(root, "dev"), ["--bind"], cancellationToken);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
        return session;
    }

    public Task<ProcessResult> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync("chroot", [root, .. command], new ProcessOptions(Environment: environment), cancellationToken);

    public async ValueTask DisposeAsync() => await Mounter.UnmountAllUnderAsync(root);
}
