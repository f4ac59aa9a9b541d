using Appliance.Fleet.Storage;

namespace Appliance.Fleet.Web;

/// <summary>What the device page shows, read in one snapshot.</summary>
public sealed record DeviceView(DeviceRow Device, IReadOnlyList<ActionRow> Actions, IReadOnlyList<RolloutDeviceRow> Rollouts, IReadOnlyList<AuditRow> Audit);
