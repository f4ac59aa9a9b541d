namespace Appliance.Fleet.Api;

public sealed record TokenRequest(string Group, int MaxUses, int ExpiresInHours);
