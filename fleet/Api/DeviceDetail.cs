using Appliance.Fleet.Storage;

namespace Appliance.Fleet.Api;

/// <summary>One device, its latest actions (newest first) and its place in rollouts.</summary>
public sealed record DeviceDetail(DeviceRow Device, IReadOnlyList<ActionRow> Actions, IReadOnlyList<RolloutDeviceRow> Rollouts);
