namespace Appliance.Core.Boot;

/// <summary>
/// The GRUB half of the boot-state machine, as a model: <see cref="GrubConfigRenderer"/> emits the same decisions as
/// GRUB script, and the VM tests check the two agree on real boots.
/// 1. A trial with tries left: count one down (saved before booting) and boot the trial.
/// 2. A trial with no tries left: record it as failed, clear it, boot the default.
/// 3. No default, or its image is missing: boot the newest known-good image (the fallback baked into grub.cfg).
/// The default never consumes anything, so power cuts during ordinary boots cannot exhaust a counter.
/// </summary>
public static class GrubBootSelector
{
    public static GrubBoot Select(BootState state, Func<int, bool> imageExists, int fallback)
    {
        var after = state;
        if (state.Trial is { } trial)
        {
            if (state.TrialTries > 0)
            {
                after = state with { TrialTries = state.TrialTries - 1 };
                return imageExists(trial)
                    ? new GrubBoot(trial, BootMode.Trial, after)
                    : new GrubBoot(fallback, BootMode.Fallback, after);
            }
            after = state with { Trial = null, TrialTries = 0, TrialFailed = trial };
        }
        return after.Default is { } version && imageExists(version)
            ? new GrubBoot(version, BootMode.Default, after)
            : new GrubBoot(fallback, BootMode.Fallback, after);
    }
}
