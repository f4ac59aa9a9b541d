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

    // A boot driven from the host side also downloads and stages an image in the slow TCG guest.
    private static readonly TimeSpan DrivenBootTimeout = TimeSpan.FromMinutes(15);

    // The verdict is fsynced to the host partition before it is printed; a moment more lets the console catch up.
    private static readonly TimeSpan AfterVerdict = TimeSpan.FromSeconds(1);

    private readonly List<ObservedBoot> boots = [];

    public IReadOnlyList<ObservedBoot> Boots => boots;

    /// <summary>Boots until the health check declares the boot healthy (then the power is cut) or the guest reboots by itself.</summary>
    public Task<ObservedBoot> BootAsync() =>
        RunAsync((console, _) => console.Contains(ObservedBoot.HealthyVerdict, StringComparison.Ordinal), AfterVerdict, null, BootTimeout);

    /// <summary>Boots and lets the guest run until it reboots by itself (an upgrade or a rollback it was told to do).</summary>
    public Task<ObservedBoot> BootUntilRebootAsync() => RunAsync((_, _) => false, TimeSpan.Zero, null, BootTimeout);

    /// <summary>
    /// Boots and lets the guest run until it reboots by itself, while <paramref name="hostSide"/> acts from the host
    /// (e.g. an operator driving the fleet the guest talks to). The host side must finish before the guest reboots; its
    /// failure cuts the power at once and fails the boot.
    /// </summary>
    public Task<ObservedBoot> BootUntilRebootAsync(Func<CancellationToken, Task> hostSide) =>
        RunAsync((_, host) => host.IsFaulted, TimeSpan.Zero, hostSide, DrivenBootTimeout);

    /// <summary>Boots and keeps the guest running until <paramref name="hostSide"/> has seen what it waits for (then the power is cut).</summary>
    public Task<ObservedBoot> BootUntilAsync(Func<CancellationToken, Task> hostSide) =>
        RunAsync((_, host) => host.IsCompleted, TimeSpan.Zero, hostSide, DrivenBootTimeout);

    /// <summary>Cuts the power <paramref name="delay"/> after the console shows <paramref name="text"/>.</summary>
    public Task<ObservedBoot> PowerCutAsync(string text, TimeSpan delay) =>
        RunAsync((console, _) => console.Contains(text, StringComparison.Ordinal), delay, null, BootTimeout);

    /// <summary>
    /// The time from a switch to a trial (<see cref="ObservedBoot.SwitchStarts"/> on <paramref name="switching"/>'s console)
    /// to the health verdict on <paramref name="trial"/>'s console, the next qemu run, whose start counts as the instant the
    /// guest reset (the firmware starts as qemu does).
    /// </summary>
    public static TimeSpan SwitchTime(ObservedBoot switching, ObservedBoot trial) =>
        switching.WallTime - switching.SeenAt(ObservedBoot.SwitchStarts) + trial.SeenAt(ObservedBoot.Verdict);

    private async Task<ObservedBoot> RunAsync(Func<string, Task, bool> stopWhen, TimeSpan delay, Func<CancellationToken, Task>? hostSide, TimeSpan timeout)
    {
        using var guestStopped = new CancellationTokenSource();
        Task host;
        ObservedBoot boot;
        await using (var vm = VirtualMachine.Start(disk, workDirectory, network))
        {
            host = hostSide is null ? Task.CompletedTask : Task.Run(() => hostSide(guestStopped.Token));
            var reached = await vm.WaitUntilAsync(console => stopWhen(console, host), timeout, ObservedBoot.Milestones);
            if (reached)
            {
                await Task.Delay(delay);
            }
            var rebootedByItself = vm.HasExited && !reached;
            await vm.PowerOffAsync();
            boot = new ObservedBoot(vm.Console, vm.Elapsed, rebootedByItself, vm.Seen);
        }
        boots.Add(boot);
        output.WriteLine($"boot {boots.Count}: {boot}");
        await guestStopped.CancelAsync();
        try
        {
            await host;
        }
        catch (OperationCanceledException) when (guestStopped.IsCancellationRequested)
        {
            Assert.Fail($"The guest stopped ({boot}) before the host side of the boot was done. Console tail:\n{boot.ConsoleTail}");
        }
        return boot;
    }
}
