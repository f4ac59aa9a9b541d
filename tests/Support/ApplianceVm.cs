using Xunit.Abstractions;

namespace Appliance.Tests.Support;

/// <summary>
/// One appliance disk booted again and again, one qemu run per boot (qemu runs with -no-reboot, so a reboot by the
/// guest ends the run). Every boot is logged to the test output with its wall time and kept in <see cref="Boots"/>.
/// </summary>
/// <param name="network">The VM's <c>-nic</c> (see <see cref="VirtualMachine.Start"/>).</param>
public sealed class ApplianceVm(string disk, string workDirectory, ITestOutputHelper output, string network = "none")
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(6);

    // The verdict is fsynced to the host partition before it is printed; a moment more lets the console catch up.
    private static readonly TimeSpan AfterVerdict = TimeSpan.FromSeconds(1);

    private readonly List<ObservedBoot> boots = [];

    public IReadOnlyList<ObservedBoot> Boots => boots;

    /// <summary>Boots until the health check declares the boot healthy (then the power is cut) or the guest reboots by itself.</summary>
    public Task<ObservedBoot> BootAsync() =>
        RunAsync(console => console.Contains(ObservedBoot.HealthyVerdict, StringComparison.Ordinal), AfterVerdict);

    /// <summary>Boots and lets the guest run until it reboots by itself (an upgrade or a rollback it was told to do).</summary>
    public Task<ObservedBoot> BootUntilRebootAsync() => RunAsync(_ => false, TimeSpan.Zero);

    /// <summary>Cuts the power <paramref name="delay"/> after the console shows <paramref name="text"/>.</summary>
    public Task<ObservedBoot> PowerCutAsync(string text, TimeSpan delay) =>
        RunAsync(console => console.Contains(text, StringComparison.Ordinal), delay);

    /// <summary>
    /// The time from a switch to a trial (<see cref="ObservedBoot.SwitchStarts"/> on <paramref name="switching"/>'s console)
    /// to the health verdict on <paramref name="trial"/>'s console, the next qemu run, whose start counts as the instant the
    /// guest reset (the firmware starts as qemu does).
    /// </summary>
    public static TimeSpan SwitchTime(ObservedBoot switching, ObservedBoot trial) =>
        switching.WallTime - switching.SeenAt(ObservedBoot.SwitchStarts) + trial.SeenAt(ObservedBoot.Verdict);

    private async Task<ObservedBoot> RunAsync(Func<string, bool> stopWhen, TimeSpan delay)
    {
        await using var vm = VirtualMachine.Start(disk, workDirectory, network);
        var reached = await vm.WaitUntilAsync(stopWhen, BootTimeout, ObservedBoot.Milestones);
        if (reached)
        {
            await Task.Delay(delay);
        }
        var rebootedByItself = vm.HasExited && !reached;
        await vm.PowerOffAsync();
        var boot = new ObservedBoot(vm.Console, vm.Elapsed, rebootedByItself, vm.Seen);
        boots.Add(boot);
        output.WriteLine($"boot {boots.Count}: {boot}");
        return boot;
    }
}
