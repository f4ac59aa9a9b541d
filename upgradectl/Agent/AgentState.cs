using Appliance.Core.Fleet;

namespace Appliance.Upgradectl.Agent;

/// <summary>
/// The agent's memory on the host partition (<c>agent-state.json</c>), so a killed or rebooted agent neither reuses a
/// sequence number, nor loses an outcome, nor runs an action twice.
/// </summary>
/// <param name="Sequence">The last check-in sequence sent.</param>
/// <param name="Unacknowledged">Outcomes the fleet has not confirmed storing; sent with every check-in.</param>
/// <param name="Running">The action begun and not finished; after a restart it is reported as interrupted, never rerun.</param>
/// <param name="Finished">The most recent outcomes, to answer a re-offered action with its outcome instead of running it again.</param>
public sealed record AgentState(long Sequence, IReadOnlyList<ActionOutcome> Unacknowledged, StartedAction? Running, IReadOnlyList<ActionOutcome> Finished)
{
    public const int FinishedKept = 32;

    public static AgentState Empty { get; } = new(0, [], null, []);

    public bool HasFinished(string actionId) => Finished.Any(outcome => outcome.ActionId == actionId);

    public AgentState Start(StartedAction action) => this with { Running = action };

    /// <summary>The action ended without running to completion through no fault of its own (the host lock was busy): it may run again.</summary>
    public AgentState Abandon() => this with { Running = null };

    public AgentState Finish(ActionOutcome outcome) => this with
    {
        Running = Running?.Id == outcome.ActionId ? null : Running,
        Unacknowledged = [.. Unacknowledged.Where(o => o.ActionId != outcome.ActionId), outcome],
        Finished = [.. Finished.Where(o => o.ActionId != outcome.ActionId).TakeLast(FinishedKept - 1), outcome],
    };

    /// <summary>A re-offered action that already finished: send its outcome again.</summary>
    public AgentState Resend(string actionId) =>
        Unacknowledged.Any(o => o.ActionId == actionId) ? this
            : this with { Unacknowledged = [.. Unacknowledged, Finished.Single(o => o.ActionId == actionId)] };

    public AgentState Acknowledge(IReadOnlyCollection<string> actionIds) =>
        this with { Unacknowledged = [.. Unacknowledged.Where(o => !actionIds.Contains(o.ActionId))] };
}
