namespace Appliance.Platform.Fleet;

/// <summary>What makes an appliance join a fleet: the service's URL, a factory enrolment token and the certificates to pin.</summary>
/// <param name="FleetCaFile">PEM file of the fleet CA (or the fleet's own certificate) to pin; null: the system's CAs.</param>
/// <param name="RepositoryCaFile">PEM file pinned for the repository the fleet's stage actions name; null: the system's CAs.</param>
public sealed record FleetProvisioning(string FleetUrl, string Token, string? FleetCaFile, string? RepositoryCaFile);
