namespace Appliance.Fleet.Storage;

/// <summary>
/// What the fleet overview says of a device, first match wins: revoked; told to roll back and not yet asked for it;
/// silent (not seen for three check-in intervals, or never); running an action; else ok. Computed in SQL
/// (<see cref="Sql"/>) so the overview is one aggregate query.
/// </summary>
public static class DeviceState
{
    public const string Revoked = "revoked";
    public const string RollbackPending = "rollback_pending";
    public const string Silent = "silent";
    public const string Busy = "busy";
    public const string Ok = "ok";

    /// <summary>Missed check-ins after which a device counts as silent.</summary>
    public const int SilentAfterIntervals = 3;

    public static IReadOnlyList<string> All { get; } = [Ok, Busy, RollbackPending, Silent, Revoked];

    /// <summary>The state as an SQL expression over the devices table (parameter <c>@silentBefore</c>).</summary>
    public const string Sql = $"""
        CASE WHEN revoked_at IS NOT NULL THEN '{Revoked}' WHEN rollback_to IS NOT NULL THEN '{RollbackPending}'
        WHEN last_seen IS NULL OR last_seen < @silentBefore THEN '{Silent}' WHEN open_action_id IS NOT NULL THEN '{Busy}' ELSE '{Ok}' END
        """;
}
