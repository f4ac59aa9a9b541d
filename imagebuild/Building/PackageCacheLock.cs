using Appliance.Core.Errors;
using Appliance.Platform.Files;
using Serilog;

namespace Appliance.ImageBuild.Building;

/// <summary>
/// One build's apt at a time on a shared package cache: apt locks the archives directory without waiting, so a second
/// build installing at the same moment would fail. Held while the build's apt runs.
/// </summary>
public static class PackageCacheLock
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(30);

    public static async Task<FileLock> AcquireAsync(string cacheDirectory, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(cacheDirectory).TrimEnd('/') + ".lock";
        if (await FileLock.TryAcquireAsync(path, TimeSpan.Zero, cancellationToken) is { } free)
        {
            return free;
        }
        Log.Information("Waiting for another build to finish installing with the package cache {Cache}", cacheDirectory);
        return await FileLock.TryAcquireAsync(path, MaxWait, cancellationToken)
            ?? throw new ApplianceException(ExitCode.Busy, $"Another build has held the package cache {cacheDirectory} ({path}) for {MaxWait.TotalMinutes} minutes.");
    }
}
