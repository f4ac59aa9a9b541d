namespace Appliance.Fleet.Api;

/// <param name="Token">The secret, shown this once (only its hash is stored).</param>
public sealed record TokenResponse(string Id, string Token, string Group, int MaxUses, long ExpiresAt);
