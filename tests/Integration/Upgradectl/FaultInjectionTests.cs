using System.Text.Json;
using Appliance.Core.Boot;
using Appliance.Tests.Support;

namespace Appliance.Tests.Integration.Upgradectl;

/// <summary>
/// upgradectl SIGKILLed at every step of every state-changing command (UPGRADECTL_FAULT). Afterwards the next boot is
/// always a known image (the default, or a trial GRUB falls back from), status names the interrupted step, and running
/// the same command again completes it with nothing of the carried configuration lost.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class FaultInjectionTests : IDisposable
{
    private const int KilledBySigkill = 128 + 9;

    private readonly TempDirectory directory = new();

    public static TheoryData<string> Points => new()
    {
        "stage.checking", "stage.copying", "stage.verifying", "stage.publishing",
        "apply.migrating", "apply.switching",
        "rollback.switching",
        "prune.menu", "prune.removing",
        "mark-good.boot-state", "mark-good.menu", "mark-good.record",
        "mark-bad.boot-state", "mark-bad.menu", "mark-bad.record",
    };

    [ToolTheory("mke2fs", "grub-editenv", "debugfs", "e2fsck", "grub-emu")]
    [MemberData(nameof(Points))]
    public async Task A_command_killed_at_any_step_leaves_a_bootable_known_image_explains_itself_and_completes_when_run_again(string point)
    {
        var appliance = await ApplianceRoot.CreateAsync(directory);
        var operation = point[..point.IndexOf('.', StringComparison.Ordinal)];
        var arguments = await PrepareAsync(appliance, operation);

        var killed = await appliance.RunWithFaultAsync(point, arguments);

        Assert.Equal(KilledBySigkill, killed.ExitCode);
        var (version, mode) = await appliance.NextBootAsync();
        var state = await appliance.BootStateAsync();
        Assert.True(File.Exists(Path.Combine(appliance.Images, $"{version}.img")), $"the next boot's image {version} exists");
        Assert.True(version == state.Default || (mode == BootMode.Trial && state.Default is not null && state.TrialTries >= 0),
            $"the next boot is the default or a counted trial with the default behind it, not {version} ({mode})");
        var last = (await appliance.StatusAsync()).GetProperty("last_operation");
        Assert.Equal(operation, last.GetProperty("kind").GetString());
        Assert.Equal(point[(operation.Length + 1)..], last.GetProperty("step").GetString());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("result").ValueKind);

        await appliance.SucceedAsync(arguments);

        Assert.Equal("succeeded", (await appliance.StatusAsync()).GetProperty("last_operation").GetProperty("result").GetString());
        await AssertCompletedAsync(appliance, operation);
    }

    public void Dispose() => directory.Dispose();

    /// <summary>Brings the appliance to where the command makes sense and returns the command.</summary>
    private static async Task<string[]> PrepareAsync(ApplianceRoot appliance, string operation)
    {
        var second = await TestImage.CreateAsync(appliance.Downloads, 2);
        if (operation == "stage")
        {
            return ["stage", second.ImagePath, "--insecure-unsigned"];
        }
        await appliance.SucceedAsync("stage", second.ImagePath, "--insecure-unsigned");
        if (operation == "apply")
        {
            return ["apply"];
        }
        await appliance.SucceedAsync("apply");
        await appliance.BootAsync(2, BootMode.Trial);
        switch (operation)
        {
            case "mark-good":
                return ["mark-good"];
            case "mark-bad":
                return ["mark-bad"];
        }
        await appliance.SucceedAsync("mark-good");
        if (operation == "rollback")
        {
            return ["rollback"];
        }
        await appliance.SucceedAsync("stage", (await TestImage.CreateAsync(appliance.Downloads, 3)).ImagePath, "--insecure-unsigned");
        return ["prune", "--keep", "1"];
    }

    private static async Task AssertCompletedAsync(ApplianceRoot appliance, string operation)
    {
        var state = await appliance.BootStateAsync();
        switch (operation)
        {
            case "stage":
                Assert.True(File.Exists(Path.Combine(appliance.Images, "2.img")));
                Assert.Empty(Directory.EnumerateFiles(appliance.Images, "*.partial"));
                Assert.Equal(new BootState(1, null, null, 0, null), state);
                break;
            case "apply":
                Assert.Equal(new BootState(1, null, 2, BootTransitions.DefaultTrialTries, null), state);
                Assert.Equal("site=berlin\n", await File.ReadAllTextAsync(Path.Combine(appliance.OverlayOf(2), "etc/upper/appliance/config/site.conf")));
                Assert.False(Directory.Exists(appliance.OverlayOf(2) + ".partial"));
                break;
            case "mark-good":
                Assert.Equal(new BootState(2, 1, null, 0, null), state);
                break;
            case "mark-bad":
                Assert.Equal(new BootState(1, null, null, 0, 2), state);
                break;
            case "rollback":
                Assert.Equal(new BootState(1, 2, null, 0, null), state);
                break;
            case "prune":
                Assert.False(File.Exists(Path.Combine(appliance.Images, "3.img")));
                Assert.True(File.Exists(Path.Combine(appliance.Images, "2.img")) && File.Exists(Path.Combine(appliance.Images, "1.img")));
                break;
        }
        Assert.Equal("site=berlin\n", await File.ReadAllTextAsync(Path.Combine(appliance.Root, "etc/appliance/config/site.conf")));
    }
}
