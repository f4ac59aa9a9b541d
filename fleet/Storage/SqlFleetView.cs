using System.Data.Common;
using System.Globalization;
using Dapper;

namespace Appliance.Fleet.Storage;

/// <summary><see cref="IFleetView"/> in SQL that SQLite and PostgreSQL both run, inside one read transaction.</summary>
internal sealed class SqlFleetView(DbConnection connection, DbTransaction transaction) : IFleetView
{
    /// <summary>
    /// One pass over the index that holds every column of the state, in version order: a count per state and version
    /// streams, where grouping by the computed state would sort all 100,000 rows first.
    /// </summary>
    public async Task<IReadOnlyList<VersionStateCount>> CountDevicesAsync(long silentBefore)
    {
        var counts = string.Join(", ", DeviceState.All.Select(state => $"COUNT(*) FILTER (WHERE {DeviceState.Condition(state)}) AS {state}"));
        var rows = await connection.QueryAsync($"SELECT version, {counts} FROM devices GROUP BY version ORDER BY version", new { silentBefore }, transaction);
        return [.. rows.Cast<IDictionary<string, object?>>().SelectMany(row => DeviceState.All
            .Select(state => new VersionStateCount { Version = row["version"] is { } v ? Convert.ToInt32(v, CultureInfo.InvariantCulture) : null, State = state, Devices = Convert.ToInt64(row[state], CultureInfo.InvariantCulture) })
            .Where(count => count.Devices > 0))];
    }

    public async Task<IReadOnlyList<DeviceSummaryRow>> PageDevicesAsync(DeviceFilter filter, long silentBefore, string? afterId, int limit)
    {
        if (filter.State is null || filter.Version is not null)
        {
            return await PageDevicesAsync(filter, filter.Version is null ? null : "version = @Version", silentBefore, afterId, limit);
        }
        // A state alone, which may be rare: read it version by version along the index that holds the state's
        // columns (never the wide rows of devices not in it), and merge the pages.
        var merged = new List<DeviceSummaryRow>();
        foreach (var version in await connection.QueryAsync<int?>("SELECT DISTINCT version FROM devices", transaction: transaction))
        {
            merged.AddRange(await PageDevicesAsync(filter with { Version = version }, version is null ? "version IS NULL" : "version = @Version", silentBefore, afterId, limit));
        }
        return [.. merged.OrderBy(d => d.Id, StringComparer.Ordinal).Take(limit)];
    }

    private Task<IReadOnlyList<DeviceSummaryRow>> PageDevicesAsync(DeviceFilter filter, string? versionCondition, long silentBefore, string? afterId, int limit)
    {
        // Only the conditions asked for, so the planner can use the index of the one that is there (version, group).
        var conditions = new List<string> { "id > @afterId" };
        if (versionCondition is not null)
        {
            conditions.Add(versionCondition);
        }
        if (filter.Group is not null)
        {
            conditions.Add("group_name = @Group");
        }
        if (filter.State is not null)
        {
            conditions.Add(DeviceState.Condition(filter.State));
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
