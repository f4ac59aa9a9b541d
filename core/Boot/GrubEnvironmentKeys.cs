namespace Appliance.Core.Boot;

/// <summary>Names of the boot-state variables kept in the GRUB environment block on the host partition.</summary>
public static class GrubEnvironmentKeys
{
    /// <summary>The confirmed image: booted whenever there is no trial. Never consumes tries.</summary>
    public const string Default = "appliance_default";

    /// <summary>The image that was the default before the current one was confirmed.</summary>
    public const string Previous = "appliance_previous";

    /// <summary>An image on trial; empty when none.</summary>
    public const string Trial = "appliance_trial";

    /// <summary>How many more boots the trial image gets; GRUB counts it down before each trial boot.</summary>
    public const string TrialTries = "appliance_tries";

    /// <summary>Set by GRUB to the trial's version when its tries ran out without a confirmation.</summary>
    public const string TrialFailed = "appliance_trial_failed";
}
