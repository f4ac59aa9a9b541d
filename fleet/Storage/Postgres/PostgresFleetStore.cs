using System.Data;
using Dapper;
using Npgsql;

namespace Appliance.Fleet.Storage.Postgres;

/// <summary>
/// The fleet database on a PostgreSQL server that several fleet nodes share. Every transaction first takes one
/// transaction-scoped advisory lock, so decisions are serialized across all nodes exactly as SQLite's BEGIN IMMEDIATE
/// serializes them in one file: two nodes that see the deciding reports at once still decide once. The lock waits at
/// most the busy timeout (lock_timeout), then the request is answered 503 with Retry-After.
/// </summary>
public sealed class PostgresFleetStore : IFleetStore
{
    /// <summary>The advisory lock key of fleet decisions ("fleet" in ASCII); a constant every node agrees on.</summary>
    private const long DecisionLock = 0x666c656574;

    private const long MigrationLock = DecisionLock + 1;

    private readonly NpgsqlDataSource dataSource;
    private readonly int busyTimeoutMilliseconds;

    static PostgresFleetStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public PostgresFleetStore(string connectionString, TimeSpan busyTimeout)
    {
        busyTimeoutMilliseconds = (int)busyTimeout.TotalMilliseconds;
        dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        // Nodes starting together migrate one after the other; the second finds every step recorded.
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@MigrationLock)", new { MigrationLock }, transaction);
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)", transaction: transaction);
        foreach (var (version, sql) in FleetMigrations.ForPostgres)
        {
            await FleetMigrations.ApplyOnceAsync(connection, transaction, version, sql);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public Task<T> InTransactionAsync<T>(Func<IFleetTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(IsolationLevel.ReadCommitted, $"SET LOCAL lock_timeout = {busyTimeoutMilliseconds}; SELECT pg_advisory_xact_lock({DecisionLock});",
            (connection, transaction) => work(new SqlFleetTransaction(connection, transaction)), cancellationToken);

    // No advisory lock: readers never wait for decisions, and a snapshot keeps one page's numbers consistent.
    public Task<T> ReadAsync<T>(Func<IFleetTransaction, IFleetView, Task<T>> query, CancellationToken cancellationToken) =>
        RunAsync(IsolationLevel.RepeatableRead, "SET TRANSACTION READ ONLY",
            (connection, transaction) => query(new SqlFleetTransaction(connection, transaction, readOnly: true), new SqlFleetView(connection, transaction)), cancellationToken);

    private async Task<T> RunAsync<T>(IsolationLevel isolation, string setup, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken);
            await connection.ExecuteAsync(setup, transaction: transaction);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.SerializationFailure
            or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.DiskFull)
        {
            throw new FleetStoreBusyException($"The fleet database is busy or full: {e.MessageText}", e);
        }
    }

    public void Dispose() => dataSource.Dispose();
}
