namespace Appliance.Upgradectl.Agent;

/// <summary>An action the agent began and has not yet recorded an outcome for (persisted before the command starts).</summary>
public sealed record StartedAction(string Id, string Kind, int Version, DateTimeOffset Started);
