using System.Text.Json.Nodes;
using Appliance.Core.Boot;
using Appliance.Core.Errors;
using Appliance.Tests.Support;
using Appliance.Upgradectl.Migration;

namespace Appliance.Tests.Integration.Upgradectl;

/// <summary>apply checks its whole plan before migration writes anything, and every refusal has a clear exit code.</summary>
[Collection(SerialCollection.Name)]
public sealed class ApplyPlanTests : IDisposable
{
    private readonly TempDirectory directory = new();

    [ToolTheory("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    [InlineData(1, "confirmed default")]
    [InlineData(3, "previous good image")]
    public async Task Apply_of_the_default_or_previous_image_during_a_trial_is_refused_before_their_layers_are_touched(int version, string reason)
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        foreach (var staged in (int[])[3, 2])
        {
            await appliance.SucceedAsync("stage", (await TestImage.CreateAsync(appliance.Downloads, staged)).ImagePath, "--allow-downgrade", "--insecure-unsigned");
        }
        // Image 1 is the default and 3 the previous good image (a rollback from 3 to 1); 2 is on trial and running.
        await appliance.SucceedAsync("rollback", "--to", "3", "--force");
        await appliance.SucceedAsync("rollback", "--to", "1");
        await appliance.SucceedAsync("apply", "--version", "2");
        await appliance.BootAsync(2, BootMode.Trial);
        var ownLayer = Path.Combine(appliance.OverlayOf(version), "etc/upper/hostname");
        Directory.CreateDirectory(Path.GetDirectoryName(ownLayer)!);
        await File.WriteAllTextAsync(ownLayer, $"configured on {version}\n");
        var before = await appliance.BootStateAsync();

        var result = await appliance.RunAsync("apply", "--version", version.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal((int)ExitCode.InvalidInput, result.ExitCode);
        Assert.Contains(reason, result.StandardError, StringComparison.Ordinal);
        Assert.Equal($"configured on {version}\n", await File.ReadAllTextAsync(ownLayer));
        Assert.Equal(before, await appliance.BootStateAsync());
        Assert.Equal(new BootState(1, 3, 2, BootTransitions.DefaultTrialTries, null), before);
    }

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task A_manifest_without_carry_over_is_refused_by_stage_and_by_apply_with_invalid_input()
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        var second = await TestImage.CreateAsync(appliance.Downloads, 2);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(second.ManifestPath))!.AsObject();
        manifest.Remove("carry_over");
        await File.WriteAllTextAsync(second.ManifestPath, manifest.ToJsonString());

        var stage = await appliance.RunAsync("stage", second.ImagePath, "--insecure-unsigned");
        // As if an older upgradectl had staged it.
        File.Copy(second.ImagePath, Path.Combine(appliance.Images, "2.img"), overwrite: true);
        File.Copy(second.ManifestPath, Path.Combine(appliance.Images, "2.manifest.json"), overwrite: true);
        var apply = await appliance.RunAsync("apply");

        Assert.Equal((int)ExitCode.InvalidInput, stage.ExitCode);
        Assert.Contains("carry_over", stage.StandardError, StringComparison.Ordinal);
        Assert.Equal((int)ExitCode.InvalidInput, apply.ExitCode);
        Assert.Contains("carry_over", apply.StandardError, StringComparison.Ordinal);
        Assert.Equal(new BootState(1, null, null, 0, null), await appliance.BootStateAsync());
        Assert.False(Directory.Exists(appliance.OverlayOf(2)));
    }

    [ToolFact("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    public async Task A_migration_hook_that_times_out_exits_external_tool_failed_and_changes_no_boot()
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        var second = await TestImage.CreateAsync(appliance.Downloads, 2,
            files: new Dictionary<string, string> { ["/usr/lib/appliance/migrate.d/10-hang"] = "#!/bin/sh\nsleep 20\n" });
        await appliance.SucceedAsync("stage", second.ImagePath, "--insecure-unsigned");

        var result = await appliance.RunWithinAsync(TimeSpan.FromSeconds(60), new Dictionary<string, string?> { [MigrationHooks.TimeoutVariable] = "1" }, "apply");

        Assert.Equal((int)ExitCode.ExternalToolFailed, result.ExitCode);
        Assert.Contains("10-hang of image 2 did not finish within 1 s", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(new BootState(1, null, null, 0, null), await appliance.BootStateAsync());
        Assert.Equal("failed", (await appliance.StatusAsync()).GetProperty("last_operation").GetProperty("result").GetString());
    }

    public void Dispose() => directory.Dispose();
}
