namespace Appliance.Platform.Processes;

/// <param name="Environment">Variables added to (or, with a null value, removed from) the inherited environment.</param>
/// <param name="AllowedExitCodes">Exit codes that are not failures; 0 always is.</param>
/// <param name="StandardInput">Text written to the tool's standard input, which is then closed.</param>
public sealed record ProcessOptions(
    string? WorkingDirectory = null,
    IReadOnlyDictionary<string, string?>? Environment = null,
    IReadOnlyList<int>? AllowedExitCodes = null,
    string? StandardInput = null);
