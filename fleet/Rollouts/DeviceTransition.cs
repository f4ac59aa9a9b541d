namespace Appliance.Fleet.Rollouts;

/// <summary>A device's move to <paramref name="State"/> in a rollout, and why.</summary>
public sealed record DeviceTransition(string State, string Detail);
