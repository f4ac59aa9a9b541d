using Appliance.Core.Boot;
using Appliance.Platform.Processes;
using Appliance.Tests.Support;

namespace Appliance.Tests.Unit;

public sealed class GrubConfigRendererTests
{
    private static readonly BootImageEntry[] Images = [new(1, KnownGood: true), new(3, KnownGood: false), new(2, KnownGood: true)];

    [Fact]
    public void There_is_one_loopback_entry_per_image_newest_first()
    {
        var config = GrubConfigRenderer.Render(Images, "console=ttyS0");

        var order = new[] { "--id image-3", "--id image-2", "--id image-1" }.Select(id => config.IndexOf(id, StringComparison.Ordinal)).ToList();
        Assert.All(order, index => Assert.True(index > 0));
        Assert.Equal(order.Order(), order);
        Assert.Contains("loopback image2 ($appliance_host)/images/2.img", config, StringComparison.Ordinal);
        Assert.Contains("appliance.image=/images/2.img appliance.version=2 appliance.boot=$entry_mode console=ttyS0", config, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_usable_environment_block_the_newest_known_good_image_boots()
    {
        var config = GrubConfigRenderer.Render(Images, "");

        Assert.Contains("set appliance_fallback=2\n", config, StringComparison.Ordinal);
        Assert.Contains("if [ -z \"$boot_version\" ]; then set boot_version=$appliance_fallback", config, StringComparison.Ordinal);
        Assert.Contains("set fallback=1\n", config, StringComparison.Ordinal); // image 2 is the second entry, newest first
    }

    [Fact]
    public void A_menu_that_follows_grub_mkconfigs_own_entries_leaves_grubs_fallback_entry_number_unset()
    {
        var config = GrubConfigRenderer.Render(Images, "", wholeMenu: false);

        Assert.DoesNotContain("set fallback=", config, StringComparison.Ordinal);
        Assert.Contains("set appliance_fallback=2\n", config, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_trial_boot_counts_down_one_try_and_an_exhausted_trial_is_recorded_as_failed()
    {
        var config = GrubConfigRenderer.Render(Images, "");

        Assert.Contains("  if [ \"$appliance_tries\" = \"9\" ]; then\n    set appliance_tries=8\n", config, StringComparison.Ordinal);
        Assert.Contains("elif [ \"$appliance_tries\" = \"2\" ]; then\n    set appliance_tries=1\n", config, StringComparison.Ordinal);
        Assert.Contains("elif [ \"$appliance_tries\" = \"1\" ]; then\n    set appliance_tries=0\n", config, StringComparison.Ordinal);
        Assert.Contains("else\n    set appliance_trial_failed=\"$appliance_trial\"\n    set appliance_trial=\n    set appliance_tries=0\n", config, StringComparison.Ordinal);
        Assert.DoesNotContain("appliance_tries\" = \"10\"", config, StringComparison.Ordinal);
    }

    [ToolFact("grub-script-check")]
    public async Task The_rendered_config_is_valid_grub_script()
    {
        using var directory = new TempDirectory();
        var path = directory.File("grub.cfg");
        await File.WriteAllTextAsync(path, GrubConfigRenderer.Render(Images, "console=ttyS0 panic=10"));
        await File.WriteAllTextAsync(directory.File("embedded.cfg"), GrubConfigRenderer.RenderEmbedded(Guid.NewGuid()));

        await ProcessRunner.RunAsync("grub-script-check", [path]);
        await ProcessRunner.RunAsync("grub-script-check", [directory.File("embedded.cfg")]);
    }
}
