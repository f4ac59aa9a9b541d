using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Fleet;

/// <summary>The web view's pages on a real PostgreSQL cluster (one per class, a fresh database per test).</summary>
[Collection(SerialCollection.Name)]
public sealed class FleetWebPagesTestsOnPostgres(PostgresFixture postgres) : FleetWebPagesTests, IClassFixture<PostgresFixture>
{
    protected override string[] StoreOptions => ["--database", postgres.Cluster.NewDatabase()];
}
