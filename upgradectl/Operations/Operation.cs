namespace Appliance.Upgradectl.Operations;

/// <summary>
/// One state-changing command, as recorded on the host partition before and after each of its steps. A record
/// without <see cref="Result"/> whose process is gone was interrupted at <see cref="Step"/>; running the command
/// again restarts it cleanly.
/// </summary>
/// <param name="Kind">stage, apply, rollback, prune, mark-good, mark-bad.</param>
/// <param name="Result">null while running (or when interrupted), else succeeded or failed.</param>
public sealed record Operation(
    string Kind, int? Version, string Step, DateTimeOffset Started, DateTimeOffset? Finished, string? Result, string? Error)
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}
