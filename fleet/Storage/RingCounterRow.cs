namespace Appliance.Fleet.Storage;

/// <summary>Per ring of a rollout: devices told to switch, confirmed on the release, and counted failed.</summary>
public sealed record RingCounterRow
{
    public long RolloutId { get; init; }
    public int Ring { get; init; }
    public int Given { get; init; }
    public int Confirmed { get; init; }
    public int Failed { get; init; }
}
