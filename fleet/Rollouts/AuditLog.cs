using System.Text.Json;
using Appliance.Fleet.Storage;

namespace Appliance.Fleet.Rollouts;

/// <summary>Writes audit entries: every operator action and every automatic decision, in the transaction that makes it.</summary>
public static class AuditLog
{
    /// <summary>The actor name of automatic decisions.</summary>
    public const string Engine = "engine";

    public static Task AppendAsync(IFleetTransaction transaction, long now, string actor, string action, string subject, string? reason,
        object? before, object? after) =>
        transaction.AppendAuditAsync(new AuditRow
        {
            Time = now, Actor = actor, Action = action, Subject = subject, Reason = reason, Before = Describe(before), After = Describe(after),
        });

    private static string? Describe(object? value) => value switch
    {
        null => null,
        string text => text,
        _ => JsonSerializer.Serialize(value, AuditJson.Options),
    };
}
