using Appliance.Core.Boot;
using Appliance.Core.Errors;
using Appliance.Core.Layout;
using Appliance.Platform.Mounts;
using Appliance.Platform.Processes;
using Appliance.Upgradectl.Host;
using Serilog;

namespace Appliance.Upgradectl.Boot;

/// <summary>
/// Boots the pending trial without the firmware and GRUB (<c>apply --reboot --kexec</c>): kexec loads the trial image's
/// kernel and initramfs with the command line GRUB's menu entry would give it, one try is counted in grubenv as GRUB
/// counts it, and systemd stops everything cleanly and jumps. Every later boot, including the one after a panic, a
/// watchdog reset or a failed health check, goes through the firmware and GRUB again, which see the counted try.
/// </summary>
/// <param name="commandLine">This boot's kernel command line: the host partition's UUID and the site's arguments come from it, as the menu's do.</param>
public sealed class KexecSwitch(HostLayout layout, string commandLine)
{
    /// <summary>Where the trial image is mounted read-only while kexec reads its kernel and initramfs (a tmpfs on an appliance).</summary>
    private string MountPoint => Path.Combine(layout.Root, "run", "appliance-kexec");

    /// <summary>Loads the trial's kernel, then counts its try. Nothing is counted when the kernel cannot be loaded.</summary>
    /// <returns>The boot state the trial runs with.</returns>
    public async Task<BootState> LoadAsync(CancellationToken cancellationToken)
    {
        var store = new BootStateStore(layout);
        var state = store.Load();
        var next = BootTransitions.CountTrialBoot(state);
        var trial = state.Trial!.Value;
        var arguments = CommandLineOf(commandLine, trial);
        await using (var image = await Mounter.MountAsync(layout.ImagePath(trial), MountPoint, ["-o", "ro,loop,noload"], cancellationToken))
        {
            try
            {
                await ProcessRunner.RunAsync("kexec",
                    ["--load", Path.Combine(image.Path, KernelCommandLine.Kernel), $"--initrd={Path.Combine(image.Path, KernelCommandLine.Initramfs)}",
                     $"--command-line={arguments}"], cancellationToken: cancellationToken);
            }
            catch (ExternalToolException e)
            {
                throw new ApplianceException(ExitCode.ExternalToolFailed,
                    $"kexec could not load image {trial}'s kernel; no try was counted and the trial boots at the next ordinary reboot. {e.Message}");
            }
        }
        store.Save(next);
        Log.Information("Loaded image {Version}'s kernel for kexec ({Arguments}); one try counted, {Tries} left", trial, arguments, next.TrialTries);
        return next;
    }

    /// <summary>The kernel command line of the trial's boot: GRUB's menu entry for it, with the values GRUB fills in.</summary>
    /// <param name="runningCommandLine">This boot's command line, which names the host partition and carries the site's arguments.</param>
    public static string CommandLineOf(string runningCommandLine, int trial)
    {
        var hostUuid = KernelCommandLine.HostUuidOf(runningCommandLine)
            ?? throw new ApplianceException(ExitCode.NotFound,
                $"This boot's kernel command line has no {KernelCommandLine.HostPartition}: the host partition of a kexec'd boot is unknown.");
        return KernelCommandLine.ForImage(hostUuid, trial, GrubConfigRenderer.Mode(BootMode.Trial), KernelArguments.Extra(runningCommandLine));
    }

    /// <summary>systemd stops the services, unmounts and syncs as for a reboot, then executes the loaded kernel.</summary>
    public static Task JumpAsync(CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync("systemctl", ["kexec"], cancellationToken: cancellationToken);
}
