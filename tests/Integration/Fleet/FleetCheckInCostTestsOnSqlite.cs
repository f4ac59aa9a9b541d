using Appliance.Fleet.Storage;
using Appliance.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Appliance.Tests.Integration.Fleet;

/// <summary>The check-in cost tests on SQLite: <c>PRAGMA data_version</c> changes when another connection commits anything.</summary>
[Collection(SerialCollection.Name)]
public sealed class FleetCheckInCostTestsOnSqlite : FleetCheckInCostTests, IDisposable
{
    private SqliteConnection? observer;

    protected override string[] StoreOptions => [];

    protected override async Task<string> WriteMarkAsync(RunningFleet node)
    {
        // One connection held open: data_version is only comparable on the same connection.
        if (observer is null)
        {
            observer = new SqliteConnection($"Data Source={Path.Combine(node.DataDirectory, FleetStores.SqliteFile)};Mode=ReadOnly;Pooling=False");
            await observer.OpenAsync();
        }
        await using var command = observer.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    public void Dispose() => observer?.Dispose();
}
