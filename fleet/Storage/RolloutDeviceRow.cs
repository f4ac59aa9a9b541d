namespace Appliance.Fleet.Storage;

/// <summary>A device's place in a rollout (Rollouts/DeviceRolloutState).</summary>
public sealed record RolloutDeviceRow
{
    public long RolloutId { get; init; }
    public string DeviceId { get; init; } = "";
    public int Ring { get; init; }
    public string State { get; init; } = "";
    public int? FromVersion { get; init; }
    /// <summary>While switching: when silence makes the device count as failed.</summary>
    public long? DeadlineAt { get; init; }
    public string? Detail { get; init; }
    public long UpdatedAt { get; init; }
}
