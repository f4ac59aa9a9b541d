using System.Text.Json;
using Appliance.Core.Boot;
using Appliance.Platform.Files;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Upgradectl;

/// <summary>
/// upgradectl SIGKILLed in the middle of steps (UPGRADECTL_FAULT), beside <see cref="FaultInjectionTests"/>, which kills
/// at their start: between apply's grubenv and grub.cfg writes, inside migration, and at every step of stage --from.
/// Afterwards the next boot is a known image, status names the step, and running the command again completes it.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class MidStepFaultInjectionTests(PublishedReleases published) : IClassFixture<PublishedReleases>, IDisposable
{
    private const int KilledBySigkill = 128 + 9;

    private readonly TempDirectory directory = new();

    /// <summary>Kill point and the step status names afterwards.</summary>
    public static TheoryData<string, string> ApplyPoints => new()
    {
        { "apply.menu", "menu" },
        { "apply.migrating-carried", "migrating" },
    };

    public static TheoryData<string> RemoteStagePoints => new()
    {
        "stage.checking", "stage.downloading", "stage.downloading-data", "stage.reconstructing", "stage.verifying", "stage.publishing",
    };

    [ToolTheory("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    [MemberData(nameof(ApplyPoints))]
    public async Task Apply_killed_inside_a_step_leaves_a_known_next_boot_and_completes_when_run_again(string point, string step)
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        await appliance.SucceedAsync("stage", (await TestImage.CreateAsync(appliance.Downloads, 2)).ImagePath, "--insecure-unsigned");

        var killed = await appliance.RunWithFaultAsync(point, "apply");

        Assert.Equal(KilledBySigkill, killed.ExitCode);
        await AssertKnownNextBootAsync(appliance);
        AssertInterruptedAt(await appliance.StatusAsync(), "apply", step);
        await appliance.SucceedAsync("apply");
        Assert.Equal(new BootState(1, null, 2, BootTransitions.DefaultTrialTries, null), await appliance.BootStateAsync());
        Assert.Contains("Appliance image 2", await File.ReadAllTextAsync(Path.Combine(appliance.Host, "boot/grub/grub.cfg")), StringComparison.Ordinal);
        Assert.Equal("site=berlin\n", await File.ReadAllTextAsync(Path.Combine(appliance.OverlayOf(2), "etc/upper/appliance/config/site.conf")));
        Assert.False(Directory.Exists(appliance.OverlayOf(2) + ".partial"));
    }

    [ToolTheory("mke2fs", "grub-editenv", "debugfs", "e2fsck")]
    [MemberData(nameof(RemoteStagePoints))]
    public async Task Stage_from_the_repository_killed_at_any_step_leaves_the_appliance_as_it_was_and_completes_when_run_again(string point)
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        appliance.ReplaceImage(published.First);
        var repository = await published.CopyRepositoryAsync(directory.File("repo"));
        appliance.ProvisionTrustRoot(repository);
        var certificates = directory.File("certificates");
        await using (await RunningDistributor.StartAsync(repository, certificates))
        {
        }
        await using var server = await FaultyRepositoryServer.StartAsync(repository, certificates, new FaultyServerOptions());
        string[] stage = ["stage", "--from", server.Address.ToString(), "--ca-cert", Path.Combine(certificates, "distributor.crt.pem")];

        var killed = await appliance.RunWithFaultAsync(point, stage);

        Assert.Equal(KilledBySigkill, killed.ExitCode);
        await AssertKnownNextBootAsync(appliance);
        Assert.Equal(new BootState(1, null, null, 0, null), await appliance.BootStateAsync());
        Assert.False(File.Exists(Path.Combine(appliance.Images, "2.img")));
        await appliance.SucceedAsync(stage);
        Assert.Equal(published.Second.Manifest.Sha256, await Sha256File.ComputeAsync(Path.Combine(appliance.Images, "2.img"), default));
        Assert.Empty(Directory.EnumerateFiles(appliance.Images, "*.partial"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(appliance.Downloaded));
    }

    public void Dispose() => directory.Dispose();

    private static async Task AssertKnownNextBootAsync(ApplianceRoot appliance)
    {
        var (version, mode) = await appliance.NextBootAsync();
        var state = await appliance.BootStateAsync();
        Assert.True(File.Exists(Path.Combine(appliance.Images, $"{version}.img")), $"the next boot's image {version} exists");
        Assert.True(version == state.Default || (mode == BootMode.Trial && state.Default is not null),
            $"the next boot is the default or a counted trial with the default behind it, not {version} ({mode})");
    }

    private static void AssertInterruptedAt(JsonElement status, string kind, string step)
    {
        var last = status.GetProperty("last_operation");
        Assert.Equal(kind, last.GetProperty("kind").GetString());
        Assert.Equal(step, last.GetProperty("step").GetString());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("result").ValueKind);
    }
}
