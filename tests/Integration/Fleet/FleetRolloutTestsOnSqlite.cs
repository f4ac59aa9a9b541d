namespace Appliance.Tests.Integration.Fleet;

/// <summary>The rollout tests on the embedded default store: SQLite in the data directory.</summary>
public sealed class FleetRolloutTestsOnSqlite : FleetRolloutTests
{
    protected override string[] StoreOptions => [];
}
