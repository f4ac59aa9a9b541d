namespace Appliance.Fleet.Rollouts;

/// <summary>States of a rollout. Active hands out actions; paused and halted only count reports; aborted and completed are closed.</summary>
public static class RolloutState
{
    public const string Active = "active";
    public const string Paused = "paused";
    public const string Halted = "halted";
    public const string Aborted = "aborted";
}
