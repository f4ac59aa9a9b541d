using Appliance.Core.Errors;
using Appliance.Core.Fleet;
using Appliance.Upgradectl.Agent;

namespace Appliance.Tests.Unit;

/// <summary>The agent's pure decisions: when to check in, when a window is open, which actions it refuses, what it remembers.</summary>
public sealed class FleetAgentLogicTests
{
    private static readonly MaintenanceWindow NightInBerlin = new("0 2 * * *", "Europe/Berlin", 120);

    [Fact]
    public void The_next_check_in_is_at_the_devices_offset_within_the_interval_plus_jitter()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_000_000_000 + 10); // 1e9 is a multiple of 300 + 100
        var intoInterval = now.ToUnixTimeSeconds() % 300;

        Assert.Equal(TimeSpan.FromSeconds(((250 - intoInterval) + 300) % 300), CheckInTiming.UntilNextSlot(now, 300, 250, 0));
        Assert.Equal(TimeSpan.FromSeconds(300), CheckInTiming.UntilNextSlot(now, 300, (int)intoInterval, 0));
        Assert.Equal(TimeSpan.FromSeconds(300 + 7.5), CheckInTiming.UntilNextSlot(now, 300, (int)intoInterval, 7.5));
    }

    [Fact]
    public void Backoff_doubles_from_five_seconds_and_never_exceeds_one_interval()
    {
        Assert.Equal([5, 10, 20, 40, 80, 160, 300, 300], Enumerable.Range(1, 8).Select(failures => CheckInTiming.Backoff(failures, 300, 0).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(2), CheckInTiming.Backoff(1000, 2, 0));
    }

    [Theory]
    [InlineData("2026-06-01T23:59:00Z", false)] // 01:59 in Berlin (summer time)
    [InlineData("2026-06-02T00:00:00Z", true)]  // 02:00: opens
    [InlineData("2026-06-02T01:59:00Z", true)]
    [InlineData("2026-06-02T02:00:00Z", false)] // 04:00: 120 minutes later, closed
    [InlineData("2026-12-02T00:30:00Z", false)] // 01:30 in Berlin (winter time)
    [InlineData("2026-12-02T01:30:00Z", true)]
    public void A_window_is_open_from_each_cron_occurrence_in_its_time_zone_for_its_duration(string instant, bool open)
    {
        Assert.Equal(open, MaintenanceWindowSchedule.IsOpen(NightInBerlin, DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void An_apply_is_refused_outside_its_window_and_for_missing_fields_but_stage_rollback_and_windowless_apply_run_at_any_time()
    {
        var closed = DateTimeOffset.Parse("2026-06-02T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var apply = new DeviceAction("a1", FleetProtocol.ApplyAction, 2, null, null, NightInBerlin, "rollout");

        Assert.StartsWith("outside the maintenance window '0 2 * * *' (Europe/Berlin, 120 min); next opens 2026-06-03 00:00:00Z", ActionExecutor.Refusal(apply, closed), StringComparison.Ordinal);
        Assert.Null(ActionExecutor.Refusal(apply, closed.AddHours(14.5)));
        Assert.Null(ActionExecutor.Refusal(apply with { Window = null }, closed));
        Assert.Contains("not a five-field cron expression", ActionExecutor.Refusal(apply with { Window = NightInBerlin with { Cron = "every night" } }, closed), StringComparison.Ordinal);
        Assert.Contains("not a known time zone", ActionExecutor.Refusal(apply with { Window = NightInBerlin with { TimeZone = "Mars/Olympus" } }, closed), StringComparison.Ordinal);
        Assert.Null(ActionExecutor.Refusal(new DeviceAction("s1", FleetProtocol.StageAction, 2, "https://r", "stable", null, null), closed));
        Assert.Equal("a stage action needs repository_url and channel", ActionExecutor.Refusal(new DeviceAction("s1", FleetProtocol.StageAction, 2, null, "stable", null, null), closed));
        Assert.Null(ActionExecutor.Refusal(new DeviceAction("r1", FleetProtocol.RollbackAction, 1, null, null, null, "support"), closed));
        Assert.Equal("unknown action kind 'format-disk'", ActionExecutor.Refusal(new DeviceAction("x", "format-disk", 1, null, null, null, null), closed));
        Assert.Equal("version 0 is not an image version", ActionExecutor.Refusal(new DeviceAction("x", FleetProtocol.RollbackAction, 0, null, null, null, null), closed));
    }

    [Fact]
    public void A_window_of_no_duration_is_invalid_input()
    {
        var error = Assert.Throws<ApplianceException>(() => MaintenanceWindowSchedule.IsOpen(NightInBerlin with { DurationMinutes = 0 }, DateTimeOffset.UnixEpoch));
        Assert.Equal(ExitCode.InvalidInput, error.ExitCode);
    }

    [Fact]
    public void Outcomes_stay_unacknowledged_until_the_fleet_confirms_them_and_a_finished_action_is_answered_with_its_outcome()
    {
        var now = DateTimeOffset.UnixEpoch;
        var state = AgentState.Empty.Start(new StartedAction("a1", FleetProtocol.StageAction, 2, now));
        var outcome = new ActionOutcome("a1", FleetProtocol.Succeeded, 0, "staged image 2", now);

        state = state.Finish(outcome);
        Assert.Null(state.Running);
        Assert.Equal([outcome], state.Unacknowledged);

        state = state.Acknowledge(["a1"]);
        Assert.Empty(state.Unacknowledged);
        Assert.True(state.HasFinished("a1"));

        state = state.Resend("a1").Resend("a1");
        Assert.Equal([outcome], state.Unacknowledged);
    }

    [Fact]
    public void Only_the_most_recent_finished_outcomes_are_kept()
    {
        var state = AgentState.Empty;
        for (var i = 0; i < AgentState.FinishedKept + 5; i++)
        {
            state = state.Finish(new ActionOutcome($"a{i}", FleetProtocol.Succeeded, 0, null, DateTimeOffset.UnixEpoch)).Acknowledge([$"a{i}"]);
        }

        Assert.Equal(AgentState.FinishedKept, state.Finished.Count);
        Assert.False(state.HasFinished("a4"));
        Assert.True(state.HasFinished("a5"));
    }
}
