namespace Appliance.Fleet.Storage;

/// <summary>One append-only audit entry: who (an operator token's name, or <c>engine</c>), what, about what, why, before and after.</summary>
public sealed record AuditRow
{
    public long Id { get; init; }
    public long Time { get; init; }
    public string Actor { get; init; } = "";
    public string Action { get; init; } = "";
    public string Subject { get; init; } = "";
    public string? Reason { get; init; }
    public string? Before { get; init; }
    public string? After { get; init; }
}
