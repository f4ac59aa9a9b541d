using Appliance.Core.Errors;

namespace Appliance.Platform.Files;

/// <summary>ENOSPC as what it is: exit 13 "disk full", not a network failure or an unexpected error.</summary>
public static class DiskFull
{
    private const int Enospc = 28;

    public static bool Is(Exception e) =>
        e is IOException io && (io.HResult == Enospc || io.Message.Contains("No space left on device", StringComparison.Ordinal));

    public static ApplianceException Error(string doing, Exception e) =>
        new(ExitCode.InsufficientSpace, $"The disk is full while {doing} ({e.Message}); make room (upgradectl prune) and run the command again.", e);
}
