namespace Appliance.Fleet.Storage;

/// <summary>
/// The fleet's database. Every decision runs inside one transaction that is serialized against other writers (SQLite:
/// BEGIN IMMEDIATE; PostgreSQL: row locks), so several fleet nodes can share one database and a node killed at any
/// point leaves either all of a decision or none of it. Nothing that matters lives in memory between requests.
/// </summary>
public interface IFleetStore : IDisposable
{
    /// <summary>Creates or upgrades the schema (numbered migrations, each recorded once).</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one write transaction and commits it; throws <see cref="FleetStoreBusyException"/> when the database stays locked past the busy timeout.</summary>
    Task<T> InTransactionAsync<T>(Func<IFleetTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in a read-only transaction on one consistent snapshot, taking no write lock (so it
    /// neither waits for writers nor holds them up); any write it attempts throws <see cref="FleetWriteNeededException"/>.
    /// </summary>
    Task<T> ReadAsync<T>(Func<IFleetTransaction, Task<T>> work, CancellationToken cancellationToken);
}
