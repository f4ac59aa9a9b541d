using System.Text.Json;

namespace Appliance.Core.Fleet;

/// <summary>What a device sends at every check-in.</summary>
/// <param name="Sequence">Increases by one with every check-in the agent sends (persisted on the host partition); the server refuses a sequence it has already seen (replay).</param>
/// <param name="Status">The document <c>upgradectl status --json</c> prints (docs/status-json.md), verbatim.</param>
/// <param name="Outcomes">Results of actions finished since the last acknowledged check-in, oldest first.</param>
/// <param name="ActionInProgress">The id of an action the agent is executing now, or null.</param>
public sealed record CheckInRequest(long Sequence, JsonElement Status, IReadOnlyList<ActionOutcome> Outcomes, string? ActionInProgress);
