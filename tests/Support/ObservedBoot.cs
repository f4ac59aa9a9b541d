using System.Text.RegularExpressions;

namespace Appliance.Tests.Support;

/// <summary>
/// What one boot of a VM showed on its serial console: the image GRUB chose (from the kernel command line the kernel
/// echoes), how it was chosen, the health verdict, and whether the guest rebooted by itself.
/// </summary>
/// <param name="Seen">When the console showed each appearance of the <see cref="Milestones"/>, since qemu started.</param>
public sealed partial record ObservedBoot(string Console, TimeSpan WallTime, bool RebootedByItself, IReadOnlyDictionary<string, IReadOnlyList<TimeSpan>> Seen)
{
    /// <summary>What a VM test's guest step prints right before it runs <c>upgradectl apply --reboot</c>.</summary>
    public const string SwitchStarts = "test-driver: switching to the trial";

    public const string HealthyVerdict = " is healthy (";

    public const string UnhealthyVerdict = " is UNHEALTHY: ";

    /// <summary>Either verdict, for <see cref="SeenAt"/>.</summary>
    public const string Verdict = "appliance-health: verdict";

    /// <summary>The texts whose appearances each boot records.</summary>
    public static readonly IReadOnlyList<string> Milestones = [SwitchStarts, HealthyVerdict, UnhealthyVerdict];

    public int? Version => LastMatch(CommandLine(), "version") is { } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;

    public string? Mode => LastMatch(CommandLine(), "mode");

    public bool Healthy => Console.Contains(HealthyVerdict, StringComparison.Ordinal);

    public bool Unhealthy => Console.Contains(UnhealthyVerdict, StringComparison.Ordinal);

    /// <summary>When the console first showed a milestone (<see cref="Verdict"/>: either verdict); fails when it never did.</summary>
    public TimeSpan SeenAt(string milestone)
    {
        string[] texts = milestone == Verdict ? [HealthyVerdict, UnhealthyVerdict] : [milestone];
        var times = texts.Where(Seen.ContainsKey).SelectMany(text => Seen[text]).ToList();
        Assert.True(times.Count > 0, $"the console of {this} never showed '{milestone}'. Console tail:\n{ConsoleTail}");
        return times.Min();
    }

    public string ConsoleTail => Console[Math.Max(0, Console.Length - 4000)..];

    public bool RootIsLoopDevice => LoopRoot().IsMatch(Console);

    /// <summary>Asserts the console shows <paramref name="text"/>, failing with the console's tail.</summary>
    public void AssertShows(string text) =>
        Assert.True(Console.Contains(text, StringComparison.Ordinal), $"the console of {this} does not show '{text}'. Console tail:\n{ConsoleTail}");

    public override string ToString() =>
        $"image {Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} ({Mode ?? "no kernel"} boot), " +
        $"{(Healthy ? "healthy" : Unhealthy ? "unhealthy" : "no verdict")}, {(RebootedByItself ? "rebooted by itself" : "powered off by the test")}, " +
        $"{WallTime.TotalSeconds:F1} s";

    private string? LastMatch(Regex pattern, string group) =>
        pattern.Matches(Console) is { Count: > 0 } matches ? matches[^1].Groups[group].Value : null;

    [GeneratedRegex(@"Command line: .*appliance\.version=(?<version>\d+) appliance\.boot=(?<mode>[a-z]+)")]
    private static partial Regex CommandLine();

    [GeneratedRegex(@"appliance-health: running image \d+ \([a-z]+ boot\): / is /dev/loop\d+, /host is /dev/vda2")]
    private static partial Regex LoopRoot();
}
