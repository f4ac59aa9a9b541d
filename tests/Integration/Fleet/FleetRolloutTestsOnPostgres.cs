using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Fleet;

/// <summary>The rollout tests on a real PostgreSQL cluster (one per class, a fresh database per test).</summary>
[Collection(SerialCollection.Name)]
public sealed class FleetRolloutTestsOnPostgres(PostgresFixture postgres) : FleetRolloutTests, IClassFixture<PostgresFixture>
{
    protected override string[] StoreOptions => ["--database", postgres.Cluster.NewDatabase()];
}
