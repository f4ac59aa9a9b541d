namespace Appliance.Fleet.Storage;

/// <summary>How many devices of a rollout's ring are in one DeviceRolloutState.</summary>
public sealed record RingStateCount
{
    public int Ring { get; init; }
    public string State { get; init; } = "";
    public long Devices { get; init; }
}
