namespace Appliance.Fleet.Storage;

/// <summary>Which devices a list shows; a null field does not filter.</summary>
public sealed record DeviceFilter(string? Group = null, int? Version = null, string? State = null);
