using Appliance.Core.Boot;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration;

/// <summary>The grub.cfg we generate, run by GRUB itself (grub-emu) against a real ext4 host partition and grubenv.</summary>
[Collection(SerialCollection.Name)]
public sealed class GrubScriptTests
{
    private const string KernelArguments = "console=ttyS0,115200 panic=10";

    [ToolTheory("grub-emu", "grub-editenv", "mke2fs", "debugfs")]
    [MemberData(nameof(BootStateTable.Names), MemberType = typeof(BootStateTable))]
    public async Task The_generated_grub_cfg_run_in_grub_gives_every_row_of_the_boot_state_table(string row)
    {
        var expected = BootStateTable.Cases[row];
        var grubenv = expected.GrubEnvironment();
        using var grub = await GrubScriptRunner.CreateAsync(
            GrubConfigRenderer.Render(expected.Menu, KernelArguments), grubenv, expected.Menu.Select(image => image.Version));

        var boot = await grub.BootAsync();

        Assert.Equal((expected.Version, expected.Mode), (boot.Version, boot.Mode));
        Assert.EndsWith(KernelArguments, boot.KernelCommandLine, StringComparison.Ordinal);
        if (expected.Block == GrubEnvironmentCondition.Written)
        {
            Assert.Equal(expected.After, boot.After);
        }
        else
        {
            Assert.Equal(grubenv, await grub.GrubEnvironmentAsync());
        }
    }

    [ToolFact("grub-emu", "grub-editenv", "mke2fs", "debugfs")]
    public async Task A_trial_that_never_confirms_gets_exactly_its_tries_then_grub_boots_the_default_and_records_the_failure()
    {
        BootImageEntry[] menu = [new(1, KnownGood: true), new(2, KnownGood: false)];
        var trial = BootTransitions.StartTrial(new BootState(1, null, null, 0, null), 2, tries: 3);
        using var grub = await GrubScriptRunner.CreateAsync(
            GrubConfigRenderer.Render(menu, KernelArguments), GrubEnvironmentBlock.Render(trial.ToEnvironment()), [1, 2]);

        var boots = new List<GrubScriptBoot>();
        for (var boot = 0; boot < 5; boot++)
        {
            boots.Add(await grub.BootAsync());
        }

        Assert.Equal([(2, BootMode.Trial), (2, BootMode.Trial), (2, BootMode.Trial), (1, BootMode.Default), (1, BootMode.Default)],
            boots.Select(boot => (boot.Version, boot.Mode)));
        Assert.Equal(new BootState(1, null, null, 0, TrialFailed: 2), boots[^1].After);
    }

    [ToolFact("grub-emu", "grub-editenv", "mke2fs", "debugfs")]
    public async Task A_chosen_image_grub_cannot_read_falls_back_to_the_newest_known_good_image_in_fallback_mode()
    {
        BootImageEntry[] menu = [new(1, KnownGood: true), new(2, KnownGood: true), new(3, KnownGood: false)];
        var state = new BootState(2, 1, 3, 3, null);
        using var grub = await GrubScriptRunner.CreateAsync(
            GrubConfigRenderer.Render(menu, KernelArguments), GrubEnvironmentBlock.Render(state.ToEnvironment()), [1, 2], unreadableImages: [3]);

        var boot = await grub.BootAsync();

        Assert.Equal((2, BootMode.Fallback), (boot.Version, boot.Mode));
        Assert.Contains("appliance.image=/images/2.img appliance.version=2 appliance.boot=fallback", boot.KernelCommandLine, StringComparison.Ordinal);
        Assert.Equal(state with { TrialTries = 2 }, boot.After);
    }
}
