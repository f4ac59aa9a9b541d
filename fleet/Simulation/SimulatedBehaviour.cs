namespace Appliance.Fleet.Simulation;

/// <summary>What a simulated appliance does when told to apply.</summary>
public enum SimulatedBehaviour
{
    /// <summary>Reboots into the new image, whose health check confirms it.</summary>
    Healthy,

    /// <summary>Reboots into the new image, whose trial fails: GRUB goes back to the previous image (boot_state.trial_failed = N).</summary>
    FailsTrial,

    /// <summary>Never checks in again after the apply (hung reboot, dead disk).</summary>
    SilentAfterApply,
}
