namespace Appliance.Core.Fleet;

/// <summary>How one action ended on the device.</summary>
/// <param name="Result"><see cref="FleetProtocol.Succeeded"/>, <see cref="FleetProtocol.Failed"/> or <see cref="FleetProtocol.Refused"/> (not executed: unknown kind, outside the window, invalid).</param>
/// <param name="ExitCode">upgradectl's exit code (docs/exit-codes.md) for the command the action ran.</param>
public sealed record ActionOutcome(string ActionId, string Result, int ExitCode, string? Message, DateTimeOffset Finished);
