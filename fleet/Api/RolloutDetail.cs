using Appliance.Fleet.Storage;

namespace Appliance.Fleet.Api;

public sealed record RolloutDetail(RolloutRow Rollout, IReadOnlyList<RingCounterRow> Rings, IReadOnlyList<RolloutDeviceRow> Devices);
