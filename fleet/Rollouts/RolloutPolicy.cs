namespace Appliance.Fleet.Rollouts;

/// <summary>What a halt does: stop offering only, or also tell devices on the new version to go back.</summary>
public static class RolloutPolicy
{
    public const string HaltOnly = "halt_only";
    public const string PullBack = "pull_back";

    public static bool IsValid(string policy) => policy is HaltOnly or PullBack;
}
