namespace Appliance.Upgradectl.Staging;

/// <param name="AllowDowngrade">Allow an image older than the confirmed default.</param>
/// <param name="ReserveBytes">Free space the host partition must keep after staging.</param>
public sealed record StageRequest(bool AllowDowngrade, long ReserveBytes)
{
    public const long DefaultReserveBytes = 256L * 1024 * 1024;
}
