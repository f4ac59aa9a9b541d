using Appliance.Tests.Support;
using Npgsql;

namespace Appliance.Tests.Integration.Fleet;

/// <summary>
/// The check-in cost tests on a real PostgreSQL: every transaction that writes gets a transaction id, so the next id
/// to be assigned stands still while nothing is written (a read-only transaction gets none).
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class FleetCheckInCostTestsOnPostgres(PostgresFixture postgres) : FleetCheckInCostTests, IClassFixture<PostgresFixture>
{
    private readonly string database = postgres.Cluster.NewDatabase();

    protected override string[] StoreOptions => ["--database", database];

    protected override async Task<string> WriteMarkAsync(RunningFleet node)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_snapshot_xmax(pg_current_snapshot())::text", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
