namespace Appliance.Fleet.Api;

/// <summary>Force devices back to <paramref name="To"/>: exactly one of one device, a group, or every device on a version.</summary>
public sealed record RollbackRequest(string? Device, string? Group, int? Version, int To, string Reason);
