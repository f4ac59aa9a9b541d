namespace Appliance.Fleet.Storage;

/// <summary>How many devices run one version (null: none reported yet) in one <see cref="DeviceState"/>.</summary>
public sealed record VersionStateCount
{
    public int? Version { get; init; }
    public string State { get; init; } = "";
    public long Devices { get; init; }
}
