namespace Appliance.Fleet.Api;

/// <summary>The devices told to roll back.</summary>
public sealed record RollbackResponse(IReadOnlyList<string> Devices);
