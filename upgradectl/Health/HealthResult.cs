namespace Appliance.Upgradectl.Health;

public sealed record HealthResult(string Check, bool Healthy, string Detail);
