namespace Appliance.Fleet.Storage;

/// <summary>A device as a list shows it, with its <see cref="DeviceState"/> computed by the query.</summary>
public sealed record DeviceSummaryRow
{
    public string Id { get; init; } = "";
    public string GroupName { get; init; } = "";
    public string Hostname { get; init; } = "";
    public int? Version { get; init; }
    public long? LastSeen { get; init; }
    public string State { get; init; } = "";
}
