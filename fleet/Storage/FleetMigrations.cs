using System.Data.Common;
using Dapper;
using Serilog;

namespace Appliance.Fleet.Storage;

/// <summary>
/// The schema, as numbered steps applied once each and recorded in <c>schema_migrations</c>. Never edit a step that
/// shipped: add the next one. Times are Unix milliseconds; booleans are 0/1 integers. Written once in SQLite's
/// dialect; PostgreSQL gets the same steps with 64-bit integers (what SQLite stores) and identity keys.
/// </summary>
public static class FleetMigrations
{
    public static IReadOnlyList<(int Version, string Sql)> ForSqlite { get; } =
    [
        (1, """
            CREATE TABLE operator_tokens (token_hash TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL);
            CREATE TABLE device_groups (
                name TEXT PRIMARY KEY, channel TEXT NOT NULL, window_cron TEXT NULL, window_time_zone TEXT NULL,
                window_minutes INTEGER NULL, max_switching INTEGER NOT NULL, created_at INTEGER NOT NULL);
            CREATE TABLE enrolment_tokens (
                token_hash TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, group_name TEXT NOT NULL REFERENCES device_groups(name),
                max_uses INTEGER NOT NULL, uses INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked INTEGER NOT NULL,
                created_at INTEGER NOT NULL);
            CREATE TABLE devices (
                id TEXT PRIMARY KEY, group_name TEXT NOT NULL REFERENCES device_groups(name), hostname TEXT NOT NULL,
                bucket INTEGER NOT NULL, enrolled_at INTEGER NOT NULL, revoked_at INTEGER NULL, last_seen INTEGER NULL,
                last_sequence INTEGER NOT NULL, version INTEGER NULL, unknown_version INTEGER NULL, status_json TEXT NULL,
                open_action_id TEXT NULL, rollback_to INTEGER NULL, rollback_reason TEXT NULL);
            CREATE INDEX devices_group_bucket ON devices(group_name, bucket);
            CREATE TABLE known_versions (version INTEGER PRIMARY KEY);
            CREATE TABLE actions (
                id TEXT PRIMARY KEY, device_id TEXT NOT NULL REFERENCES devices(id), kind TEXT NOT NULL,
                version INTEGER NOT NULL, rollout_id INTEGER NULL, reason TEXT NULL, payload TEXT NOT NULL,
                created_at INTEGER NOT NULL, result TEXT NULL, exit_code INTEGER NULL, message TEXT NULL,
                finished_at INTEGER NULL);
            CREATE INDEX actions_device ON actions(device_id, created_at);
            CREATE TABLE rollouts (
                id INTEGER PRIMARY KEY, channel TEXT NOT NULL, version INTEGER NOT NULL, repository_url TEXT NOT NULL,
                rings TEXT NOT NULL, current_ring INTEGER NOT NULL, state TEXT NOT NULL, policy TEXT NOT NULL,
                advance_per_mille INTEGER NOT NULL, min_confirmed INTEGER NOT NULL, silence_seconds INTEGER NOT NULL,
                given INTEGER NOT NULL, confirmed INTEGER NOT NULL, failed INTEGER NOT NULL, state_reason TEXT NULL,
                created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
            CREATE INDEX rollouts_channel ON rollouts(channel, state);
            CREATE TABLE rollout_rings (
                rollout_id INTEGER NOT NULL REFERENCES rollouts(id), ring INTEGER NOT NULL, given INTEGER NOT NULL,
                confirmed INTEGER NOT NULL, failed INTEGER NOT NULL, PRIMARY KEY (rollout_id, ring));
            CREATE TABLE rollout_devices (
                rollout_id INTEGER NOT NULL REFERENCES rollouts(id), device_id TEXT NOT NULL REFERENCES devices(id),
                ring INTEGER NOT NULL, state TEXT NOT NULL, from_version INTEGER NULL, deadline_at INTEGER NULL,
                detail TEXT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (rollout_id, device_id));
            CREATE INDEX rollout_devices_deadline ON rollout_devices(state, deadline_at);
            CREATE INDEX rollout_devices_device ON rollout_devices(device_id, state);
            CREATE TABLE audit (
                id INTEGER PRIMARY KEY, time INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                subject TEXT NOT NULL, reason TEXT NULL, before TEXT NULL, after TEXT NULL);
            CREATE INDEX audit_subject ON audit(subject, id);
            """),
        // The web view (IFleetView) without reading the devices table, whose rows carry each status document: devices
        // per version and state from one index (it holds every column of DeviceState), devices listed by version in id
        // order; a rollout's devices counted by ring and state and listed by state; ring sizes with the revoked flag.
        (2, """
            CREATE INDEX devices_version_state ON devices(version, id, revoked_at, rollback_to, last_seen, open_action_id);
            CREATE INDEX rollout_devices_rollout ON rollout_devices(rollout_id, state, device_id, ring);
            CREATE INDEX devices_group_bucket_revoked ON devices(group_name, bucket, revoked_at);
            DROP INDEX devices_group_bucket;
            """),
    ];

    public static IReadOnlyList<(int Version, string Sql)> ForPostgres { get; } =
        [.. ForSqlite.Select(step => (step.Version, ToPostgres(step.Sql)))];

    private static string ToPostgres(string sql) => sql
        .Replace("id INTEGER PRIMARY KEY", "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", StringComparison.Ordinal)
        .Replace("INTEGER", "BIGINT", StringComparison.Ordinal);

    /// <summary>Applies step <paramref name="version"/> in <paramref name="transaction"/> unless schema_migrations records it already.</summary>
    public static async Task ApplyOnceAsync(DbConnection connection, DbTransaction transaction, int version, string sql)
    {
        var applied = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations WHERE version = @version", new { version }, transaction);
        if (applied == 0)
        {
            await connection.ExecuteAsync(sql, transaction: transaction);
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @now)",
                new { version, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, transaction);
            Log.Information("Applied fleet schema migration {Version}", version);
        }
    }
}
