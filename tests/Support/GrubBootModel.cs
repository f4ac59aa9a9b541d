using Appliance.Core.Boot;

namespace Appliance.Tests.Support;

/// <summary>
/// The GRUB half of the boot-state machine as a C# model: the specification the generated grub.cfg is held to,
/// row by row, in <see cref="BootStateTable"/> (the script itself runs in GRUB through <see cref="GrubScriptRunner"/>).
/// No production code uses it: GRUB runs the script.
/// 1. A trial with tries left (1 to <see cref="GrubConfigRenderer.MaxTrialTries"/>): count one down (saved before booting) and boot the trial.
/// 2. A trial with no tries left, or more than GRUB counts: record it as failed, clear it, boot the default.
/// 3. No default, or the chosen image is not in the menu: boot the menu's fallback (the newest known-good image).
/// The default never consumes anything, so power cuts during ordinary boots cannot exhaust a counter.
/// </summary>
public static class GrubBootModel
{
    public static GrubBoot Boot(BootState state, IReadOnlyList<BootImageEntry> menu)
    {
        var fallback = GrubConfigRenderer.FallbackOf(menu).Version;
        bool InMenu(int version) => menu.Any(image => image.Version == version);
        var after = state;
        if (state.Trial is { } trial)
        {
            if (state.TrialTries is > 0 and <= GrubConfigRenderer.MaxTrialTries)
            {
                after = state with { TrialTries = state.TrialTries - 1 };
                return InMenu(trial)
                    ? new GrubBoot(trial, BootMode.Trial, after)
                    : new GrubBoot(fallback, BootMode.Fallback, after);
            }
            after = state with { Trial = null, TrialTries = 0, TrialFailed = trial };
        }
        return after.Default is { } version && InMenu(version)
            ? new GrubBoot(version, BootMode.Default, after)
            : new GrubBoot(fallback, BootMode.Fallback, after);
    }
}
