using Appliance.Platform.Processes;
using Serilog;

namespace Appliance.Platform.Mounts;

/// <summary>mount/umount as processes, and the clean-up that must run even after a killed build.</summary>
public static class Mounter
{
    public static async Task<MountedDirectory> MountAsync(
        string source, string target, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(target);
        await ProcessRunner.RunAsync("mount", [.. arguments, source, target], cancellationToken: cancellationToken);
        return new MountedDirectory(target);
    }

    public static async Task UnmountAsync(string target)
    {
        try
        {
            await ProcessRunner.RunAsync("umount", [target]);
        }
        catch (ExternalToolException e)
        {
            // A process still holding a file (e.g. a daemon started by a maintainer script) keeps the mount busy;
            // detach it lazily so nothing is left attached to the work tree.
            Log.Warning("umount {Target} failed ({Message}); detaching it lazily", target, e.Message);
            await ProcessRunner.RunAsync("umount", ["--lazy", target]);
        }
    }

    /// <summary>Unmounts everything mounted at or below <paramref name="directory"/>, deepest first.</summary>
    public static async Task UnmountAllUnderAsync(string directory)
    {
        foreach (var mountPoint in MountTable.MountPointsUnder(directory))
        {
            await UnmountAsync(mountPoint);
        }
    }
}
