using System.Text.Json;
using Appliance.Core.Fleet;
using Appliance.Fleet.Storage;

namespace Appliance.Fleet.Rollouts;

/// <summary>
/// Decides, inside the caller's transaction, what a check-in changes and which one action the device gets; and
/// applies every consequence of a device's move (counters, ring advancement, the halt rule, pull-back) in that same
/// transaction, so the halt happens on the report that crosses the line and a crash loses either all of it or none.
/// </summary>
public sealed class RolloutEngine(EngineSettings settings, TimeProvider clock)
{
    public TimeProvider Clock => clock;

    /// <summary>
    /// One check-in. Writes nothing at all when it changes nothing (same facts, no outcome, no new action): then the
    /// result says so and the caller batches the last-seen time (LastSeenBuffer), so it runs read-only.
    /// </summary>
    public async Task<CheckInResult> CheckInAsync(IFleetTransaction transaction, string deviceId, CheckInRequest request, DeviceReport report)
    {
        var now = clock.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var device = await transaction.GetDeviceAsync(deviceId) ?? throw new FleetRequestException(403, "This device is not enrolled.");
        if (device.RevokedAt is not null)
        {
            throw new FleetRequestException(403, "This device has been revoked.");
        }
        if (request.Sequence <= device.LastSequence)
        {
            throw new FleetRequestException(409, $"Sequence {request.Sequence} is not above the last one seen ({device.LastSequence}): a replayed or reordered request.");
        }

        var acknowledged = new List<string>();
        var finished = new List<(ActionRow Action, ActionOutcome Outcome)>();
        foreach (var outcome in request.Outcomes)
        {
            acknowledged.Add(outcome.ActionId);
            var action = await transaction.GetActionAsync(outcome.ActionId);
            // Another device's action id (or a made-up one) is acknowledged so the agent stops sending it, and changes nothing.
            if (action is not null && action.DeviceId == device.Id && action.Result is null
                && await transaction.FinishActionAsync(action.Id, outcome.Result, outcome.ExitCode, outcome.Message, nowMs))
            {
                finished.Add((action, outcome));
            }
        }

        var openAction = device.OpenActionId is { } openId ? await transaction.GetActionAsync(openId) : null;
        if (openAction is not null && (openAction.Result is not null || finished.Any(f => f.Action.Id == openAction.Id)))
        {
            openAction = null;
        }
        else if (openAction is not null && TookEffect(openAction, report) is { } result)
        {
            // A switch reboots the device: its status after the reboot is the outcome when the agent had no chance to send one.
            await transaction.FinishActionAsync(openAction.Id, result, 0, "taken effect (seen in the status after the reboot)", nowMs);
            openAction = null;
        }

        var unknownVersion = report.BootedVersion is { } booted && !await transaction.IsKnownVersionAsync(booted) ? booted : (int?)null;
        if (unknownVersion is not null && unknownVersion != device.UnknownVersion)
        {
            await AuditLog.AppendAsync(transaction, nowMs, AuditLog.Engine, "unknown_version", DeviceSubject(device.Id),
                $"the device reports version {unknownVersion}, which no rollout or enrolment names", new { version = device.Version }, new { version = unknownVersion });
        }
        if (openAction?.Id != device.OpenActionId)
        {
            await transaction.SetOpenActionAsync(device.Id, openAction?.Id);
        }

        var group = await transaction.GetGroupAsync(device.GroupName) ?? throw new InvalidOperationException($"Group {device.GroupName} of {device.Id} is missing.");
        var rollout = await transaction.GetOpenRolloutAsync(group.Channel);
        RolloutDeviceRow? membership = null;
        if (rollout is not null)
        {
            membership = await transaction.GetRolloutDeviceAsync(rollout.Id, device.Id);
            if (membership is not null)
            {
                var own = finished.LastOrDefault(f => f.Action.RolloutId == rollout.Id);
                if (DeviceTransitions.Next(membership.State, rollout.Version, report, own.Action?.Kind, own.Outcome) is { } transition)
                {
                    await MoveAsync(transaction, rollout, membership, transition, AuditLog.Engine, nowMs);
                    rollout = await transaction.GetRolloutAsync(rollout.Id);
                    membership = await transaction.GetRolloutDeviceAsync(membership.RolloutId, device.Id);
                }
            }
        }

        var next = openAction is not null
            ? JsonSerializer.Deserialize(openAction.Payload, FleetJsonContext.Default.DeviceAction)
            : await NextActionAsync(transaction, device, group, rollout, membership, report, now);
        // Last, so that every write above counts: a check-in that moved anything also stores its report and sequence.
        var recorded = transaction.HasWritten || report.BootedVersion != device.Version || unknownVersion != device.UnknownVersion
            || StatusChange.Differs(device.StatusJson, request.Status);
        if (recorded)
        {
            await transaction.RecordCheckInAsync(device.Id, request.Sequence, report.BootedVersion, unknownVersion, request.Status.GetRawText(), nowMs);
        }
        return new CheckInResult(new CheckInResponse(settings.IntervalSeconds, CheckInSchedule.OffsetSeconds(device.Id, settings.IntervalSeconds),
            CheckInSchedule.JitterSeconds(settings.IntervalSeconds), acknowledged, next), recorded);
    }

    /// <summary>
    /// Counts switching devices silent past their deadline as failed. Each move is conditional on the device still
    /// switching, so two nodes sweeping at once count it once. Returns how many it failed.
    /// </summary>
    public async Task<int> SweepAsync(IFleetTransaction transaction, int limit)
    {
        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var failed = 0;
        foreach (var row in await transaction.ListOverdueAsync(nowMs, limit))
        {
            if (await transaction.GetRolloutAsync(row.RolloutId) is { } rollout
                && await MoveAsync(transaction, rollout, row, new DeviceTransition(DeviceRolloutState.Failed, "silent past its deadline after the switch"), AuditLog.Engine, nowMs))
            {
                failed++;
            }
        }
        return failed;
    }

    /// <summary>Moves one device and applies the consequences; false when the device was no longer in the expected state.</summary>
    public async Task<bool> MoveAsync(IFleetTransaction transaction, RolloutRow rollout, RolloutDeviceRow row, DeviceTransition transition, string actor, long nowMs)
    {
        if (!await transaction.MoveRolloutDeviceAsync(rollout.Id, row.DeviceId, row.State, transition.State, null, transition.Detail, nowMs))
        {
            return false;
        }
        switch (transition.State)
        {
            case DeviceRolloutState.Confirmed:
                // A device that got to N without our apply (by hand) was given the release all the same.
                await transaction.AddToCountersAsync(rollout.Id, row.Ring, row.State == DeviceRolloutState.Switching ? 0 : 1, 1, 0);
                await AdvanceAsync(transaction, rollout.Id, nowMs);
                break;
            case DeviceRolloutState.Failed:
                await transaction.AddToCountersAsync(rollout.Id, row.Ring, 0, 0, 1);
                await AuditLog.AppendAsync(transaction, nowMs, actor, "device_failed", DeviceSubject(row.DeviceId), transition.Detail,
                    new { rollout = rollout.Id, state = row.State }, new { rollout = rollout.Id, state = transition.State });
                await ApplyHaltRuleAsync(transaction, rollout.Id, nowMs);
                break;
            case DeviceRolloutState.Staged when row.State == DeviceRolloutState.Switching:
                // The apply was refused: it did not give the release after all, and will be sent again.
                await transaction.AddToCountersAsync(rollout.Id, row.Ring, -1, 0, 0);
                break;
        }
        return true;
    }

    /// <summary>Moves the current ring on while it is done (RingAdvancement); each step is an audit entry.</summary>
    public async Task AdvanceAsync(IFleetTransaction transaction, long rolloutId, long nowMs)
    {
        var rollout = await transaction.GetRolloutAsync(rolloutId);
        if (rollout is null || rollout.State != RolloutState.Active)
        {
            return;
        }
        var rings = RingAssignment.Parse(rollout.Rings)!;
        var counters = await transaction.GetRingCountersAsync(rollout.Id);
        var ring = rollout.CurrentRing;
        while (ring < rings.Count - 1)
        {
            var (from, to) = RingAssignment.BucketRange(ring, rings);
            var members = await transaction.CountDevicesInBucketsAsync(rollout.Channel, from, to);
            var counter = counters[ring];
            if (!RingAdvancement.IsDone(members, counter.Confirmed, counter.Failed, rollout.AdvancePerMille, rollout.MinConfirmed))
            {
                break;
            }
            await AuditLog.AppendAsync(transaction, nowMs, AuditLog.Engine, "advance_ring", RolloutSubject(rollout.Id),
                $"ring {ring} ({rings[ring]} %) done: {counter.Confirmed} confirmed, {counter.Failed} failed of {members} devices",
                new { ring }, new { ring = ring + 1 });
            ring++;
        }
        if (ring != rollout.CurrentRing)
        {
            await transaction.SetCurrentRingAsync(rollout.Id, ring, nowMs);
        }
    }

    /// <summary>Halts the rollout (and pulls back, by policy) when the counts cross the halt rule.</summary>
    private async Task ApplyHaltRuleAsync(IFleetTransaction transaction, long rolloutId, long nowMs)
    {
        var rollout = (await transaction.GetRolloutAsync(rolloutId))!;
        if (rollout.State is not (RolloutState.Active or RolloutState.Paused))
        {
            return;
        }
        var canaryFailed = (await transaction.GetRingCountersAsync(rollout.Id))[0].Failed;
        if (HaltRule.ShouldHalt(rollout.Given, rollout.Failed, canaryFailed))
        {
            await HaltAsync(transaction, rollout, HaltRule.Explain(rollout.Given, rollout.Failed, canaryFailed), AuditLog.Engine, nowMs);
        }
    }

    /// <summary>No more stage or apply actions; with policy pull_back, devices on the release go back.</summary>
    public async Task HaltAsync(IFleetTransaction transaction, RolloutRow rollout, string reason, string actor, long nowMs)
    {
        await transaction.SetRolloutStateAsync(rollout.Id, RolloutState.Halted, reason, nowMs);
        await AuditLog.AppendAsync(transaction, nowMs, actor, "halt", RolloutSubject(rollout.Id), reason,
            new { state = rollout.State }, new { state = RolloutState.Halted, given = rollout.Given, failed = rollout.Failed });
        if (rollout.Policy == RolloutPolicy.PullBack)
        {
            await PullBackAsync(transaction, rollout, $"pull-back of rollout {rollout.Id} ({rollout.Version}): {reason}", actor, nowMs);
        }
    }

    /// <summary>Every device of the rollout confirmed on the release or switching to it is told to go back to the version it came from.</summary>
    public async Task<int> PullBackAsync(IFleetTransaction transaction, RolloutRow rollout, string reason, string actor, long nowMs)
    {
        var count = 0;
        foreach (var row in await transaction.ListRolloutDevicesAsync(rollout.Id, [DeviceRolloutState.Confirmed, DeviceRolloutState.Switching]))
        {
            if (row.FromVersion is { } from
                && await transaction.MoveRolloutDeviceAsync(rollout.Id, row.DeviceId, row.State, DeviceRolloutState.PulledBack, null, reason, nowMs))
            {
                await transaction.SetRollbackAsync(row.DeviceId, from, reason);
                count++;
            }
        }
        await AuditLog.AppendAsync(transaction, nowMs, actor, "pull_back", RolloutSubject(rollout.Id), reason, null, new { devices = count });
        return count;
    }

    public static string DeviceSubject(string deviceId) => "device/" + deviceId;

    public static string RolloutSubject(long rolloutId) => FormattableString.Invariant($"rollout/{rolloutId}");

    private async Task<DeviceAction?> NextActionAsync(IFleetTransaction transaction, DeviceRow device, GroupRow group, RolloutRow? rollout,
        RolloutDeviceRow? membership, DeviceReport report, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        if (device.RollbackTo is { } to)
        {
            await transaction.SetRollbackAsync(device.Id, null, null);
            if (report.BootedVersion != to)
            {
                return await HandOutAsync(transaction, device.Id, new DeviceAction(NewActionId(), FleetProtocol.RollbackAction, to, null, null, null, device.RollbackReason), null, nowMs);
            }
        }
        if (rollout is null || rollout.State != RolloutState.Active)
        {
            return null;
        }
        if (membership is null)
        {
            if (report.BootedVersion is not { } current || current >= rollout.Version)
            {
                return null;
            }
            var ring = RingAssignment.Ring(device.Bucket, RingAssignment.Parse(rollout.Rings)!);
            if (ring > rollout.CurrentRing)
            {
                // Rings without members (or done before this device asked) advance here, not only on confirmations.
                await AdvanceAsync(transaction, rollout.Id, nowMs);
                if (ring > (await transaction.GetRolloutAsync(rollout.Id))!.CurrentRing)
                {
                    return null;
                }
            }
            await transaction.InsertRolloutDeviceAsync(new RolloutDeviceRow
            {
                RolloutId = rollout.Id, DeviceId = device.Id, Ring = ring, State = DeviceRolloutState.Offered, FromVersion = current, UpdatedAt = nowMs,
            });
            return await HandOutAsync(transaction, device.Id, StageAction(rollout), rollout.Id, nowMs);
        }
        switch (membership.State)
        {
            case DeviceRolloutState.Offered:
                return await HandOutAsync(transaction, device.Id, StageAction(rollout), rollout.Id, nowMs);
            case DeviceRolloutState.Staged:
                if (WindowSchedule.OpenUntil(group.Window, now) is not { } windowEnd || await transaction.CountSwitchingAsync(group.Name) >= group.MaxSwitching)
                {
                    return null;
                }
                var deadline = windowEnd.AddSeconds(rollout.SilenceSeconds).ToUnixTimeMilliseconds();
                await transaction.MoveRolloutDeviceAsync(rollout.Id, device.Id, DeviceRolloutState.Staged, DeviceRolloutState.Switching, deadline, "apply sent", nowMs);
                await transaction.AddToCountersAsync(rollout.Id, membership.Ring, 1, 0, 0);
                return await HandOutAsync(transaction, device.Id,
                    new DeviceAction(NewActionId(), FleetProtocol.ApplyAction, rollout.Version, null, null, group.Window, $"rollout {rollout.Id}"), rollout.Id, nowMs);
            default:
                return null;
        }
    }

    private static DeviceAction StageAction(RolloutRow rollout) =>
        new(NewActionId(), FleetProtocol.StageAction, rollout.Version, rollout.RepositoryUrl, rollout.Channel, null, $"rollout {rollout.Id}");

    private static async Task<DeviceAction> HandOutAsync(IFleetTransaction transaction, string deviceId, DeviceAction action, long? rolloutId, long nowMs)
    {
        await transaction.InsertActionAsync(new ActionRow
        {
            Id = action.Id, DeviceId = deviceId, Kind = action.Kind, Version = action.Version, RolloutId = rolloutId, Reason = action.Reason,
            Payload = JsonSerializer.Serialize(action, FleetJsonContext.Default.DeviceAction), CreatedAt = nowMs,
        });
        await transaction.SetOpenActionAsync(deviceId, action.Id);
        return action;
    }

    private static string? TookEffect(ActionRow action, DeviceReport report) => action.Kind switch
    {
        FleetProtocol.ApplyAction when report.TrialFailed == action.Version => FleetProtocol.Failed,
        FleetProtocol.ApplyAction or FleetProtocol.RollbackAction when report.BootedVersion == action.Version => FleetProtocol.Succeeded,
        _ => null,
    };

    private static string NewActionId() => "a-" + Guid.NewGuid().ToString("N");
}
