using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Appliance.Fleet.Storage.Sqlite;

/// <summary>
/// The fleet database in one SQLite file: WAL (readers never wait for the writer), a busy timeout, foreign keys,
/// and every transaction BEGIN IMMEDIATE so two writers never deadlock upgrading a read lock.
/// </summary>
public sealed class SqliteFleetStore : IFleetStore
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteFull = 13;

    private readonly string connectionString;
    private readonly int busyTimeoutMilliseconds;

    static SqliteFleetStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public SqliteFleetStore(string databaseFile, TimeSpan busyTimeout)
    {
        busyTimeoutMilliseconds = (int)busyTimeout.TotalMilliseconds;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databaseFile,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        }.ToString();
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // WAL is a property of the file: set once, kept.
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);");
        foreach (var (version, sql) in FleetMigrations.ForSqlite)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
            await FleetMigrations.ApplyOnceAsync(connection, transaction, version, sql);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    // deferred: false is BEGIN IMMEDIATE: the write lock is taken (or waited for) up front.
    public Task<T> InTransactionAsync<T>(Func<IFleetTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(deferred: false, (connection, transaction) => work(new SqlFleetTransaction(connection, transaction)), cancellationToken);

    // Deferred: a read snapshot taken at the first read, and no lock a writer waits for (WAL).
    public Task<T> ReadAsync<T>(Func<IFleetTransaction, IFleetView, Task<T>> query, CancellationToken cancellationToken) =>
        RunAsync(deferred: true, (connection, transaction) => query(new SqlFleetTransaction(connection, transaction, readOnly: true), new SqlFleetView(connection, transaction)),
            cancellationToken);

    private async Task<T> RunAsync<T>(bool deferred, Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction(IsolationLevel.Serializable, deferred);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteBusy or SqliteLocked or SqliteFull)
        {
            throw new FleetStoreBusyException($"The fleet database is busy or full: {e.Message}", e);
        }
    }

    public void Dispose() => SqliteConnection.ClearAllPools();

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await connection.ExecuteAsync($"PRAGMA busy_timeout = {busyTimeoutMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;");
        return connection;
    }
}
