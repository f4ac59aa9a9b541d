using Appliance.Platform.Processes;

namespace Appliance.Upgradectl.Health;

/// <summary>The system reached its target and none of the configured units failed. Only under a running systemd.</summary>
public sealed class SystemdUnitsCheck(string target, IReadOnlyList<string> requiredUnits) : IHealthCheck
{
    public static bool IsAvailable => Directory.Exists("/run/systemd/system") && ToolLocator.Find("systemctl") is not null;

    public async Task<IReadOnlyList<HealthResult>> RunAsync(CancellationToken cancellationToken)
    {
        var anyExit = new ProcessOptions(AllowedExitCodes: Enumerable.Range(1, 255).ToList());
        var results = new List<HealthResult>();
        var active = await ProcessRunner.RunAsync("systemctl", ["is-active", target], anyExit, cancellationToken);
        results.Add(new HealthResult(target, active.ExitCode == 0, active.StandardOutput.Trim()));
        foreach (var unit in requiredUnits)
        {
            var failed = await ProcessRunner.RunAsync("systemctl", ["is-failed", unit], anyExit, cancellationToken);
            // is-failed exits 0 only when the unit is in the failed state.
            results.Add(new HealthResult(unit, failed.ExitCode != 0, failed.StandardOutput.Trim()));
        }
        return results;
    }
}
