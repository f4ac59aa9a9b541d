namespace Appliance.Fleet.Api;

public sealed record ReasonRequest(string Reason);
