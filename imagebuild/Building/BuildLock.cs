using Appliance.Core.Errors;

namespace Appliance.ImageBuild.Building;

/// <summary>One build of a version into one output directory at a time (an flock held for the whole build).</summary>
public sealed class BuildLock : IAsyncDisposable
{
    private readonly FileStream stream;

    private BuildLock(FileStream stream) => this.stream = stream;

    public static BuildLock Acquire(BuildPaths paths)
    {
        var path = paths.WorkDirectory + ".lock";
        try
        {
            return new BuildLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new ApplianceException(ExitCode.Busy, $"Another build of version {paths.Version} into {paths.OutputDirectory} is running ({path} is locked).", e);
        }
    }

    public ValueTask DisposeAsync() => stream.DisposeAsync();
}
