namespace Appliance.Fleet.Storage;

/// <summary>A check-in that changed nothing: only its sequence and time are kept, in memory, until the next flush.</summary>
public sealed record DeviceSeen(string DeviceId, long Sequence, long SeenAt);
