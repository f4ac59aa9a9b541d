namespace Appliance.Tests.Support;

/// <summary>One throwaway PostgreSQL cluster shared by a test class (xunit class fixture); tests take a database each.</summary>
public sealed class PostgresFixture : IDisposable
{
    private readonly Lazy<PostgresCluster> cluster = new(PostgresCluster.Start);

    public PostgresCluster Cluster => cluster.Value;

    public void Dispose()
    {
        if (cluster.IsValueCreated)
        {
            cluster.Value.Dispose();
        }
    }
}
