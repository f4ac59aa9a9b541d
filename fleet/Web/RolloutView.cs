using Appliance.Fleet.Storage;

namespace Appliance.Fleet.Web;

/// <summary>What the rollout page shows, read in one snapshot.</summary>
public sealed record RolloutView(
    RolloutRow Rollout, IReadOnlyList<int> Rings, IReadOnlyList<RingCounterRow> Counters, IReadOnlyList<long> Members,
    IReadOnlyList<RingStateCount> States, string ListedState, IReadOnlyList<RolloutDeviceRow> Listed, bool More);
