using System.Globalization;
using Appliance.Core.Errors;
using Appliance.Core.Fleet;
using Appliance.Platform.Processes;
using Serilog;

namespace Appliance.Upgradectl.Agent;

/// <summary>
/// Runs a fleet action as the operator's own command: this upgradectl binary as a child process with the same
/// <c>--root</c> and <c>--cmdline</c>. The command takes the host lock itself (waiting up to
/// <see cref="LockWaitSeconds"/> for a running operation or the health check), journals its steps and maps its
/// errors to the documented exit codes; a crash or kill of the command never takes the agent with it, and the agent
/// never holds the lock.
/// </summary>
public sealed class ActionExecutor(AgentSettings settings, string root, string commandLine)
{
    public const int LockWaitSeconds = 60;
    private const int MessageLimit = 1000;

    /// <summary>Why the action must not run (invalid, unknown, an apply outside its window), or null when it may.</summary>
    public static string? Refusal(DeviceAction action, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (action.Version <= 0)
        {
            return $"version {action.Version} is not an image version";
        }
        switch (action.Kind)
        {
            case FleetProtocol.StageAction when string.IsNullOrWhiteSpace(action.RepositoryUrl) || string.IsNullOrWhiteSpace(action.Channel):
                return "a stage action needs repository_url and channel";
            case FleetProtocol.StageAction or FleetProtocol.RollbackAction:
            case FleetProtocol.ApplyAction when action.Window is null: // a group without a window may switch at any time
                return null;
            case FleetProtocol.ApplyAction:
                try
                {
                    return MaintenanceWindowSchedule.IsOpen(action.Window, now) ? null
                        : $"outside the maintenance window '{action.Window.Cron}' ({action.Window.TimeZone}, {action.Window.DurationMinutes} min); next opens {MaintenanceWindowSchedule.NextOpening(action.Window, now):u}";
                }
                catch (ApplianceException e)
                {
                    return e.Message;
                }
            default:
                return $"unknown action kind '{action.Kind}'";
        }
    }

    /// <summary>Whether a successful run of this kind is followed by a reboot.</summary>
    public static bool Reboots(DeviceAction action) => action.Kind is FleetProtocol.ApplyAction or FleetProtocol.RollbackAction;

    /// <summary>Runs the command; null when the host lock stayed busy (nothing was done, so the action may run later).</summary>
    public async Task<ActionOutcome?> RunAsync(DeviceAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var arguments = ArgumentsFor(action);
        Log.Information("Fleet action {Id}: upgradectl {Arguments} ({Reason})", action.Id, string.Join(' ', arguments), action.Reason);
        var result = await ProcessRunner.RunAsync(Environment.ProcessPath!, arguments,
            new ProcessOptions(AllowedExitCodes: Enumerable.Range(1, 255).ToList()), cancellationToken);
        if (result.ExitCode == (int)ExitCode.Busy)
        {
            Log.Warning("Fleet action {Id}: another upgradectl kept the host lock; it runs at a later check-in", action.Id);
            return null;
        }
        var message = LastLine(result.ExitCode == 0 ? result.StandardOutput : result.StandardError) ?? LastLine(result.StandardOutput);
        Log.Information("Fleet action {Id} ended with exit code {ExitCode}: {Message}", action.Id, result.ExitCode, message);
        return new ActionOutcome(action.Id, result.ExitCode == 0 ? FleetProtocol.Succeeded : FleetProtocol.Failed, result.ExitCode, message, DateTimeOffset.UtcNow);
    }

    public async Task RebootAsync(CancellationToken cancellationToken)
    {
        Log.Information("Rebooting: {Command}", string.Join(' ', settings.RebootCommand));
        await ProcessRunner.RunAsync(settings.RebootCommand[0], settings.RebootCommand.Skip(1), cancellationToken: cancellationToken);
    }

    private List<string> ArgumentsFor(DeviceAction action)
    {
        var version = action.Version.ToString(CultureInfo.InvariantCulture);
        List<string> arguments = action.Kind switch
        {
            FleetProtocol.StageAction => ["stage", "--from", action.RepositoryUrl!, "--channel", action.Channel!, "--version", version],
            FleetProtocol.ApplyAction => ["apply", "--version", version],
            FleetProtocol.RollbackAction => ["rollback", "--to", version],
            _ => throw new ArgumentException($"unknown action kind '{action.Kind}'", nameof(action)),
        };
        if (action.Kind == FleetProtocol.StageAction && settings.RepositoryCaFile is { } ca)
        {
            arguments.AddRange(["--ca-cert", ca]);
        }
        arguments.AddRange(["--root", root, "--cmdline", commandLine, "--wait", LockWaitSeconds.ToString(CultureInfo.InvariantCulture)]);
        return arguments;
    }

    private static string? LastLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return line is null ? null : line.Length <= MessageLimit ? line : line[..MessageLimit];
    }
}
