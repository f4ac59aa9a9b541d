namespace Appliance.Core.Fleet;

/// <summary>
/// One desired action. The agent executes an action id at most once (it records ids on the host partition) and
/// reports its outcome; the server never hands out a second action while one is unacknowledged.
/// </summary>
/// <param name="Kind"><see cref="FleetProtocol.StageAction"/> (download and verify in the background, any time),
/// <see cref="FleetProtocol.ApplyAction"/> (migrate, switch and reboot; only inside <paramref name="Window"/>), or
/// <see cref="FleetProtocol.RollbackAction"/> (support or pull-back: back to <paramref name="Version"/>, reboot).</param>
/// <param name="RepositoryUrl">For stage: the distributor URL.</param>
/// <param name="Channel">For stage: the channel name.</param>
/// <param name="Window">For apply: the device group's maintenance window; the agent refuses an apply outside it. Null: the group may switch at any time.</param>
/// <param name="Reason">Why (shown in logs and the audit trail).</param>
public sealed record DeviceAction(
    string Id, string Kind, int Version, string? RepositoryUrl, string? Channel, MaintenanceWindow? Window, string? Reason);
