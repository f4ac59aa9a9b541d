using Appliance.Core.Boot;
using Appliance.Core.Errors;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Upgradectl;

[Collection(SerialCollection.Name)]
public sealed class ApplyTests : IDisposable
{
    private readonly TempDirectory directory = new();

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck", "grub-emu")]
    public async Task Apply_carries_the_configuration_into_the_new_images_layer_and_makes_it_the_trial_without_touching_the_running_system()
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        var second = await TestImage.CreateAsync(appliance.Downloads, 2);
        await appliance.SucceedAsync("stage", second.ImagePath, "--insecure-unsigned");
        var runningBefore = await TreeFingerprintAsync(Path.Combine(appliance.Root, "etc"));
        var imageBefore = await TreeFingerprintAsync(appliance.Images);

        await appliance.SucceedAsync("apply");

        var upper = Path.Combine(appliance.OverlayOf(2), "etc/upper");
        Assert.Equal("box-0042\n", await File.ReadAllTextAsync(Path.Combine(upper, "hostname")));
        Assert.Equal("0123456789abcdef0123456789abcdef\n", await File.ReadAllTextAsync(Path.Combine(upper, "machine-id")));
        Assert.Equal("site=berlin\n", await File.ReadAllTextAsync(Path.Combine(upper, "appliance/config/site.conf")));
        Assert.Equal(runningBefore, await TreeFingerprintAsync(Path.Combine(appliance.Root, "etc")));
        Assert.Equal(imageBefore, await TreeFingerprintAsync(appliance.Images));
        Assert.Equal(new BootState(1, null, 2, BootTransitions.DefaultTrialTries, null), await appliance.BootStateAsync());
        Assert.Equal((2, BootMode.Trial), await appliance.NextBootAsync());
        Assert.Contains("menuentry \"Appliance image 2\"", await File.ReadAllTextAsync(Path.Combine(appliance.Host, "boot/grub/grub.cfg")), StringComparison.Ordinal);
    }

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task Apply_runs_the_new_images_migration_hooks_on_the_carried_configuration()
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        var hook = "#!/bin/sh\nset -e\nsed -i 's/^site=/location=/' \"$APPLIANCE_STATE/etc/upper/appliance/config/site.conf\"\n" +
                   "echo \"migrated from $APPLIANCE_FROM_VERSION to $APPLIANCE_TO_VERSION\" > \"$APPLIANCE_STATE/etc/upper/appliance/config/migrated\"\n";
        var second = await TestImage.CreateAsync(appliance.Downloads, 2, files: new Dictionary<string, string> { ["/usr/lib/appliance/migrate.d/10-rename-site"] = hook });
        await appliance.SucceedAsync("stage", second.ImagePath, "--insecure-unsigned");

        await appliance.SucceedAsync("apply");

        var config = Path.Combine(appliance.OverlayOf(2), "etc/upper/appliance/config");
        Assert.Equal("location=berlin\n", await File.ReadAllTextAsync(Path.Combine(config, "site.conf")));
        Assert.Equal("migrated from 1 to 2\n", await File.ReadAllTextAsync(Path.Combine(config, "migrated")));
        Assert.Equal("site=berlin\n", await File.ReadAllTextAsync(Path.Combine(appliance.Root, "etc/appliance/config/site.conf")));
    }

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task Apply_refuses_a_carried_symlink_that_points_outside_the_image_and_changes_nothing()
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        File.CreateSymbolicLink(Path.Combine(appliance.Root, "etc/appliance/config/escape"), "../../../host/boot/grub/grubenv");
        var second = await TestImage.CreateAsync(appliance.Downloads, 2);
        await appliance.SucceedAsync("stage", second.ImagePath, "--insecure-unsigned");

        var result = await appliance.RunAsync("apply");

        Assert.Equal((int)ExitCode.InvalidInput, result.ExitCode);
        Assert.Contains("points to ../../../host/boot/grub/grubenv, outside the image", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(appliance.OverlayOf(2)));
        Assert.Equal(new BootState(1, null, null, 0, null), await appliance.BootStateAsync());
    }

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task Apply_refuses_a_carry_over_list_with_path_traversal()
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        var second = await TestImage.CreateAsync(appliance.Downloads, 2, carryOver: ["/etc/hostname", "/etc/../host/boot"]);
        await appliance.SucceedAsync("stage", second.ImagePath, "--insecure-unsigned");

        var result = await appliance.RunAsync("apply");

        Assert.Equal((int)ExitCode.InvalidInput, result.ExitCode);
        Assert.Contains("'/etc/../host/boot' must be absolute and plain", result.StandardError, StringComparison.Ordinal);
        Assert.Null((await appliance.BootStateAsync()).Trial);
    }

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task Apply_of_an_unknown_version_fails_with_not_found()
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);

        var result = await appliance.RunAsync("apply", "--version", "9");

        Assert.Equal((int)ExitCode.NotFound, result.ExitCode);
        Assert.Contains("Image 9 is not staged", result.StandardError, StringComparison.Ordinal);
    }

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task Without_a_grubenv_status_still_works_and_apply_creates_one_that_grub_editenv_reads()
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        File.Delete(appliance.GrubEnvironment);
        var status = await appliance.StatusAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, status.GetProperty("boot_state").GetProperty("default").ValueKind);
        var second = await TestImage.CreateAsync(appliance.Downloads, 2);
        await appliance.SucceedAsync("stage", second.ImagePath, "--insecure-unsigned");

        await appliance.SucceedAsync("apply");

        Assert.Equal(2, (await appliance.BootStateAsync()).Trial);
    }

    public void Dispose() => directory.Dispose();

    /// <summary>Paths, sizes and hashes of every file below a directory: equal fingerprints mean nothing was written.</summary>
    internal static async Task<string> TreeFingerprintAsync(string path) =>
        (await ProcessRunner.RunAsync("sh", ["-c", "find . -type f -print0 | sort -z | xargs -0 -r sha256sum; find . -printf '%p %m %s %T@\\n' | sort"],
            new ProcessOptions(WorkingDirectory: path))).StandardOutput;
}
