using Appliance.Platform.Processes;

namespace Appliance.Tests.Support;

/// <summary>
/// Drives an appliance VM without a shell, through scripts/lib/guest-driver (the demo's mechanism too): a unit in the
/// booted image's writable /etc layer on the host partition runs the step the test left for that image version, once.
/// </summary>
public static class GuestDriver
{
    private static string Script => Path.Combine(Checkout.Root, "scripts/lib/guest-driver");

    /// <summary>Leaves <paramref name="step"/> (shell; null: none) for the next boot of <paramref name="version"/> and enables the driver in that image.</summary>
    /// <param name="everyBoot">Shell run on every boot of any image with the driver enabled, before its step; $1 is the booted version.</param>
    /// <param name="network">Give the image qemu's user-network address (the minbase image has no DHCP client).</param>
    /// <param name="console">Units whose output the image also shows on the serial console (e.g. the fleet agent).</param>
    public static async Task InstallAsync(HostPartition host, int version, string? step, string? everyBoot = null, bool network = false,
        IReadOnlyList<string>? console = null)
    {
        List<string> arguments = [Script, "--host", host.Host, "--image", version.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (step is not null)
        {
            var stepFile = Path.Combine(host.Root, $"step-{version}.sh");
            await File.WriteAllTextAsync(stepFile, step + "\n");
            arguments.AddRange(["--step", stepFile]);
        }
        if (everyBoot is not null)
        {
            var everyBootFile = Path.Combine(host.Root, "every-boot.sh");
            await File.WriteAllTextAsync(everyBootFile, everyBoot + "\n");
            arguments.AddRange(["--every-boot", everyBootFile]);
        }
        if (network)
        {
            arguments.Add("--network");
        }
        foreach (var unit in console ?? [])
        {
            arguments.AddRange(["--console", unit]);
        }
        await ProcessRunner.RunAsync("bash", arguments);
    }
}
