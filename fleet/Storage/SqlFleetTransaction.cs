using System.Data.Common;
using Dapper;

namespace Appliance.Fleet.Storage;

/// <summary>
/// <see cref="IFleetTransaction"/> on one connection and transaction, in SQL that SQLite and PostgreSQL both run
/// (every integer column is 64-bit in both schemas, so rows map the same way). A read-only one refuses every write
/// with <see cref="FleetWriteNeededException"/> before sending it.
/// </summary>
internal sealed class SqlFleetTransaction(DbConnection connection, DbTransaction transaction, bool readOnly = false) : IFleetTransaction
{
    /// <summary>Rows sent per statement by <see cref="RecordSeenAsync"/>: three parameters each, far below both databases' limits.</summary>
    private const int SeenRowsPerStatement = 500;

    public bool HasWritten { get; private set; }

    private const string DeviceColumns =
        "id, group_name, hostname, bucket, enrolled_at, revoked_at, last_seen, last_sequence, version, unknown_version, status_json, open_action_id, rollback_to, rollback_reason";

    private const string RolloutColumns =
        "id, channel, version, repository_url, rings, current_ring, state, policy, advance_per_mille, min_confirmed, silence_seconds, given, confirmed, failed, state_reason, created_at, updated_at";

    public Task<string?> OperatorNameAsync(string tokenHash) =>
        QuerySingleOrDefault<string>("SELECT name FROM operator_tokens WHERE token_hash = @tokenHash", new { tokenHash });

    public Task InsertOperatorTokenAsync(string tokenHash, string name, long now) =>
        Execute("INSERT INTO operator_tokens (token_hash, name, created_at) VALUES (@tokenHash, @name, @now)", new { tokenHash, name, now });

    public Task<GroupRow?> GetGroupAsync(string name) =>
        QuerySingleOrDefault<GroupRow>("SELECT name, channel, window_cron, window_time_zone, window_minutes, max_switching FROM device_groups WHERE name = @name", new { name });

    public Task<IReadOnlyList<GroupRow>> ListGroupsAsync() =>
        Query<GroupRow>("SELECT name, channel, window_cron, window_time_zone, window_minutes, max_switching FROM device_groups ORDER BY name", null);

    public Task InsertGroupAsync(GroupRow group, long now) =>
        Execute("""
            INSERT INTO device_groups (name, channel, window_cron, window_time_zone, window_minutes, max_switching, created_at)
            VALUES (@Name, @Channel, @WindowCron, @WindowTimeZone, @WindowMinutes, @MaxSwitching, @now)
            """, new { group.Name, group.Channel, group.WindowCron, group.WindowTimeZone, group.WindowMinutes, group.MaxSwitching, now });

    public Task UpdateGroupAsync(GroupRow group) =>
        Execute("""
            UPDATE device_groups SET channel = @Channel, window_cron = @WindowCron, window_time_zone = @WindowTimeZone,
                window_minutes = @WindowMinutes, max_switching = @MaxSwitching WHERE name = @Name
            """, group);

    public Task<EnrolmentTokenRow?> GetEnrolmentTokenAsync(string tokenHash) =>
        QuerySingleOrDefault<EnrolmentTokenRow>(
            "SELECT id, token_hash, group_name, max_uses, uses, expires_at, revoked FROM enrolment_tokens WHERE token_hash = @tokenHash", new { tokenHash });

    public Task InsertEnrolmentTokenAsync(EnrolmentTokenRow token, long now) =>
        Execute("""
            INSERT INTO enrolment_tokens (token_hash, id, group_name, max_uses, uses, expires_at, revoked, created_at)
            VALUES (@TokenHash, @Id, @GroupName, @MaxUses, 0, @ExpiresAt, 0, @now)
            """, new { token.TokenHash, token.Id, token.GroupName, token.MaxUses, token.ExpiresAt, now });

    public Task CountEnrolmentAsync(string tokenId) =>
        Execute("UPDATE enrolment_tokens SET uses = uses + 1 WHERE id = @tokenId", new { tokenId });

    public Task<DeviceRow?> GetDeviceAsync(string id) =>
        QuerySingleOrDefault<DeviceRow>($"SELECT {DeviceColumns} FROM devices WHERE id = @id", new { id });

    public Task InsertDeviceAsync(DeviceRow device) =>
        Execute("""
            INSERT INTO devices (id, group_name, hostname, bucket, enrolled_at, last_sequence, version)
            VALUES (@Id, @GroupName, @Hostname, @Bucket, @EnrolledAt, 0, @Version)
            """, device);

    public Task<IReadOnlyList<DeviceRow>> ListDevicesAsync(string? groupName, int? version) =>
        Query<DeviceRow>($"""
            SELECT {DeviceColumns} FROM devices
            WHERE (@groupName IS NULL OR group_name = @groupName) AND (@version IS NULL OR version = @version)
            ORDER BY id
            """, new { groupName, version });

    public Task RecordCheckInAsync(string id, long sequence, int? version, int? unknownVersion, string statusJson, long now) =>
        Execute("""
            UPDATE devices SET last_sequence = @sequence, version = @version, unknown_version = @unknownVersion,
                status_json = @statusJson, last_seen = @now WHERE id = @id
            """, new { id, sequence, version, unknownVersion, statusJson, now });

    public async Task RecordSeenAsync(IReadOnlyList<DeviceSeen> seen)
    {
        foreach (var chunk in seen.Chunk(SeenRowsPerStatement))
        {
            // A VALUES list names its columns column1.. in both databases; a newer sequence already stored (a report
            // that changed something, written at once, possibly by another node) is never moved back.
            var parameters = new DynamicParameters();
            var rows = new List<string>(chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                parameters.Add($"i{i}", chunk[i].DeviceId);
                parameters.Add($"q{i}", chunk[i].Sequence);
                parameters.Add($"t{i}", chunk[i].SeenAt);
                rows.Add($"(@i{i}, @q{i}, @t{i})");
            }
            await Execute($"""
                UPDATE devices SET last_sequence = s.column2, last_seen = s.column3
                FROM (VALUES {string.Join(", ", rows)}) AS s WHERE devices.id = s.column1 AND devices.last_sequence < s.column2
                """, parameters);
        }
    }

    public Task SetOpenActionAsync(string id, string? actionId) =>
        Execute("UPDATE devices SET open_action_id = @actionId WHERE id = @id", new { id, actionId });

    public Task SetRollbackAsync(string id, int? to, string? reason) =>
        Execute("UPDATE devices SET rollback_to = @to, rollback_reason = @reason WHERE id = @id", new { id, to, reason });

    public Task RevokeDeviceAsync(string id, long now) =>
        Execute("UPDATE devices SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL", new { id, now });

    public Task<int> CountDevicesInBucketsAsync(string channel, int from, int to) =>
        ExecuteScalar("""
            SELECT COUNT(*) FROM devices d JOIN device_groups g ON g.name = d.group_name
            WHERE g.channel = @channel AND d.revoked_at IS NULL AND d.bucket >= @from AND d.bucket < @to
            """, new { channel, from, to });

    public Task<int> CountSwitchingAsync(string groupName) =>
        ExecuteScalar("""
            SELECT COUNT(*) FROM rollout_devices r JOIN devices d ON d.id = r.device_id
            WHERE d.group_name = @groupName AND r.state = 'switching'
            """, new { groupName });

    public Task AddKnownVersionAsync(int version) =>
        Execute("INSERT INTO known_versions (version) SELECT @version WHERE NOT EXISTS (SELECT 1 FROM known_versions WHERE version = @version)", new { version });

    public async Task<bool> IsKnownVersionAsync(int version) =>
        await ExecuteScalar("SELECT COUNT(*) FROM known_versions WHERE version = @version", new { version }) > 0;

    public Task<ActionRow?> GetActionAsync(string id) =>
        QuerySingleOrDefault<ActionRow>(
            "SELECT id, device_id, kind, version, rollout_id, reason, payload, created_at, result, exit_code, message, finished_at FROM actions WHERE id = @id", new { id });

    public Task InsertActionAsync(ActionRow action) =>
        Execute("""
            INSERT INTO actions (id, device_id, kind, version, rollout_id, reason, payload, created_at)
            VALUES (@Id, @DeviceId, @Kind, @Version, @RolloutId, @Reason, @Payload, @CreatedAt)
            """, action);

    public async Task<bool> FinishActionAsync(string id, string result, int exitCode, string? message, long finishedAt) =>
        await Write("""
            UPDATE actions SET result = @result, exit_code = @exitCode, message = @message, finished_at = @finishedAt
            WHERE id = @id AND result IS NULL
            """, new { id, result, exitCode, message, finishedAt }) == 1;

    public Task<IReadOnlyList<ActionRow>> ListActionsAsync(string deviceId, int limit) =>
        Query<ActionRow>("""
            SELECT id, device_id, kind, version, rollout_id, reason, payload, created_at, result, exit_code, message, finished_at
            FROM actions WHERE device_id = @deviceId ORDER BY created_at DESC, id LIMIT @limit
            """, new { deviceId, limit });

    public async Task<long> InsertRolloutAsync(RolloutRow rollout, int ringCount)
    {
        BeforeWrite();
        var id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO rollouts (channel, version, repository_url, rings, current_ring, state, policy, advance_per_mille,
                min_confirmed, silence_seconds, given, confirmed, failed, state_reason, created_at, updated_at)
            VALUES (@Channel, @Version, @RepositoryUrl, @Rings, 0, @State, @Policy, @AdvancePerMille, @MinConfirmed,
                @SilenceSeconds, 0, 0, 0, NULL, @CreatedAt, @CreatedAt)
            RETURNING id
            """, rollout, transaction);
        for (var ring = 0; ring < ringCount; ring++)
        {
            await Execute("INSERT INTO rollout_rings (rollout_id, ring, given, confirmed, failed) VALUES (@id, @ring, 0, 0, 0)", new { id, ring });
        }
        return id;
    }

    public Task<RolloutRow?> GetRolloutAsync(long id) =>
        QuerySingleOrDefault<RolloutRow>($"SELECT {RolloutColumns} FROM rollouts WHERE id = @id", new { id });

    public Task<RolloutRow?> GetOpenRolloutAsync(string channel) =>
        QuerySingleOrDefault<RolloutRow>(
            $"SELECT {RolloutColumns} FROM rollouts WHERE channel = @channel AND state IN ('active', 'paused', 'halted') ORDER BY id DESC LIMIT 1", new { channel });

    public Task<IReadOnlyList<RolloutRow>> ListRolloutsAsync() =>
        Query<RolloutRow>($"SELECT {RolloutColumns} FROM rollouts ORDER BY id", null);

    public Task SetRolloutStateAsync(long id, string state, string? reason, long now) =>
        Execute("UPDATE rollouts SET state = @state, state_reason = @reason, updated_at = @now WHERE id = @id", new { id, state, reason, now });

    public Task SetCurrentRingAsync(long id, int ring, long now) =>
        Execute("UPDATE rollouts SET current_ring = @ring, updated_at = @now WHERE id = @id", new { id, ring, now });

    public async Task AddToCountersAsync(long rolloutId, int ring, int given, int confirmed, int failed)
    {
        var change = new { rolloutId, ring, given, confirmed, failed };
        await Execute("UPDATE rollouts SET given = given + @given, confirmed = confirmed + @confirmed, failed = failed + @failed WHERE id = @rolloutId", change);
        await Execute("""
            UPDATE rollout_rings SET given = given + @given, confirmed = confirmed + @confirmed, failed = failed + @failed
            WHERE rollout_id = @rolloutId AND ring = @ring
            """, change);
    }

    public Task<IReadOnlyList<RingCounterRow>> GetRingCountersAsync(long rolloutId) =>
        Query<RingCounterRow>("SELECT rollout_id, ring, given, confirmed, failed FROM rollout_rings WHERE rollout_id = @rolloutId ORDER BY ring", new { rolloutId });

    public Task<RolloutDeviceRow?> GetRolloutDeviceAsync(long rolloutId, string deviceId) =>
        QuerySingleOrDefault<RolloutDeviceRow>(
            "SELECT rollout_id, device_id, ring, state, from_version, deadline_at, detail, updated_at FROM rollout_devices WHERE rollout_id = @rolloutId AND device_id = @deviceId",
            new { rolloutId, deviceId });

    public Task InsertRolloutDeviceAsync(RolloutDeviceRow row) =>
        Execute("""
            INSERT INTO rollout_devices (rollout_id, device_id, ring, state, from_version, deadline_at, detail, updated_at)
            VALUES (@RolloutId, @DeviceId, @Ring, @State, @FromVersion, @DeadlineAt, @Detail, @UpdatedAt)
            """, row);

    public async Task<bool> MoveRolloutDeviceAsync(long rolloutId, string deviceId, string expectedState, string newState, long? deadlineAt, string? detail, long now) =>
        await Write("""
            UPDATE rollout_devices SET state = @newState, deadline_at = @deadlineAt, detail = @detail, updated_at = @now
            WHERE rollout_id = @rolloutId AND device_id = @deviceId AND state = @expectedState
            """, new { rolloutId, deviceId, expectedState, newState, deadlineAt, detail, now }) == 1;

    public Task<IReadOnlyList<RolloutDeviceRow>> ListRolloutDevicesAsync(long rolloutId, IReadOnlyList<string>? states)
    {
        var parameters = new DynamicParameters(new { rolloutId });
        // An empty IN list is not portable SQL, so "all states" is a query without the condition.
        return Query<RolloutDeviceRow>($"""
            SELECT rollout_id, device_id, ring, state, from_version, deadline_at, detail, updated_at FROM rollout_devices
            WHERE rollout_id = @rolloutId {(states is null ? "" : $"AND state IN ({StateList(parameters, states)})")} ORDER BY device_id
            """, parameters);
    }

    public Task<IReadOnlyList<RolloutDeviceRow>> ListOpenMembershipsAsync(string deviceId, IReadOnlyList<string> states)
    {
        var parameters = new DynamicParameters(new { deviceId });
        return Query<RolloutDeviceRow>($"""
            SELECT rollout_id, device_id, ring, state, from_version, deadline_at, detail, updated_at FROM rollout_devices
            WHERE device_id = @deviceId AND state IN ({StateList(parameters, states)}) ORDER BY rollout_id
            """, parameters);
    }

    public Task<IReadOnlyList<RolloutDeviceRow>> ListOverdueAsync(long now, int limit) =>
        Query<RolloutDeviceRow>("""
            SELECT rollout_id, device_id, ring, state, from_version, deadline_at, detail, updated_at FROM rollout_devices
            WHERE state = 'switching' AND deadline_at < @now ORDER BY deadline_at LIMIT @limit
            """, new { now, limit });

    public Task AppendAuditAsync(AuditRow entry) =>
        Execute("""
            INSERT INTO audit (time, actor, action, subject, reason, before, after)
            VALUES (@Time, @Actor, @Action, @Subject, @Reason, @Before, @After)
            """, entry);

    public Task<IReadOnlyList<AuditRow>> QueryAuditAsync(long afterId, string? subject, int limit) =>
        Query<AuditRow>("""
            SELECT id, time, actor, action, subject, reason, before, after FROM audit
            WHERE id > @afterId AND (@subject IS NULL OR subject = @subject) ORDER BY id LIMIT @limit
            """, new { afterId, subject, limit });

    /// <summary>
    /// One parameter per state, named in the SQL: Dapper's own list expansion (<c>IN @list</c>) hands Npgsql an array
    /// instead, which PostgreSQL only takes as <c>= ANY(@list)</c>, and SQLite not at all.
    /// </summary>
    private static string StateList(DynamicParameters parameters, IReadOnlyList<string> states)
    {
        for (var i = 0; i < states.Count; i++)
        {
            parameters.Add($"state{i}", states[i]);
        }
        return string.Join(", ", states.Select((_, i) => $"@state{i}"));
    }

    private Task Execute(string sql, object? parameters) => Write(sql, parameters);

    private Task<int> Write(string sql, object? parameters)
    {
        BeforeWrite();
        return connection.ExecuteAsync(sql, parameters, transaction);
    }

    private void BeforeWrite()
    {
        if (readOnly)
        {
            throw new FleetWriteNeededException();
        }
        HasWritten = true;
    }

    private async Task<int> ExecuteScalar(string sql, object? parameters) => (int)await connection.ExecuteScalarAsync<long>(sql, parameters, transaction);

    private Task<T?> QuerySingleOrDefault<T>(string sql, object? parameters) => connection.QuerySingleOrDefaultAsync<T>(sql, parameters, transaction);

    private async Task<IReadOnlyList<T>> Query<T>(string sql, object? parameters) => [.. await connection.QueryAsync<T>(sql, parameters, transaction)];
}
