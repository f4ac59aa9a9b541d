namespace Appliance.Fleet.Storage;

/// <summary>
/// The read-only queries of the web view, sized for 100,000 devices: aggregates computed by the database and lists
/// read a page at a time (keyset paging: no OFFSET scans), each served by an index (FleetMigrations step 2).
/// </summary>
public interface IFleetView
{
    /// <summary>Devices per version and <see cref="DeviceState"/>; <paramref name="silentBefore"/> is the last-seen time below which a device is silent.</summary>
    Task<IReadOnlyList<VersionStateCount>> CountDevicesAsync(long silentBefore);

    /// <summary>Up to <paramref name="limit"/> devices after <paramref name="afterId"/> in id order.</summary>
    Task<IReadOnlyList<DeviceSummaryRow>> PageDevicesAsync(DeviceFilter filter, long silentBefore, string? afterId, int limit);

    /// <summary>A rollout's devices per ring and state.</summary>
    Task<IReadOnlyList<RingStateCount>> CountRolloutDevicesAsync(long rolloutId);

    /// <summary>Up to <paramref name="limit"/> devices of a rollout in one state after <paramref name="afterId"/> in id order.</summary>
    Task<IReadOnlyList<RolloutDeviceRow>> PageRolloutDevicesAsync(long rolloutId, string state, string? afterId, int limit);

    /// <summary>Audit entries newest first, below <paramref name="beforeId"/> (null: from the newest), of one subject or all.</summary>
    Task<IReadOnlyList<AuditRow>> PageAuditAsync(string? subject, long? beforeId, int limit);
}
