namespace Appliance.Fleet.Rollouts;

/// <summary>A request the fleet refuses, with the HTTP status that says why (400, 403, 404, 409, 413).</summary>
public sealed class FleetRequestException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
