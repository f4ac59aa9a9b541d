namespace Appliance.Fleet.Rollouts;

/// <summary>Where one device is in one rollout (docs/fleet-protocol.md, "Rollouts").</summary>
public static class DeviceRolloutState
{
    /// <summary>Stage action sent.</summary>
    public const string Offered = "offered";

    /// <summary>The device reported the stage succeeded: a download is never counted as an update.</summary>
    public const string Staged = "staged";

    /// <summary>Apply sent; its silence deadline runs.</summary>
    public const string Switching = "switching";

    /// <summary>Booted the release as the default image: its health check confirmed it.</summary>
    public const string Confirmed = "confirmed";

    public const string Failed = "failed";

    /// <summary>Told to go back to the version it came from (pull-back of the rollout).</summary>
    public const string PulledBack = "pulled_back";

    /// <summary>Support forced it to another version; the rollout leaves it alone.</summary>
    public const string RolledBack = "rolled_back";

    /// <summary>States in which reports still move the device.</summary>
    public static IReadOnlyList<string> InFlight { get; } = [Offered, Staged, Switching];

    public static IReadOnlyList<string> All { get; } = [Offered, Staged, Switching, Confirmed, Failed, PulledBack, RolledBack];
}
