namespace Appliance.Fleet.Storage;

/// <summary>A factory enrolment token; only its SHA-256 is stored.</summary>
public sealed record EnrolmentTokenRow
{
    public string Id { get; init; } = "";
    public string TokenHash { get; init; } = "";
    public string GroupName { get; init; } = "";
    public int MaxUses { get; init; }
    public int Uses { get; init; }
    public long ExpiresAt { get; init; }
    public bool Revoked { get; init; }
}
