using System.Text.Json;
using Appliance.Core.Errors;
using Appliance.Core.Fleet;
using Appliance.Upgradectl.Host;
using Appliance.Upgradectl.Operations;
using Appliance.Upgradectl.Status;
using Serilog;

namespace Appliance.Upgradectl.Agent;

/// <summary>
/// <c>upgradectl agent</c>: enrols once, then checks in with the status, the unacknowledged outcomes and the action in
/// progress, and carries out the one action the fleet answers with (docs/fleet-protocol.md). Every change of its
/// memory (sequence, outcomes, the action begun) is on the host partition before it matters, so a killed agent resends
/// what the fleet has not stored, never reuses a sequence, and reports an action it was running as interrupted instead
/// of running it again. It never holds the host lock; the commands it starts wait for it.
/// </summary>
public sealed class FleetAgent(HostLayout layout, AgentSettings settings, ActionExecutor executor, Func<BootedImage?> booted)
{
    /// <summary>Fault point for the tests: the agent SIGKILLs itself right after recording that it begins an action.</summary>
    public const string ActionStartedFault = "agent.action-started";

    private readonly AgentStateStore store = new(layout);
    private AgentState state = AgentState.Empty;
    private int intervalSeconds = FleetProtocol.DefaultIntervalSeconds;
    private int offsetSeconds;
    private int jitterSeconds;

    /// <summary>One round for tests and timers: check in, run the action offered (if any) to its end, report, reboot if it asks.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        state = store.Load();
        using var client = await ConnectAsync(cancellationToken);
        await RecoverAsync(cancellationToken);
        var response = await CheckInAsync(client, cancellationToken);
        var action = Accept(response.Action);
        var outcome = action is null ? null : await RunAsync(action, executor.RunAsync(action, cancellationToken));
        if (state.Unacknowledged.Count > 0)
        {
            await CheckInAsync(client, cancellationToken);
        }
        await RebootIfAskedAsync(action, outcome, cancellationToken);
    }

    /// <summary>The service: check in at the device's slot until stopped; back off while the fleet cannot be reached.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        state = store.Load();
        FleetClient? client = null;
        (DeviceAction Action, Task<ActionOutcome?> Run)? running = null;
        var failures = 0;
        try
        {
            while (true)
            {
                TimeSpan wait;
                try
                {
                    client ??= await ConnectAsync(cancellationToken);
                    if (running is null)
                    {
                        await RecoverAsync(cancellationToken);
                    }
                    var response = await CheckInAsync(client, cancellationToken);
                    failures = 0;
                    if (running is null && Accept(response.Action) is { } action)
                    {
                        running = (action, executor.RunAsync(action, cancellationToken));
                    }
                    wait = CheckInTiming.UntilNextSlot(DateTimeOffset.UtcNow, intervalSeconds, offsetSeconds, Jitter());
                }
                catch (FleetUnavailableException e)
                {
                    failures++;
                    wait = e.RetryAfter is { } asked ? asked + TimeSpan.FromSeconds(Jitter()) : CheckInTiming.Backoff(failures, intervalSeconds, Jitter());
                    Log.Warning("{Message}; next try in {Wait:F0} s", e.Message, wait.TotalSeconds);
                }
                catch (ApplianceException e)
                {
                    wait = TimeSpan.FromSeconds(intervalSeconds + Jitter());
                    Log.Error("{Message}; next try in {Wait:F0} s", e.Message, wait.TotalSeconds);
                }

                var timer = Task.Delay(wait, cancellationToken);
                if (running is { } current && await Task.WhenAny(timer, current.Run) == current.Run)
                {
                    running = null;
                    var outcome = await RunAsync(current.Action, current.Run);
                    if (outcome is not null && ExecutorReboots(current.Action, outcome) && client is not null)
                    {
                        await ReportBeforeRebootAsync(client, cancellationToken);
                        await RebootIfAskedAsync(current.Action, outcome, cancellationToken);
                    }
                    continue;
                }
                await timer;
            }
        }
        finally
        {
            client?.Dispose();
        }
    }

    private async Task<FleetClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var credentials = new DeviceCredentials(layout);
        if (!credentials.IsEnrolled)
        {
            await new DeviceEnrolment(layout, settings).EnrolAsync(booted()?.Version, cancellationToken);
        }
        return FleetClient.Create(settings, credentials.LoadClientCertificate());
    }

    /// <summary>An action begun by an earlier agent process: still running (another upgradectl holds the lock), or interrupted.</summary>
    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        if (state.Running is not { } begun || await HostLock.IsHeldAsync(layout, cancellationToken))
        {
            return;
        }
        Log.Warning("Fleet action {Id} ({Kind} {Version}) was interrupted: the agent stopped while it ran; it is reported failed and not run again",
            begun.Id, begun.Kind, begun.Version);
        state = store.Save(state.Finish(new ActionOutcome(begun.Id, FleetProtocol.Failed, (int)ExitCode.Interrupted,
            $"interrupted: the agent stopped while {begun.Kind} {begun.Version} ran (begun {begun.Started:u}); not run again", DateTimeOffset.UtcNow)));
    }

    private async Task<CheckInResponse> CheckInAsync(FleetClient client, CancellationToken cancellationToken)
    {
        state = store.Save(state with { Sequence = state.Sequence + 1 });
        var report = StatusCollector.Collect(layout, booted(), await HostLock.IsHeldAsync(layout, cancellationToken));
        var request = new CheckInRequest(state.Sequence, JsonSerializer.SerializeToElement(report, StatusJsonContext.Default.StatusReport),
            state.Unacknowledged, state.Running?.Id);
        var response = await client.CheckInAsync(request, cancellationToken);
        state = store.Save(state.Acknowledge([.. response.AcknowledgedOutcomes]));
        (intervalSeconds, offsetSeconds, jitterSeconds) = (Math.Max(1, response.IntervalSeconds), response.OffsetSeconds, Math.Max(0, response.JitterSeconds));
        Log.Information("Checked in (sequence {Sequence}): {Action}", state.Sequence,
            response.Action is { } a ? $"action {a.Id}: {a.Kind} {a.Version}" : "nothing to do");
        return response;
    }

    /// <summary>The action to run now, or null: none, already running or finished (its outcome is sent again), or refused.</summary>
    private DeviceAction? Accept(DeviceAction? action)
    {
        if (action is null || state.Running?.Id == action.Id)
        {
            return null;
        }
        if (state.HasFinished(action.Id))
        {
            state = store.Save(state.Resend(action.Id));
            return null;
        }
        var now = DateTimeOffset.UtcNow;
        if (ActionExecutor.Refusal(action, now) is { } refusal)
        {
            Log.Warning("Fleet action {Id} ({Kind} {Version}) refused: {Refusal}", action.Id, action.Kind, action.Version, refusal);
            state = store.Save(state.Finish(new ActionOutcome(action.Id, FleetProtocol.Refused, (int)ExitCode.InvalidInput, refusal, now)));
            return null;
        }
        state = store.Save(state.Start(new StartedAction(action.Id, action.Kind, action.Version, now)));
        FaultPoints.Reach(ActionStartedFault);
        return action;
    }

    /// <summary>Waits for the command and records its outcome; null when it could not take the host lock (it runs again later).</summary>
    private async Task<ActionOutcome?> RunAsync(DeviceAction action, Task<ActionOutcome?> run)
    {
        var outcome = await run;
        state = store.Save(outcome is null ? state.Abandon() : state.Finish(outcome));
        return outcome;
    }

    private static bool ExecutorReboots(DeviceAction action, ActionOutcome outcome) =>
        ActionExecutor.Reboots(action) && outcome.Result == FleetProtocol.Succeeded;

    private async Task ReportBeforeRebootAsync(FleetClient client, CancellationToken cancellationToken)
    {
        try
        {
            await CheckInAsync(client, cancellationToken);
        }
        catch (ApplianceException e)
        {
            Log.Warning("Could not report before rebooting ({Message}); the outcome is sent after the reboot", e.Message);
        }
    }

    private async Task RebootIfAskedAsync(DeviceAction? action, ActionOutcome? outcome, CancellationToken cancellationToken)
    {
        if (action is not null && outcome is not null && ExecutorReboots(action, outcome))
        {
            await executor.RebootAsync(cancellationToken);
        }
    }

    private double Jitter() => jitterSeconds * Random.Shared.NextDouble();
}
