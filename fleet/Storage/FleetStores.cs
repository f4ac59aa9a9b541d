using Appliance.Fleet.Storage.Postgres;
using Appliance.Fleet.Storage.Sqlite;

namespace Appliance.Fleet.Storage;

/// <summary>Chooses the store: a PostgreSQL connection string when one is given, else SQLite in the data directory.</summary>
public static class FleetStores
{
    public const string SqliteFile = "fleet.db";

    public static IFleetStore Open(string? postgresConnectionString, string dataDirectory, TimeSpan busyTimeout) =>
        string.IsNullOrWhiteSpace(postgresConnectionString)
            ? new SqliteFleetStore(Path.Combine(dataDirectory, SqliteFile), busyTimeout)
            : new PostgresFleetStore(postgresConnectionString, busyTimeout);
}
