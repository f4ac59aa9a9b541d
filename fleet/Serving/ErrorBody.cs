namespace Appliance.Fleet.Serving;

/// <summary>The body of every refusal.</summary>
public sealed record ErrorBody(string Error);
