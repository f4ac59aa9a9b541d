namespace Appliance.Fleet.Storage;

/// <summary>One enrolled device. Times are Unix milliseconds (portable across SQLite and PostgreSQL).</summary>
public sealed record DeviceRow
{
    public string Id { get; init; } = "";
    public string GroupName { get; init; } = "";
    public string Hostname { get; init; } = "";
    /// <summary>Ring bucket (0..9999), a function of the id, stored so ring membership can be counted in SQL.</summary>
    public int Bucket { get; init; }
    public long EnrolledAt { get; init; }
    public long? RevokedAt { get; init; }
    public long? LastSeen { get; init; }
    public long LastSequence { get; init; }
    public int? Version { get; init; }
    /// <summary>The last version the device reported that the fleet knows nothing of (no rollout, no enrolment named it).</summary>
    public int? UnknownVersion { get; init; }
    public string? StatusJson { get; init; }
    /// <summary>The action handed out and not yet finished; a device never has two.</summary>
    public string? OpenActionId { get; init; }
    /// <summary>A roll back the device gets at its next check-in when no action is open (support, pull-back).</summary>
    public int? RollbackTo { get; init; }
    public string? RollbackReason { get; init; }
}
