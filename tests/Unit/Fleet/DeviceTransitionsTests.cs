using System.Text.Json;
using Appliance.Core.Fleet;
using Appliance.Fleet.Rollouts;

namespace Appliance.Tests.Unit.Fleet;

public sealed class DeviceTransitionsTests
{
    private static readonly ActionOutcome Succeeded = new("a-1", FleetProtocol.Succeeded, 0, null, DateTimeOffset.UnixEpoch);
    private static readonly ActionOutcome Failed = new("a-1", FleetProtocol.Failed, 16, "download failed", DateTimeOffset.UnixEpoch);
    private static readonly ActionOutcome Refused = new("a-1", FleetProtocol.Refused, 2, "outside the window", DateTimeOffset.UnixEpoch);

    [Fact]
    public void A_finished_download_is_staged_never_confirmed()
    {
        var next = DeviceTransitions.Next(DeviceRolloutState.Offered, 2, Report(1, "default", 1, null), FleetProtocol.StageAction, Succeeded);
        Assert.Equal(DeviceRolloutState.Staged, next!.State);
    }

    [Fact]
    public void A_succeeded_apply_alone_confirms_nothing_the_confirmed_default_does()
    {
        Assert.Null(DeviceTransitions.Next(DeviceRolloutState.Switching, 2, Report(1, "default", 1, null), FleetProtocol.ApplyAction, Succeeded));
        Assert.Null(DeviceTransitions.Next(DeviceRolloutState.Switching, 2, Report(2, "trial", 1, null), null, null));
        Assert.Equal(DeviceRolloutState.Confirmed, DeviceTransitions.Next(DeviceRolloutState.Switching, 2, Report(2, "default", 2, null), null, null)!.State);
    }

    [Fact]
    public void A_failed_trial_an_unhealthy_boot_or_a_failed_action_fail_the_device()
    {
        Assert.Equal(DeviceRolloutState.Failed, DeviceTransitions.Next(DeviceRolloutState.Switching, 2, Report(1, "default", 1, 2), null, null)!.State);
        Assert.Equal(DeviceRolloutState.Failed, DeviceTransitions.Next(DeviceRolloutState.Switching, 2, Report(2, "default", 2, null, "unhealthy"), null, null)!.State);
        Assert.Equal(DeviceRolloutState.Failed, DeviceTransitions.Next(DeviceRolloutState.Offered, 2, Report(1, "default", 1, null), FleetProtocol.StageAction, Failed)!.State);
        Assert.Equal(DeviceRolloutState.Failed, DeviceTransitions.Next(DeviceRolloutState.Switching, 2, Report(1, "default", 1, null), FleetProtocol.ApplyAction, Failed)!.State);
    }

    [Fact]
    public void A_refused_apply_goes_back_to_staged_and_settled_devices_do_not_move()
    {
        Assert.Equal(DeviceRolloutState.Staged, DeviceTransitions.Next(DeviceRolloutState.Switching, 2, Report(1, "default", 1, null), FleetProtocol.ApplyAction, Refused)!.State);
        Assert.Null(DeviceTransitions.Next(DeviceRolloutState.Failed, 2, Report(2, "default", 2, null), null, null));
        Assert.Null(DeviceTransitions.Next(DeviceRolloutState.PulledBack, 2, Report(1, "default", 1, 2), null, null));
    }

    [Fact]
    public void A_status_without_boot_state_or_with_a_non_numeric_version_is_not_a_report()
    {
        Assert.Null(DeviceReport.Parse(JsonDocument.Parse("""{"booted": null}""").RootElement));
        Assert.Null(DeviceReport.Parse(JsonDocument.Parse("""{"booted": {"version": "two", "mode": "default"}, "boot_state": {}}""").RootElement));
        Assert.NotNull(DeviceReport.Parse(JsonDocument.Parse("""{"booted": null, "boot_state": {"default": null}}""").RootElement));
    }

    private static DeviceReport Report(int booted, string mode, int defaultVersion, int? trialFailed, string? outcome = null) =>
        DeviceReport.Parse(JsonSerializer.SerializeToElement(new Dictionary<string, object?>
        {
            ["booted"] = new Dictionary<string, object?> { ["version"] = booted, ["mode"] = mode },
            ["boot_state"] = new Dictionary<string, object?> { ["default"] = defaultVersion, ["trial_failed"] = trialFailed },
            ["boot_history"] = outcome is null ? Array.Empty<object>() : new object[] { new Dictionary<string, object?> { ["version"] = booted, ["outcome"] = outcome } },
        }))!;
}
