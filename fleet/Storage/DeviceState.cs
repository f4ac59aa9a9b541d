namespace Appliance.Fleet.Storage;

/// <summary>
/// What the fleet overview says of a device, first rule that holds wins: revoked; told to roll back and not yet
/// asked for it; silent (not seen for three check-in intervals, or never); running an action; else ok. Computed in
/// SQL (parameter <c>@silentBefore</c>), so the overview is one aggregate query.
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

    /// <summary>In order; each test is true or false, never NULL, so its negation is exact.</summary>
    private static readonly (string State, string Test)[] Rules =
    [
        (Revoked, "revoked_at IS NOT NULL"),
        (RollbackPending, "rollback_to IS NOT NULL"),
        (Silent, "(last_seen IS NULL OR last_seen < @silentBefore)"),
        (Busy, "open_action_id IS NOT NULL"),
    ];

    public static IReadOnlyList<string> All { get; } = [Ok, Busy, RollbackPending, Silent, Revoked];

    /// <summary>The state as an SQL expression over the devices table.</summary>
    public static string Sql { get; } = $"CASE {string.Join(" ", Rules.Select(r => $"WHEN {r.Test} THEN '{r.State}'"))} ELSE '{Ok}' END";

    /// <summary>
    /// An SQL condition true exactly for the devices in <paramref name="state"/>: its rule and none before it. Cheaper
    /// for the database than comparing <see cref="Sql"/>, which matters when it is tested on 100,000 rows per state.
    /// </summary>
    public static string Condition(string state)
    {
        var index = Array.FindIndex(Rules, r => r.State == state);
        var earlier = Rules.Take(index < 0 ? Rules.Length : index).Select(r => $"NOT {r.Test}");
        return "(" + string.Join(" AND ", index < 0 ? earlier : earlier.Append(Rules[index].Test)) + ")";
    }
}
