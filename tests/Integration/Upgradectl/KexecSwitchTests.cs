using Appliance.Core.Boot;
using Appliance.Core.Errors;
using Appliance.Core.Layout;
using Appliance.Platform.Mounts;
using Appliance.Tests.Support;
using Appliance.Upgradectl.Boot;
using Appliance.Upgradectl.Host;

namespace Appliance.Tests.Integration.Upgradectl;

/// <summary>
/// <c>upgradectl apply --reboot --kexec</c> without a VM: the command line and the try a kexec'd trial boots with,
/// held to what GRUB itself (grub-emu, the real grub.cfg) does with the same grubenv; and a kexec that cannot load.
/// The jump itself and the way back after a failed health check are in the VM (BootChainTests).
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class KexecSwitchTests : IDisposable
{
    private const string SiteArguments = "console=ttyS0,115200 panic=10";

    private static readonly BootImageEntry[] Menu = [new(1, KnownGood: true), new(2, KnownGood: false)];

    private readonly TempDirectory directory = new();

    [ToolFact("grub-emu", "grub-editenv", "mke2fs", "debugfs")]
    public async Task A_kexec_boots_the_trial_with_the_command_line_and_the_counted_try_grub_gives_it()
    {
        var pending = BootTransitions.StartTrial(new BootState(1, null, null, 0, null), 2, tries: 3);
        using var grub = await GrubScriptRunner.CreateAsync(GrubConfigRenderer.Render(Menu, SiteArguments), GrubEnvironmentBlock.Render(pending.ToEnvironment()), [1, 2]);

        var grubBoot = await grub.BootAsync();
        // The running default's command line as GRUB built it, on the same host partition.
        var hostUuid = KernelCommandLine.HostUuidOf(grubBoot.KernelCommandLine);
        var running = $"BOOT_IMAGE=(image1)/vmlinuz {KernelCommandLine.ForImage(hostUuid!, 1, GrubConfigRenderer.Mode(BootMode.Default), SiteArguments)}";

        Assert.Equal((2, BootMode.Trial), (grubBoot.Version, grubBoot.Mode));
        Assert.Equal(grubBoot.KernelCommandLine, $"({KernelCommandLine.GrubLoopDevice(2)})/{KernelCommandLine.Kernel} {KexecSwitch.CommandLineOf(running, 2)}");
        Assert.Equal(grubBoot.After, BootTransitions.CountTrialBoot(pending));
    }

    [ToolFact("grub-emu", "grub-editenv", "mke2fs", "debugfs")]
    public async Task A_kexecd_trial_that_never_comes_up_gets_the_rest_of_its_tries_from_grub_then_grub_boots_the_default()
    {
        var counted = BootTransitions.CountTrialBoot(BootTransitions.StartTrial(new BootState(1, null, null, 0, null), 2, tries: 2));
        using var grub = await GrubScriptRunner.CreateAsync(GrubConfigRenderer.Render(Menu, SiteArguments), GrubEnvironmentBlock.Render(counted.ToEnvironment()), [1, 2]);

        var boots = new List<GrubScriptBoot>();
        for (var boot = 0; boot < 3; boot++)
        {
            boots.Add(await grub.BootAsync());
        }

        // The kexec'd boot was the first of its two tries.
        Assert.Equal([(2, BootMode.Trial), (1, BootMode.Default), (1, BootMode.Default)], boots.Select(boot => (boot.Version, boot.Mode)));
        Assert.Equal(new BootState(1, null, null, 0, TrialFailed: 2), boots[^1].After);
    }

    [RootFact("kexec", "mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task A_kexec_that_cannot_load_the_trials_kernel_counts_no_try_and_leaves_the_trial_to_the_next_ordinary_reboot()
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        var second = await TestImage.CreateAsync(appliance.Downloads, 2); // its kernel is a text file
        await appliance.SucceedAsync("stage", second.ImagePath, "--insecure-unsigned");

        var result = await appliance.RunAsync("apply", "--reboot", "--kexec");

        Assert.Equal((int)ExitCode.ExternalToolFailed, result.ExitCode);
        Assert.Contains("kexec could not load image 2's kernel; no try was counted", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(new BootState(1, null, 2, BootTransitions.DefaultTrialTries, null), await appliance.BootStateAsync());
        Assert.Empty(MountTable.MountPointsUnder(appliance.Root));
    }

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task Kexec_without_reboot_is_refused_before_anything_is_applied()
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        var second = await TestImage.CreateAsync(appliance.Downloads, 2);
        await appliance.SucceedAsync("stage", second.ImagePath, "--insecure-unsigned");

        var result = await appliance.RunAsync("apply", "--kexec");

        Assert.Equal((int)ExitCode.Usage, result.ExitCode);
        Assert.Equal(new BootState(1, null, null, 0, null), await appliance.BootStateAsync());
        Assert.False(Directory.Exists(appliance.OverlayOf(2)));
    }

    public void Dispose() => directory.Dispose();
}
