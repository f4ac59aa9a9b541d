using Appliance.Core.Boot;
using Appliance.Core.Errors;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Upgradectl;

[Collection(SerialCollection.Name)]
public sealed class RollbackAndPruneTests : IDisposable
{
    private readonly TempDirectory directory = new();

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck", "grub-emu")]
    public async Task Rollback_makes_the_previous_image_the_default_and_keeps_both_images_own_configuration()
    {
        var appliance = await UpgradedToSecondAsync();
        await File.WriteAllTextAsync(Path.Combine(appliance.OverlayOf(2), "etc/upper/hostname"), "renamed-on-2\n");

        await appliance.SucceedAsync("rollback");

        Assert.Equal(new BootState(1, 2, null, 0, null), await appliance.BootStateAsync());
        Assert.Equal((1, BootMode.Default), await appliance.NextBootAsync());
        Assert.Equal("box-0042\n", await File.ReadAllTextAsync(Path.Combine(appliance.Root, "etc/hostname")));
        Assert.Equal("renamed-on-2\n", await File.ReadAllTextAsync(Path.Combine(appliance.OverlayOf(2), "etc/upper/hostname")));
    }

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task Rollback_to_a_failed_image_needs_force_and_to_a_missing_one_fails_with_not_found()
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        var second = await TestImage.CreateAsync(appliance.Downloads, 2);
        await appliance.SucceedAsync("stage", second.ImagePath, "--insecure-unsigned");
        await appliance.SucceedAsync("apply");
        await appliance.BootAsync(2, BootMode.Trial);
        await appliance.SucceedAsync("mark-bad");
        await appliance.BootAsync(1, BootMode.Default);

        var refused = await appliance.RunAsync("rollback", "--to", "2");
        Assert.Equal((int)ExitCode.InvalidInput, refused.ExitCode);
        Assert.Contains("failed before; pass --force", refused.StandardError, StringComparison.Ordinal);
        Assert.Equal((int)ExitCode.NotFound, (await appliance.RunAsync("rollback", "--to", "7")).ExitCode);

        await appliance.SucceedAsync("rollback", "--to", "2", "--force");
        Assert.Equal(2, (await appliance.BootStateAsync()).Default);
    }

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task Prune_removes_old_and_failed_images_but_never_the_booted_default_previous_or_trial_image()
    {
        var appliance = await UpgradedToSecondAsync();
        foreach (var version in (int[])[3, 4, 5])
        {
            await appliance.SucceedAsync("stage", (await TestImage.CreateAsync(appliance.Downloads, version)).ImagePath, "--insecure-unsigned");
        }
        await appliance.SucceedAsync("apply", "--version", "5");
        await File.WriteAllTextAsync(Path.Combine(appliance.Images, "6.img.partial"), "left over by a killed download");

        var result = await appliance.SucceedAsync("prune", "--keep", "1");

        // Booted and default 2, previous 1, trial 5 stay even though --keep 1 asks for fewer; 3 and 4 go.
        Assert.Contains("removed images 3, 4", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["1.img", "1.manifest.json", "2.img", "2.manifest.json", "5.img", "5.manifest.json"],
            Directory.EnumerateFiles(appliance.Images).Select(Path.GetFileName).Order());
        var menu = await File.ReadAllTextAsync(Path.Combine(appliance.Host, "boot/grub/grub.cfg"));
        Assert.DoesNotContain("Appliance image 3", menu, StringComparison.Ordinal);
        Assert.Contains("Appliance image 5", menu, StringComparison.Ordinal);
    }

    public void Dispose() => directory.Dispose();

    /// <summary>Image 2 staged, applied, booted as a trial and confirmed: default 2, previous 1.</summary>
    private async Task<ApplianceRoot> UpgradedToSecondAsync()
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        var second = await TestImage.CreateAsync(appliance.Downloads, 2);
        await appliance.SucceedAsync("stage", second.ImagePath, "--insecure-unsigned");
        await appliance.SucceedAsync("apply");
        await appliance.BootAsync(2, BootMode.Trial);
        await appliance.SucceedAsync("mark-good");
        Assert.Equal(new BootState(2, 1, null, 0, null), await appliance.BootStateAsync());
        return appliance;
    }
}
