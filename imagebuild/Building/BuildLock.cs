using Appliance.Core.Errors;
using Appliance.Platform.Files;

namespace Appliance.ImageBuild.Building;

/// <summary>One build of a version into one output directory at a time (an flock held for the whole build).</summary>
public static class BuildLock
{
    public static async Task<FileLock> AcquireAsync(BuildPaths paths, CancellationToken cancellationToken)
    {
        var path = paths.WorkDirectory + ".lock";
        return await FileLock.TryAcquireAsync(path, TimeSpan.Zero, cancellationToken)
            ?? throw new ApplianceException(ExitCode.Busy, $"Another build of version {paths.Version} into {paths.OutputDirectory} is running ({path} is locked).");
    }
}
