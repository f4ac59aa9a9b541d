using Appliance.Core.Errors;

namespace Appliance.Platform.Files;

/// <summary>Refuses to start work that would fill the disk half-way through.</summary>
public static class FreeSpace
{
    public static long AvailableBytes(string directory) => new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;

    public static void Require(string directory, long neededBytes, string purpose)
    {
        var available = AvailableBytes(directory);
        if (available < neededBytes)
        {
            throw new ApplianceException(ExitCode.InsufficientSpace,
                $"Not enough free space in {directory} for {purpose}: {Mib(neededBytes)} MiB needed, {Mib(available)} MiB available.");
        }
    }

    private static long Mib(long bytes) => bytes / (1024 * 1024);
}
