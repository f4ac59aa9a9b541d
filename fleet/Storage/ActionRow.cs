namespace Appliance.Fleet.Storage;

/// <summary>An action handed to a device and, once reported, its outcome.</summary>
public sealed record ActionRow
{
    public string Id { get; init; } = "";
    public string DeviceId { get; init; } = "";
    public string Kind { get; init; } = "";
    public int Version { get; init; }
    public long? RolloutId { get; init; }
    public string? Reason { get; init; }
    /// <summary>Serialized <see cref="Core.Fleet.DeviceAction"/> as handed out, so a resent answer is the same action.</summary>
    public string Payload { get; init; } = "";
    public long CreatedAt { get; init; }
    public string? Result { get; init; }
    public int? ExitCode { get; init; }
    public string? Message { get; init; }
    public long? FinishedAt { get; init; }
}
