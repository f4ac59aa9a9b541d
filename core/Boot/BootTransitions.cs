using Appliance.Core.Errors;

namespace Appliance.Core.Boot;

/// <summary>The userspace half of the boot-state machine: every change upgradectl makes to the boot state.</summary>
public static class BootTransitions
{
    public const int DefaultTrialTries = 3;

    /// <summary>Boot <paramref name="version"/> next, for at most <paramref name="tries"/> boots, unless it gets confirmed.</summary>
    public static BootState StartTrial(BootState state, int version, int tries)
    {
        if (tries is < 1 or > GrubConfigRenderer.MaxTrialTries)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"A trial gets 1 to {GrubConfigRenderer.MaxTrialTries} tries, not {tries}.");
        }
        if (version == state.Default)
        {
            throw new ApplianceException(ExitCode.InvalidInput, $"Image {version} is already the confirmed default.");
        }
        return state with { Trial = version, TrialTries = tries, TrialFailed = null };
    }

    /// <summary>
    /// A boot of the trial that does not pass through GRUB (a kexec): counts one try down, as the grub.cfg does before it
    /// boots a trial (<see cref="GrubConfigRenderer"/>), so a trial that never comes up ends on the default just as often.
    /// GRUB would boot no trial without tries left: neither does this.
    /// </summary>
    public static BootState CountTrialBoot(BootState state)
    {
        if (state.Trial is not { } trial)
        {
            throw new ApplianceException(ExitCode.InvalidInput, "There is no trial to boot; run upgradectl apply first.");
        }
        if (state.TrialTries is < 1 or > GrubConfigRenderer.MaxTrialTries)
        {
            throw new ApplianceException(ExitCode.InvalidInput,
                $"Trial image {trial} has {state.TrialTries} tries, which GRUB would not boot (1 to {GrubConfigRenderer.MaxTrialTries}).");
        }
        return state with { TrialTries = state.TrialTries - 1 };
    }

    /// <summary>The booted trial is healthy: it becomes the default and the old default the previous good image.</summary>
    public static BootState Confirm(BootState state, int booted)
    {
        // The default booted: nothing changes, and a trial staged meanwhile stays pending for the next boot.
        if (booted == state.Default)
        {
            return state;
        }
        if (booted != state.Trial)
        {
            throw new ApplianceException(ExitCode.InvalidInput,
                $"Image {booted} is neither the trial ({Describe(state.Trial)}) nor the default ({Describe(state.Default)}); nothing to confirm.");
        }
        return new BootState(booted, state.Default, null, 0, null);
    }

    /// <summary>The booted trial is unhealthy: forget it, so the next boot is the default again.</summary>
    public static BootState Reject(BootState state, int booted) =>
        booted == state.Trial ? state with { Trial = null, TrialTries = 0, TrialFailed = booted } : state;

    /// <summary>Support staff: make <paramref name="version"/> the default right away (it was good before, or is forced).</summary>
    public static BootState Rollback(BootState state, int version) =>
        version == state.Default && state.Trial is null
            ? state
            : new BootState(version, state.Default == version ? state.Previous : state.Default, null, 0,
                state.TrialFailed == version ? null : state.TrialFailed);

    private static string Describe(int? version) => version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
}
