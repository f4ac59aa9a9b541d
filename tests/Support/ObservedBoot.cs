using System.Text.RegularExpressions;

namespace Appliance.Tests.Support;

/// <summary>
/// What one boot of a VM showed on its serial console: the image GRUB chose (from the kernel command line the kernel
/// echoes), how it was chosen, the health verdict, and whether the guest rebooted by itself.
/// </summary>
public sealed partial record ObservedBoot(string Console, TimeSpan WallTime, bool RebootedByItself)
{
    public int? Version => LastMatch(CommandLine(), "version") is { } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;

    public string? Mode => LastMatch(CommandLine(), "mode");

    public bool Healthy => Console.Contains(" is healthy (", StringComparison.Ordinal);

    public bool Unhealthy => Console.Contains(" is UNHEALTHY: ", StringComparison.Ordinal);

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
