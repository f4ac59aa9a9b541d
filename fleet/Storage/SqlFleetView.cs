using System.Data.Common;
using Dapper;

namespace Appliance.Fleet.Storage;

/// <summary><see cref="IFleetView"/> in SQL that SQLite and PostgreSQL both run, inside one read transaction.</summary>
internal sealed class SqlFleetView(DbConnection connection, DbTransaction transaction) : IFleetView
{
    public Task<IReadOnlyList<VersionStateCount>> CountDevicesAsync(long silentBefore) =>
        Query<VersionStateCount>($"""
            SELECT version, {DeviceState.Sql} AS state, COUNT(*) AS devices FROM devices GROUP BY version, state ORDER BY version, state
            """, new { silentBefore });

    public Task<IReadOnlyList<DeviceSummaryRow>> PageDevicesAsync(DeviceFilter filter, long silentBefore, string? afterId, int limit)
    {
        // Only the conditions asked for, so the planner can use the index of the one that is there (version, group).
        var conditions = new List<string> { "id > @afterId" };
        if (filter.Group is not null)
        {
            conditions.Add("group_name = @Group");
        }
        if (filter.Version is not null)
        {
            conditions.Add("version = @Version");
        }
        if (filter.State is not null)
        {
            conditions.Add($"{DeviceState.Sql} = @State");
        }
        return Query<DeviceSummaryRow>($"""
            SELECT id, group_name, hostname, version, last_seen, {DeviceState.Sql} AS state
            FROM devices WHERE {string.Join(" AND ", conditions)} ORDER BY id LIMIT @limit
            """, new { filter.Group, filter.Version, filter.State, silentBefore, afterId = afterId ?? "", limit });
    }

    public Task<IReadOnlyList<RingStateCount>> CountRolloutDevicesAsync(long rolloutId) =>
        Query<RingStateCount>("""
            SELECT ring, state, COUNT(*) AS devices FROM rollout_devices WHERE rollout_id = @rolloutId GROUP BY ring, state ORDER BY ring, state
            """, new { rolloutId });

    public Task<IReadOnlyList<RolloutDeviceRow>> PageRolloutDevicesAsync(long rolloutId, string state, string? afterId, int limit) =>
        Query<RolloutDeviceRow>("""
            SELECT rollout_id, device_id, ring, state, from_version, deadline_at, detail, updated_at FROM rollout_devices
            WHERE rollout_id = @rolloutId AND state = @state AND device_id > @afterId ORDER BY device_id LIMIT @limit
            """, new { rolloutId, state, afterId = afterId ?? "", limit });

    public Task<IReadOnlyList<AuditRow>> PageAuditAsync(string? subject, long? beforeId, int limit) =>
        Query<AuditRow>($"""
            SELECT id, time, actor, action, subject, reason, before, after FROM audit
            WHERE id < @beforeId {(subject is null ? "" : "AND subject = @subject")} ORDER BY id DESC LIMIT @limit
            """, new { subject, beforeId = beforeId ?? long.MaxValue, limit });

    private async Task<IReadOnlyList<T>> Query<T>(string sql, object parameters) => [.. await connection.QueryAsync<T>(sql, parameters, transaction)];
}
