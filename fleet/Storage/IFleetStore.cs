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
    /// Runs read-only <paramref name="query"/> on one consistent snapshot without taking the writers' lock, so page
    /// views and unchanged check-ins never hold up decisions (SQLite: a deferred transaction under WAL; PostgreSQL: READ ONLY,
    /// repeatable read); any write it attempts throws <see cref="FleetWriteNeededException"/>.
    /// </summary>
    Task<T> ReadAsync<T>(Func<IFleetTransaction, IFleetView, Task<T>> query, CancellationToken cancellationToken);
}
