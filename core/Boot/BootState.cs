using System.Globalization;

namespace Appliance.Core.Boot;

/// <summary>
/// The boot state kept in the GRUB environment block. GRUB reads it and writes only the trial fields
/// (the script <see cref="GrubConfigRenderer"/> writes); userspace changes it through <see cref="BootTransitions"/>.
/// </summary>
/// <param name="Default">The confirmed image; booted whenever there is no trial. Never consumes tries.</param>
/// <param name="Previous">The confirmed image before <paramref name="Default"/>: the last good image to go back to.</param>
/// <param name="Trial">An image being tried, or null.</param>
/// <param name="TrialTries">Boots the trial still gets.</param>
/// <param name="TrialFailed">The last trial GRUB gave up on, or userspace rejected.</param>
public sealed record BootState(int? Default, int? Previous, int? Trial, int TrialTries, int? TrialFailed)
{
    public static BootState Empty { get; } = new(null, null, null, 0, null);

    /// <summary>Reads the variables; anything unreadable counts as unset, as it does for GRUB.</summary>
    public static BootState FromEnvironment(IReadOnlyDictionary<string, string> environment) => new(
        Number(environment, GrubEnvironmentKeys.Default),
        Number(environment, GrubEnvironmentKeys.Previous),
        Number(environment, GrubEnvironmentKeys.Trial),
        Number(environment, GrubEnvironmentKeys.TrialTries) ?? 0,
        Number(environment, GrubEnvironmentKeys.TrialFailed));

    /// <summary>The variables to store; unrelated variables already in the block are kept by the caller.</summary>
    public IReadOnlyDictionary<string, string> ToEnvironment() => new Dictionary<string, string>
    {
        [GrubEnvironmentKeys.Default] = Text(Default),
        [GrubEnvironmentKeys.Previous] = Text(Previous),
        [GrubEnvironmentKeys.Trial] = Text(Trial),
        [GrubEnvironmentKeys.TrialTries] = TrialTries.ToString(CultureInfo.InvariantCulture),
        [GrubEnvironmentKeys.TrialFailed] = Text(TrialFailed),
    };

    private static int? Number(IReadOnlyDictionary<string, string> environment, string key) =>
        environment.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string Text(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
}
