namespace Appliance.Upgradectl.Health;

/// <summary>One kind of post-boot check; it may report several results (one per script, one per unit).</summary>
public interface IHealthCheck
{
    Task<IReadOnlyList<HealthResult>> RunAsync(CancellationToken cancellationToken);
}
