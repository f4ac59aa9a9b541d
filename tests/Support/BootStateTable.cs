using Appliance.Core.Boot;

namespace Appliance.Tests.Support;

/// <summary>
/// Every boot state the GRUB half of the boot-state machine distinguishes, with the boot it must give. The model
/// (<see cref="GrubBootModel"/>) and the real grub.cfg run in GRUB (<see cref="GrubScriptRunner"/>) are both held to it.
/// </summary>
public static class BootStateTable
{
    private static readonly BootImageEntry[] OneAndTwo = [new(1, KnownGood: true), new(2, KnownGood: false)];

    public static IReadOnlyDictionary<string, BootStateCase> Cases { get; } = new Dictionary<string, BootStateCase>(StringComparer.Ordinal)
    {
        ["default only"] = Unchanged(new(1, null, null, 0, null), [new(1, KnownGood: true)], 1, BootMode.Default),
        ["default with a previous image behind it"] = Unchanged(new(2, 1, null, 0, null), [new(1, true), new(2, true)], 2, BootMode.Default),
        ["trial with tries left"] = new(new(1, null, 2, 3, null), GrubEnvironmentCondition.Written, OneAndTwo, 2, BootMode.Trial, new(1, null, 2, 2, null)),
        ["trial with the most tries"] = new(new(1, null, 2, 9, null), GrubEnvironmentCondition.Written, OneAndTwo, 2, BootMode.Trial, new(1, null, 2, 8, null)),
        ["trial on its last try"] = new(new(1, null, 2, 1, null), GrubEnvironmentCondition.Written, OneAndTwo, 2, BootMode.Trial, new(1, null, 2, 0, null)),
        ["trial with its tries exhausted"] = new(new(1, null, 2, 0, null), GrubEnvironmentCondition.Written, OneAndTwo, 1, BootMode.Default, new(1, null, null, 0, TrialFailed: 2)),
        ["trial with more tries than GRUB counts"] = new(new(1, null, 2, 10, null), GrubEnvironmentCondition.Written, OneAndTwo, 1, BootMode.Default, new(1, null, null, 0, TrialFailed: 2)),
        ["trial recorded as failed"] = Unchanged(new(1, null, null, 0, TrialFailed: 2), OneAndTwo, 1, BootMode.Default),
        ["trial whose image is missing"] = new(new(1, null, 3, 2, null), GrubEnvironmentCondition.Written, OneAndTwo, 1, BootMode.Fallback, new(1, null, 3, 1, null)),
        ["default whose image is missing"] = Unchanged(new(3, 1, null, 0, null), OneAndTwo, 1, BootMode.Fallback),
        ["no default"] = Unchanged(BootState.Empty, [new(1, false), new(2, false)], 2, BootMode.Fallback),
        ["grubenv missing"] = new(BootState.Empty, GrubEnvironmentCondition.Missing, OneAndTwo, 1, BootMode.Fallback, BootState.Empty),
        ["grubenv corrupt"] = new(BootState.Empty, GrubEnvironmentCondition.Corrupt, OneAndTwo, 1, BootMode.Fallback, BootState.Empty),
    };

    public static TheoryData<string> Names => new(Cases.Keys);

    private static BootStateCase Unchanged(BootState state, BootImageEntry[] menu, int version, BootMode mode) =>
        new(state, GrubEnvironmentCondition.Written, menu, version, mode, state);
}
