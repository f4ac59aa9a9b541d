using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Fleet;

/// <summary>The web view's pages on the embedded default store: SQLite in the data directory.</summary>
[Collection(SerialCollection.Name)]
public sealed class FleetWebPagesTestsOnSqlite : FleetWebPagesTests
{
    protected override string[] StoreOptions => [];
}
