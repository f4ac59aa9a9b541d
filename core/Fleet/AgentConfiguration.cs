namespace Appliance.Core.Fleet;

/// <summary>
/// <c>agent.json</c> in <see cref="FleetLocations.DirectoryOnHost"/>. File names are relative to that directory, so
/// the same file works on a factory disk, under <c>--root</c> and at <c>/host</c> on the appliance.
/// </summary>
/// <param name="FleetUrl">Base URL of the fleet service, e.g. https://fleet.example:9443.</param>
/// <param name="FleetCaFile">PEM certificate the agent pins for the fleet (its CA or its own certificate); null: the system's CAs.</param>
/// <param name="RepositoryCaFile">PEM certificate pinned for the repository of stage actions; null: the system's CAs.</param>
/// <param name="RebootCommand">What the agent runs after an apply or rollback succeeded (default <c>systemctl reboot</c>).</param>
public sealed record AgentConfiguration(string FleetUrl, string? FleetCaFile, string? RepositoryCaFile, IReadOnlyList<string>? RebootCommand)
{
    public static readonly IReadOnlyList<string> DefaultRebootCommand = ["systemctl", "reboot"];
}
