using Appliance.Core.Fleet;

namespace Appliance.Fleet.Rollouts;

/// <summary>
/// The per-device state machine of a rollout of version N (pure). What the device's status shows wins over action
/// outcomes: a confirmed default on N is confirmed, a failed trial of N or an unhealthy N is failed. Otherwise the
/// outcome of the rollout's own action moves it: stage succeeded -> staged; stage or apply failed -> failed; an apply
/// refused (window closed on the device) -> staged again, a stage refused -> offered again.
/// </summary>
public static class DeviceTransitions
{
    /// <param name="outcome">The outcome just reported for this rollout's open action of <paramref name="actionKind"/>, if any.</param>
    public static DeviceTransition? Next(string state, int version, DeviceReport report, string? actionKind, ActionOutcome? outcome)
    {
        if (!DeviceRolloutState.InFlight.Contains(state))
        {
            return null;
        }
        if (report.HasFailedOn(version))
        {
            return new DeviceTransition(DeviceRolloutState.Failed,
                report.TrialFailed == version ? $"trial of {version} failed (GRUB gave up or the health check rejected it)" : $"booted {version} unhealthy");
        }
        if (report.IsConfirmedOn(version))
        {
            return new DeviceTransition(DeviceRolloutState.Confirmed, $"booted {version} as the confirmed default");
        }
        if (outcome is null)
        {
            return null;
        }
        return (actionKind, outcome.Result) switch
        {
            (FleetProtocol.StageAction, FleetProtocol.Succeeded) when state == DeviceRolloutState.Offered =>
                new DeviceTransition(DeviceRolloutState.Staged, $"staged {version}"),
            (FleetProtocol.StageAction or FleetProtocol.ApplyAction, FleetProtocol.Failed) =>
                new DeviceTransition(DeviceRolloutState.Failed, $"{actionKind} of {version} failed with exit code {outcome.ExitCode}: {outcome.Message}"),
            (FleetProtocol.ApplyAction, FleetProtocol.Refused) when state == DeviceRolloutState.Switching =>
                new DeviceTransition(DeviceRolloutState.Staged, $"apply refused by the device: {outcome.Message}"),
            (FleetProtocol.StageAction, FleetProtocol.Refused) when state == DeviceRolloutState.Offered =>
                new DeviceTransition(DeviceRolloutState.Offered, $"stage refused by the device: {outcome.Message}"),
            _ => null,
        };
    }
}
