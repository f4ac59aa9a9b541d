using Appliance.Tests.Support;
namespace Appliance.Tests.Integration.Fleet;

/// <summary>The rollout tests on the embedded default store: SQLite in the data directory.</summary>
[Collection(SerialCollection.Name)]
public sealed class FleetRolloutTestsOnSqlite : FleetRolloutTests
{
    protected override string[] StoreOptions => [];
}
